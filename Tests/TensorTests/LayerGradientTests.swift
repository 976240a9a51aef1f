import Tensor
import XCTest

final class LayerGradientTests: XCTestCase {
    typealias G = GradientCheck

    func testInstanceNorm() {
        let x = G.random([2, 3, 5, 4], seed: 1, std: 2) + 0.5
        G.check([x.detach()]) { instanceNorm($0[0]) }
        let w = G.random([3], seed: 2) + 1, b = G.random([3], seed: 3)
        G.check([x.detach(), w.detach(), b.detach()]) { instanceNorm($0[0], weight: $0[1], bias: $0[2]) }
    }

    func testBatchNorm() {
        let x = G.random([3, 2, 3, 4], seed: 4, std: 2) + 1
        let w = G.random([2], seed: 5) + 1, b = G.random([2], seed: 6)
        G.check([x.detach(), w.detach(), b.detach()]) { batchNorm($0[0], weight: $0[1], bias: $0[2], training: true) }
        G.check([G.random([5, 3], seed: 7)]) { batchNorm($0[0], training: true) }
        let mean = Tensor(shape: [2], values: [0.3, -0.2]), variance = Tensor(shape: [2], values: [1.5, 0.7])
        G.check([x.detach(), w.detach(), b.detach()]) {
            batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: mean, runningVariance: variance, training: false)
        }
    }

    /// A frozen network (ECGAN's label generator): evaluation-mode batch norm
    /// with weights that need no gradient passes x's gradient, g * weight /
    /// sqrt(var + eps), on a map large enough to be split across threads, and
    /// leaves the weights without one.
    func testFrozenEvaluationBatchNormGivesOnlyTheInputGradient() {
        let (n, c, h, w) = (4, 3, 64, 64)
        let x = Tensor.parameter(shape: [n, c, h, w], values: G.random([n, c, h, w], seed: 12).values)
        let weight = Tensor(shape: [c], values: [1.5, -0.5, 2]), bias = Tensor(shape: [c], values: [0.1, 0.2, 0.3])
        let mean = Tensor(shape: [c], values: [0.3, -0.2, 0]), variance = Tensor(shape: [c], values: [1.5, 0.7, 4])
        let upstream = G.random([n, c, h, w], seed: 13)
        (batchNorm(x, weight: weight, bias: bias, runningMean: mean, runningVariance: variance, training: false) * upstream)
            .sum().backward()
        XCTAssertNil(weight.grad)
        XCTAssertNil(bias.grad)
        let gx = x.grad!.values, g = upstream.values, plane = h * w
        for i in stride(from: 0, to: gx.count, by: 97) {
            let ch = (i / plane) % c
            let expected = g[i] * weight.values[ch] / (variance.values[ch] + 1e-5).squareRoot()
            XCTAssertEqual(gx[i], expected, accuracy: 1e-6 * max(1, abs(expected)), "element \(i)")
        }
    }

    func testPoolingAndResizing() {
        let x = G.random([2, 3, 7, 6], seed: 8)
        G.check([x]) { avgPool2d($0[0], kernel: 3, stride: 2, padding: 1, countIncludePadding: false) }
        G.check([x]) { avgPool2d($0[0], kernel: 3, stride: 2, padding: 1, countIncludePadding: true) }
        G.check([x]) { avgPool2d($0[0], kernel: 2, stride: 2) }
        G.check([x]) { globalAvgPool($0[0]) }
        let mask = Tensor(shape: [2, 1, 7, 6], values: (0..<84).map { Float(($0 * 7) % 3 == 0 ? 1 : 0) })
        G.check([x]) { maskedGlobalAvgPool($0[0], mask: mask) }
        G.check([x]) { $0[0] * mask }
        G.check([x]) { upsampleNearest($0[0], factor: 2) }
        G.check([x]) { resizeNearest($0[0], height: 5, width: 11) }
        G.check([x]) { pad2d($0[0], top: 1, bottom: 2, left: 3, right: 0) }
        G.check([x]) { pad2d($0[0], top: 2, bottom: 1, left: 1, right: 3, mode: .reflect) }
        G.check([x]) { crop2d($0[0], top: 1, left: 2, height: 4, width: 3) }
    }

    func testLosses() {
        let a = G.awayFromZero([2, 3, 4, 4], seed: 9), b = G.random([2, 3, 4, 4], seed: 10) * 0.01
        let mask = Tensor(shape: [2, 1, 4, 4], values: (0..<32).map { Float($0 % 3 == 0 ? 1 : 0) })
        G.check([a]) { l1Loss($0[0], b, mask: mask) }
        G.check([a, b.detach()]) { mseLoss($0[0], $0[1], reduction: .sum) }
        let h = G.avoiding([1, -1, -2], shape: [2, 1, 4, 4], seed: 17)
        G.check([h]) { hingeDiscriminatorLoss(real: $0[0], fake: $0[0] * 0.5) }
        G.check([h]) { hingeLoss($0[0], real: false) }
        G.check([a]) { hingeGeneratorLoss(fake: $0[0]) }
        let logits = G.random([3, 5], seed: 11)
        G.check([logits]) { crossEntropy(logits: $0[0], targets: [1, 4, 0], weights: [1, 0.5, 2]) }
        let dense = G.random([2, 4, 3, 3], seed: 12)
        let targets = (0..<18).map { $0 % 5 == 4 ? -1 : $0 % 4 }
        G.check([dense]) { crossEntropy(logits: $0[0], targets: targets, weights: [1, 3]) }
        let probs = G.random([3, 4], seed: 13).sigmoid().detach()
        let t = Tensor(shape: [3, 4], values: (0..<12).map { Float($0 % 2) })
        G.check([G.random([3, 4], seed: 14)]) { binaryCrossEntropyWithLogits($0[0], targets: t) }
        G.check([probs]) { binaryCrossEntropy($0[0], targets: t) }
    }

    func testSpectralNormGradient() {
        var rng = RandomGenerator(seed: 15)
        let u = Tensor.randomNormal([4], using: &rng), v = Tensor.randomNormal([18], using: &rng)
        // Converge the state first, then check d(W / sigma) with the state fixed.
        let w = G.random([4, 2, 3, 3], seed: 16)
        for _ in 0..<30 { _ = spectralNormalized(w, u: u, v: v, training: true) }
        G.check([w]) { spectralNormalized($0[0], u: u, v: v, training: false) }
    }
}
