import Tensor
import XCTest

/// The op catalog (OpCatalog.engine) is the one list of the engine's ops:
/// every op with its own backward passes a gradient check here (the table
/// below must have one per such op, and the checked graph must really hold
/// that op's node). OpTableDocsTests (ModelsTests) holds docs/engine.md's op
/// table against the engine's and the models' catalogs.
final class OpCatalogTests: XCTestCase {
    private typealias G = GradientCheck

    /// One small gradient check per op that records a node: inputs and the function of them.
    private static let checks: [String: (inputs: [Tensor], f: ([Tensor]) -> Tensor)] = {
        let x = { G.random([2, 3, 4, 5], seed: $0) }
        let positive = G.random([2, 3, 4, 5], seed: 5).abs() + 0.5
        var rng = RandomGenerator(seed: 15)
        let u = Tensor.randomNormal([4], using: &rng), v = Tensor.randomNormal([18], using: &rng)
        // Spectral norm's state converged first (as in LayerGradientTests), then held fixed.
        let w = G.random([4, 2, 3, 3], seed: 16)
        for _ in 0..<30 { _ = spectralNormalized(w, u: u, v: v, training: true) }
        let pixels = [PixelIndex(image: 0, position: 3), PixelIndex(image: 1, position: 19), PixelIndex(image: 0, position: 3)]
        return [
            "+": ([x(1), G.random([1, 3, 1, 1], seed: 2)], { $0[0] + $0[1] }),
            "-": ([x(1), G.random([2, 1, 4, 5], seed: 2)], { $0[0] - $0[1] }),
            "*": ([x(1), x(2)], { $0[0] * $0[1] }),
            "/": ([x(1), positive.detach()], { $0[0] / $0[1] }),
            "affine": ([x(1)], { $0[0] * 3 + 1 }),
            "relu": ([x(1)], { $0[0].relu() }),
            "leakyRelu": ([x(1)], { $0[0].leakyRelu(slope: 0.2) }),
            "tanh": ([x(1)], { $0[0].tanh() }),
            "sigmoid": ([x(1)], { $0[0].sigmoid() }),
            "abs": ([x(1)], { $0[0].abs() }),
            "exp": ([x(1)], { $0[0].exp() }),
            "log": ([positive.detach()], { $0[0].log() }),
            "sqrt": ([positive.detach()], { $0[0].sqrt() }),
            "squared": ([x(1)], { $0[0].squared() }),
            "clamped": ([x(1)], { $0[0].clamped(min: -0.5, max: 0.7) }),
            "sum": ([x(1)], { $0[0].sum(axes: [2, 3], keepDims: true) }),
            "reshaped": ([x(1)], { $0[0].reshaped([6, 20]) * $0[0].reshaped([6, 20]) }),
            "broadcast": ([G.random([1, 3, 1, 5], seed: 3)], { $0[0].broadcast(to: [2, 3, 4, 5]) }),
            "concat": ([x(1), x(2)], { Tensor.concat([$0[0], $0[1]], axis: 1) }),
            "slice": ([x(1)], { $0[0].slice(axis: 1, 1..<3) }),
            "conv2d": ([x(1), G.random([4, 3, 3, 3], seed: 3, std: 0.3)], { conv2d($0[0], weight: $0[1], padding: 1) }),
            "convTranspose2d": ([x(1), G.random([3, 2, 3, 3], seed: 3, std: 0.3)],
                                { convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputPadding: 1) }),
            "matmul": ([G.random([3, 4], seed: 1), G.random([4, 2], seed: 2)], { matmul($0[0], $0[1]) }),
            "instanceNorm": ([x(1)], { instanceNorm($0[0]) }),
            "batchNorm": ([x(1)], { batchNorm($0[0], training: true) }),
            "avgPool2d": ([x(1)], { avgPool2d($0[0], kernel: 3, stride: 2, padding: 1) }),
            "resizeNearest": ([x(1)], { resizeNearest($0[0], height: 5, width: 11) }),
            "pad2d": ([x(1)], { pad2d($0[0], top: 1, bottom: 2, left: 3, right: 0) }),
            "crop2d": ([x(1)], { crop2d($0[0], top: 1, left: 2, height: 2, width: 3) }),
            "softmax": ([x(1)], { softmax($0[0], axis: 1) }),
            "logSoftmax": ([x(1)], { logSoftmax($0[0], axis: 1) }),
            "crossEntropy": ([G.random([3, 5], seed: 4)], { crossEntropy(logits: $0[0], targets: [1, 4, 0]) }),
            "binaryCrossEntropyWithLogits": ([G.random([3, 4], seed: 14)],
                                             { binaryCrossEntropyWithLogits($0[0], targets: Tensor(shape: [3, 4], repeating: 0.3)) }),
            "spectralNormalized": ([w], { spectralNormalized($0[0], u: u, v: v, training: false) }),
            "gatherPixels": ([x(1)], { gatherPixels($0[0], pixels) }),
        ]
    }()

    func testEveryOpWithABackwardHasAGradientCheckOfItsOwnNode() {
        let nodeOps = OpCatalog.engine.filter { $0.gradient == .node }
        XCTAssertEqual(Set(Self.checks.keys), Set(nodeOps.map(\.name)),
                       "one gradient check per catalog op that records a node (and none for ops the catalog lacks)")
        for op in nodeOps {
            guard let check = Self.checks[op.name] else { continue }
            let inputs = check.inputs.map { $0.detach() }
            for t in inputs { t.requiresGrad = true }
            let recorded = check.f(inputs).recordedOps
            XCTAssertTrue(recorded.contains(op), "the check for \(op) records \(recorded), not \(op)'s node")
            G.check(check.inputs.map { $0.detach() }, sample: 24, check.f)
        }
    }

    func testOpNamesAreUniqueAndNodesNameTheirOps() {
        let names = OpCatalog.engine.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "duplicate op names in the catalog")
        let x = Tensor.parameter(shape: [1, 2, 3, 3])
        XCTAssertEqual((x.relu() * 2).sum().recordedOps, [.relu, .affine, .sum])
        XCTAssertEqual(GradMode.withoutGrad { x.relu() }.recordedOps, [], "inference records nothing")
    }
}
