import Tensor
import XCTest

/// Forward results against naive loops written straight from the definitions.
final class ForwardReferenceTests: XCTestCase {
    func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Int, reflect: Bool) -> [Float] {
        NaiveConvolution.conv(x, w, b, stride: stride, pad: pad, reflect: reflect)
    }

    func naiveConvTranspose(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Int, outPad: Int) -> [Float] {
        NaiveConvolution.convTranspose(x, w, b, stride: stride, pad: pad, outPad: outPad)
    }

    func assertClose(_ a: [Float], _ b: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        let scale = max(1, b.map { abs($0) }.max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        // Float32 sums of up to a few thousand products: 1e-5 relative to the largest value.
        XCTAssertLessThan(worst, 1e-5 * scale * 10, message, file: file, line: line)
    }

    func testConv2dMatchesNaiveLoops() {
        var rng = RandomGenerator(seed: 1)
        let configs: [(n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, s: Int, p: Int, reflect: Bool)] = [
            (1, 3, 7, 5, 8, 3, 1, 1, false), (2, 4, 9, 8, 5, 3, 2, 1, false), (1, 5, 10, 9, 3, 7, 1, 3, true),
            (2, 3, 8, 8, 16, 4, 2, 1, false), (1, 2, 6, 7, 3, 3, 1, 1, false), (1, 6, 5, 5, 7, 1, 1, 0, false),
            (1, 3, 12, 11, 9, 3, 1, 1, true), (1, 4, 13, 40, 2, 5, 1, 2, true), (1, 3, 9, 9, 4, 3, 2, 2, true),
            (2, 64, 16, 16, 3, 3, 1, 1, false), (1, 16, 33, 20, 64, 3, 1, 1, false),
            // Large enough to split into several cache-sized bands run on both threads.
            (2, 64, 40, 40, 8, 3, 1, 1, false), (1, 32, 37, 45, 16, 3, 2, 1, false),
            // Tap-GEMM path (few output channels) over several bands with halos and mirrored rows.
            (1, 16, 70, 200, 3, 7, 1, 3, true), (2, 8, 50, 300, 2, 3, 1, 1, false),
        ]
        for c in configs {
            let x = Tensor.randomNormal([c.n, c.cin, c.h, c.w], using: &rng)
            let w = Tensor.randomNormal([c.cout, c.cin, c.k, c.k], using: &rng)
            let b = Tensor.randomNormal([c.cout], using: &rng)
            let y = conv2d(x, weight: w, bias: b, stride: c.s, padding: c.p, paddingMode: c.reflect ? .reflect : .zeros)
            assertClose(y.values, naiveConv(x, w, b, stride: c.s, pad: c.p, reflect: c.reflect), "conv \(c)")
        }
    }

    func testConvTranspose2dMatchesNaiveLoops() {
        var rng = RandomGenerator(seed: 2)
        let configs: [(n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, s: Int, p: Int, op: Int)] = [
            (1, 4, 5, 6, 8, 3, 2, 1, 1), (2, 3, 4, 4, 3, 3, 2, 1, 1), (1, 5, 3, 7, 6, 4, 2, 1, 0),
            (1, 3, 6, 5, 4, 3, 1, 1, 0), (1, 2, 4, 4, 5, 5, 3, 2, 1), (1, 64, 9, 8, 64, 3, 2, 1, 1),
            (1, 8, 5, 5, 2, 3, 2, 0, 1), (1, 64, 30, 64, 8, 3, 2, 1, 1),
            // k1 s2: phases no tap reaches hold only the bias; k2 s2 p0: the plain x2 upsampling kernel.
            (2, 3, 4, 5, 4, 1, 2, 0, 1), (1, 6, 5, 4, 7, 2, 2, 0, 0), (1, 4, 3, 3, 5, 2, 2, 0, 1),
        ]
        for c in configs {
            let x = Tensor.randomNormal([c.n, c.cin, c.h, c.w], using: &rng)
            let w = Tensor.randomNormal([c.cin, c.cout, c.k, c.k], using: &rng)
            let b = Tensor.randomNormal([c.cout], using: &rng)
            let y = convTranspose2d(x, weight: w, bias: b, stride: c.s, padding: c.p, outputPadding: c.op)
            XCTAssertEqual(y.shape, [c.n, c.cout, (c.h - 1) * c.s - 2 * c.p + c.k + c.op, (c.w - 1) * c.s - 2 * c.p + c.k + c.op])
            assertClose(y.values, naiveConvTranspose(x, w, b, stride: c.s, pad: c.p, outPad: c.op), "convT \(c)")
        }
    }

    func testInstanceNormMatchesDefinition() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randomNormal([2, 3, 9, 7], mean: 4, std: 3, using: &rng)
        let w = Tensor(shape: [3], values: [1.5, -0.5, 2]), b = Tensor(shape: [3], values: [0.1, 0.2, -0.3])
        let y = instanceNorm(x, weight: w, bias: b)
        for n in 0..<2 {
            for c in 0..<3 {
                var values: [Double] = []
                for i in 0..<9 { for j in 0..<7 { values.append(Double(x[n, c, i, j])) } }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
                for i in 0..<9 {
                    for j in 0..<7 {
                        let expected = (Double(x[n, c, i, j]) - mean) / (variance + 1e-5).squareRoot() * Double(w[c]) + Double(b[c])
                        XCTAssertEqual(Double(y[n, c, i, j]), expected, accuracy: 1e-4)
                    }
                }
            }
        }
    }

    /// A large mean must not swamp a small variance (one-pass E[x^2] - mean^2 would).
    func testInstanceNormWithLargeMeanAndSmallVariance() {
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.randomNormal([1, 1, 64, 64], mean: 1000, std: 0.01, using: &rng)
        let xv = x.values.map(Double.init)
        let xMean = xv.reduce(0, +) / Double(xv.count)
        let xVariance = xv.map { ($0 - xMean) * ($0 - xMean) }.reduce(0, +) / Double(xv.count)
        let y = instanceNorm(x).values.map(Double.init)
        let mean = y.reduce(0, +) / Double(y.count)
        let variance = y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(y.count)
        XCTAssertEqual(mean, 0, accuracy: 1e-3)
        // eps = 1e-5 is a tenth of the variance here, so the output variance is var / (var + eps).
        XCTAssertEqual(variance, xVariance / (xVariance + 1e-5), accuracy: 1e-2)
    }

    func testBatchNormStatisticsAndRunningAverages() {
        // Channel 0 holds 1...4, channel 1 holds 10, 10, 20, 20 (N = 2, 1x2 pixels).
        let x = Tensor(shape: [2, 2, 1, 2], values: [1, 2, 10, 10, 3, 4, 20, 20])
        let mean = Tensor.zeros([2]), variance = Tensor.ones([2])
        let y = batchNorm(x, runningMean: mean, runningVariance: variance, training: true, momentum: 0.5, epsilon: 0)
        let s = Float(1.25).squareRoot()
        XCTAssertEqual(y.values[0], (1 - 2.5) / s, accuracy: 1e-5)
        XCTAssertEqual(y.values[5], (4 - 2.5) / s, accuracy: 1e-5)
        XCTAssertEqual(y.values[2], -1, accuracy: 1e-5)
        // running = 0.5 * old + 0.5 * batch (unbiased variance: 1.25 * 4/3, 25 * 4/3)
        XCTAssertEqual(mean.values[0], 1.25, accuracy: 1e-5)
        XCTAssertEqual(mean.values[1], 7.5, accuracy: 1e-5)
        XCTAssertEqual(variance.values[0], 0.5 + 0.5 * 1.25 * 4 / 3, accuracy: 1e-5)
        XCTAssertEqual(variance.values[1], 0.5 + 0.5 * 25 * 4 / 3, accuracy: 1e-4)
        let evaluated = batchNorm(x, runningMean: mean, runningVariance: variance, training: false, epsilon: 0)
        XCTAssertEqual(evaluated.values[0], (1 - 1.25) / variance.values[0].squareRoot(), accuracy: 1e-5)
    }

    func testPoolingResizeAndSoftmaxValues() {
        let x = Tensor(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        // count_include_pad false: the corner window covers 4 real pixels.
        let pooled = avgPool2d(x, kernel: 3, stride: 2, padding: 1, countIncludePadding: false)
        XCTAssertEqual(pooled.values, [3, 4, 6, 7])
        let withPad = avgPool2d(x, kernel: 3, stride: 2, padding: 1, countIncludePadding: true)
        XCTAssertEqual(withPad[0, 0, 0, 0], 12 / 9, accuracy: 1e-6)
        XCTAssertEqual(upsampleNearest(Tensor(shape: [1, 1, 1, 2], values: [1, 2])).values, [1, 1, 2, 2, 1, 1, 2, 2])
        let p = softmax(Tensor(shape: [1, 2, 1, 1], values: [0, Float(log(3.0))]), axis: 1).values
        XCTAssertEqual(p[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(p[1], 0.75, accuracy: 1e-6)
        let reflected = pad2d(Tensor(shape: [1, 1, 1, 3], values: [1, 2, 3]), top: 0, bottom: 0, left: 2, right: 1, mode: .reflect)
        XCTAssertEqual(reflected.values, [3, 2, 1, 2, 3, 2])
        let oneHot = Tensor.oneHot(labels: [0, 2, 1, 9], batch: 1, height: 2, width: 2, classes: 3)
        XCTAssertEqual(oneHot.values, [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0])
        XCTAssertEqual(Tensor.resizeLabels([1, 2, 3, 4], height: 2, width: 2, toHeight: 4, toWidth: 4),
                       [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        let ce = crossEntropy(logits: Tensor(shape: [2, 2], values: [0, 0, 5, 5]), targets: [0, 1], weights: [1, 0])
        XCTAssertEqual(ce.scalar, Float(log(2.0)), accuracy: 1e-6)
        let none = crossEntropy(logits: Tensor(shape: [1, 2], values: [0, 1]), targets: [0], weights: [0])
        XCTAssertEqual(none.scalar, 0)
    }
}
