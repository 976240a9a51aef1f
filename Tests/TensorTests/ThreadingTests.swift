import Tensor
import XCTest

/// The engine splits work by thread count: forward results must not depend on
/// it at all (each output is computed by one task), and gradients only in
/// summation order.
final class ThreadingTests: XCTestCase {
    override func tearDown() { BLASInfo.setThreads(2) }

    func run(threads: Int) -> (out: [Float], gx: [Float], gw: [Float], gt: [Float]) {
        BLASInfo.setThreads(threads)
        var rng = RandomGenerator(seed: 11)
        let x = Tensor.randomNormal([2, 40, 33, 29], using: &rng)
        let w = Tensor.parameter(shape: [48, 40, 3, 3])
        Initializer.xavierNormal(gain: 1).fill(w, using: &rng)
        let t = Tensor.parameter(shape: [48, 8, 3, 3])
        Initializer.xavierNormal(gain: 1).fill(t, using: &rng)
        x.requiresGrad = true
        let h = conv2d(x, weight: w, padding: 1).relu()
        let y = convTranspose2d(h, weight: t, stride: 2, padding: 1, outputPadding: 1)
        let seed = Tensor.randomNormal(y.shape, using: &rng)
        y.backward(gradient: seed)
        return (y.values, x.grad!.values, w.grad!.values, t.grad!.values)
    }

    func testOneAndTwoThreadsAgree() {
        let one = run(threads: 1), two = run(threads: 2)
        XCTAssertEqual(one.out, two.out)
        for (a, b) in [(one.gx, two.gx), (one.gw, two.gw), (one.gt, two.gt)] {
            let scale = a.map { abs($0) }.max()!
            let worst = zip(a, b).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-4 * scale)
        }
        // Same thread count, same numbers.
        XCTAssertEqual(run(threads: 2).gw, two.gw)
    }

    /// Gradient checks on layers big enough for several bands on two threads.
    func testGradientsOfBandedThreadedConvolutions() {
        BLASInfo.setThreads(2)
        let x = GradientCheck.random([1, 40, 33, 29], seed: 1)
        let w = GradientCheck.random([48, 40, 3, 3], seed: 2, std: 0.1)
        GradientCheck.check([x, w], sample: 24) { conv2d($0[0], weight: $0[1], stride: 2, padding: 1) }
        GradientCheck.check([x, w], sample: 24) { conv2d($0[0], weight: $0[1], padding: 1) }
        let t = GradientCheck.random([40, 16, 3, 3], seed: 3, std: 0.1)
        GradientCheck.check([x, t], sample: 24) { convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputPadding: 1) }
    }

    /// The few-output-channel path over several bands (halo rows, mirrored rows at band edges).
    func testGradientsOfBandedTapConvolution() {
        BLASInfo.setThreads(2)
        let x = GradientCheck.random([1, 16, 70, 200], seed: 4)
        let w = GradientCheck.random([3, 16, 7, 7], seed: 5, std: 0.05)
        GradientCheck.check([x, w], sample: 24) { conv2d($0[0], weight: $0[1], padding: 3, paddingMode: .reflect) }
        GradientCheck.check([x, w], sample: 24) { conv2d($0[0], weight: $0[1], padding: 3) }
    }

    func testCrossEntropyIsIdenticalAtAnyThreadCount() {
        let logits = GradientCheck.random([2, 6, 64, 70], seed: 8)
        let targets = (0..<(2 * 64 * 70)).map { $0 % 7 == 6 ? -1 : $0 % 6 }
        func run(_ threads: Int) -> (Float, [Float]) {
            BLASInfo.setThreads(threads)
            logits.grad = nil
            logits.requiresGrad = true
            let loss = crossEntropy(logits: logits, targets: targets, weights: [1, 0.5])
            loss.backward()
            return (loss.scalar, logits.grad!.values)
        }
        let one = run(1), two = run(2)
        XCTAssertEqual(one.0, two.0)
        XCTAssertEqual(one.1, two.1)
    }
}
