import Tensor
import XCTest

/// The convolutions that run on oneDNN: that oneDNN (not a reference kernel)
/// really runs them, values against the naive loops, gradients against the
/// engine's kernels and finite differences, bf16 against f32.
final class OneDNNConvolutionTests: XCTestCase {
    struct Case {
        let n, cin, h, w, cout, k, stride, pad: Int

        /// x, the weight (scaled by 1/sqrt(fan-in)), the bias, then an output gradient, drawn in that order from `seed`.
        func tensors(seed: UInt64) -> (x: Tensor, w: Tensor, b: Tensor, gradOutput: Tensor) {
            var rng = RandomGenerator(seed: seed)
            let x = Tensor.randomNormal([n, cin, h, w], using: &rng)
            let weight = Tensor.randomNormal([cout, cin, k, k], using: &rng) * (1 / Float(cin * k * k).squareRoot())
            let b = Tensor.randomNormal([cout], using: &rng)
            let oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1
            return (x, weight, b, Tensor.randomNormal([n, cout, oh, ow], using: &rng))
        }
    }

    /// Odd sizes, strides 1 and 2, 3x3, 7x7 stride 2, 4x4 and 5x5 kernels, channels
    /// not multiples of 16 (oneDNN pads its 16-channel blocks).
    let cases: [Case] = [
        Case(n: 1, cin: 16, h: 33, w: 20, cout: 64, k: 3, stride: 1, pad: 1),
        Case(n: 2, cin: 64, h: 17, w: 19, cout: 64, k: 3, stride: 1, pad: 1),
        Case(n: 1, cin: 32, h: 21, w: 15, cout: 48, k: 3, stride: 2, pad: 1),
        Case(n: 1, cin: 3, h: 29, w: 31, cout: 16, k: 7, stride: 2, pad: 3),
        Case(n: 2, cin: 5, h: 11, w: 9, cout: 13, k: 3, stride: 1, pad: 1),
        Case(n: 1, cin: 24, h: 10, w: 12, cout: 40, k: 4, stride: 2, pad: 1),
        Case(n: 1, cin: 9, h: 7, w: 8, cout: 11, k: 5, stride: 1, pad: 2),
        Case(n: 1, cin: 40, h: 13, w: 14, cout: 36, k: 3, stride: 1, pad: 0),
    ]

    /// Largest |a - b| relative to the largest |b| (at least 1).
    func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        XCTAssertEqual(a.count, b.count)
        let scale = max(1, b.map { abs($0) }.max() ?? 0)
        return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale
    }

    func testOneDNNRunsTheseLayersWithoutReferenceKernels() {
        for c in cases {
            for pass in [ConvolutionLibrary.Pass.forward, .backwardData, .backwardWeights] {
                let kernel = ConvolutionLibrary.kernel(input: [c.n, c.cin, c.h, c.w], weight: [c.cout, c.cin, c.k, c.k],
                                                       stride: c.stride, padding: c.pad, pass: pass)
                XCTAssertNotNil(kernel, "\(c) \(pass): oneDNN refused")
                XCTAssertFalse(kernel?.hasPrefix("ref") ?? true, "\(c) \(pass): reference kernel \(kernel ?? "")")
            }
        }
        // The 3-output-channel heads stay on the engine's tap GEMM, 1x1 on plain GEMM.
        XCTAssertNil(ConvolutionLibrary.kernel(input: [1, 64, 32, 32], weight: [3, 64, 3, 3], padding: 1))
        XCTAssertNil(ConvolutionLibrary.kernel(input: [1, 64, 32, 32], weight: [32, 64, 1, 1]))
        // Under the engine setting nothing goes to oneDNN.
        ConvolutionSettings.with(backend: .engine) {
            XCTAssertNil(ConvolutionLibrary.kernel(input: [1, 64, 32, 32], weight: [64, 64, 3, 3], padding: 1))
        }
    }

    func testForwardMatchesNaiveLoops() {
        for (i, c) in cases.enumerated() {
            let (x, w, b, _) = c.tensors(seed: UInt64(i + 1))
            let reference = NaiveConvolution.conv(x, w, b, stride: c.stride, pad: c.pad, reflect: false)
            let y = GradMode.withoutGrad { conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad) }
            XCTAssertLessThan(relativeError(y.values, reference), 1e-5, "inference \(c)")
            // forward_training (no Winograd) as used when a graph is recorded.
            x.requiresGrad = true
            let t = conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad)
            XCTAssertLessThan(relativeError(t.values, reference), 1e-5, "training \(c)")
        }
    }

    func testTransposedConvolutionPhasesOnOneDNNMatchNaiveLoops() {
        var rng = RandomGenerator(seed: 7)
        let configs: [(n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, s: Int, p: Int, op: Int)] = [
            (1, 64, 9, 8, 64, 3, 2, 1, 1), (2, 16, 7, 5, 24, 3, 2, 1, 0), (1, 32, 6, 7, 16, 4, 2, 1, 0),
            (1, 12, 5, 5, 20, 3, 2, 1, 1),
        ]
        for c in configs {
            let x = Tensor.randomNormal([c.n, c.cin, c.h, c.w], using: &rng)
            let w = Tensor.randomNormal([c.cin, c.cout, c.k, c.k], using: &rng)
            let b = Tensor.randomNormal([c.cout], using: &rng)
            let reference = NaiveConvolution.convTranspose(x, w, b, stride: c.s, pad: c.p, outPad: c.op)
            let y = convTranspose2d(x, weight: w, bias: b, stride: c.s, padding: c.p, outputPadding: c.op)
            XCTAssertLessThan(relativeError(y.values, reference), 1e-5, "convT \(c)")
        }
    }

    /// oneDNN's input and weight gradients against the engine's, which the
    /// finite-difference tests (ConvolutionGradientTests) establish.
    func testGradientsMatchTheEngine() {
        for (i, c) in cases.enumerated() {
            let (x, w, b, _) = c.tensors(seed: UInt64(20 + i))
            var rng = RandomGenerator(seed: UInt64(40 + i))
            let oh = (c.h + 2 * c.pad - c.k) / c.stride + 1, ow = (c.w + 2 * c.pad - c.k) / c.stride + 1
            let seed = Tensor.randomNormal([c.n, c.cout, oh, ow], using: &rng)
            func gradients(_ backend: ConvolutionBackend) -> [[Float]] {
                ConvolutionSettings.with(backend: backend) {
                    for t in [x, w, b] { t.requiresGrad = true; t.grad = nil }
                    conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad).backward(gradient: seed)
                    return [x, w, b].map { $0.grad!.values }
                }
            }
            let engine = gradients(.engine), onednn = gradients(.onednn)
            for (k, name) in ["input", "weight", "bias"].enumerated() {
                XCTAssertLessThan(relativeError(onednn[k], engine[k]), 2e-5, "\(name) gradient \(c)")
            }
        }
    }

    func testTransposedGradientsMatchTheEngine() {
        var rng = RandomGenerator(seed: 9)
        let x = Tensor.randomNormal([2, 32, 7, 6], using: &rng)
        let w = Tensor.randomNormal([32, 24, 3, 3], using: &rng) * 0.1
        let b = Tensor.randomNormal([24], using: &rng)
        let seed = Tensor.randomNormal([2, 24, 14, 12], using: &rng)
        func gradients(_ backend: ConvolutionBackend) -> [[Float]] {
            ConvolutionSettings.with(backend: backend) {
                for t in [x, w, b] { t.requiresGrad = true; t.grad = nil }
                convTranspose2d(x, weight: w, bias: b, stride: 2, padding: 1, outputPadding: 1).backward(gradient: seed)
                return [x, w, b].map { $0.grad!.values }
            }
        }
        let engine = gradients(.engine), onednn = gradients(.onednn)
        for k in 0..<3 { XCTAssertLessThan(relativeError(onednn[k], engine[k]), 2e-5, "gradient \(k)") }
    }

    func testFiniteDifferencesThroughOneDNN() {
        let x = GradientCheck.random([1, 12, 7, 9], seed: 3)
        let w = GradientCheck.random([17, 12, 3, 3], seed: 4, std: 0.3)
        let b = GradientCheck.random([17], seed: 5)
        XCTAssertNotNil(ConvolutionLibrary.kernel(input: x.shape, weight: w.shape, stride: 2, padding: 1, pass: .backwardData))
        GradientCheck.check([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    }

    /// bf16 rounds inputs and weights to 8 significant bits (relative error
    /// 2^-9 each); sums of K products with random signs grow that as sqrt(K):
    /// the stated tolerance is 1% of the output's rms as rms error and 5% of
    /// its largest magnitude as worst error.
    func testBF16WithinToleranceOfF32() throws {
        guard ConvolutionSettings.fastestInferencePrecision == .bf16 else {
            throw XCTSkip("this CPU has no native bf16 (avx512_bf16/AMX); the editor uses f32 here")
        }
        for (i, c) in cases.enumerated() {
            let (x, w, b, _) = c.tensors(seed: UInt64(60 + i))
            XCTAssertEqual(ConvolutionLibrary.kernel(input: x.shape, weight: w.shape, stride: c.stride, padding: c.pad,
                                                     precision: .bf16)?.contains("bf16"), true, "\(c)")
            let f32 = GradMode.withoutGrad { conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad) }.values
            let bf16 = ConvolutionSettings.with(precision: .bf16) {
                GradMode.withoutGrad { conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad) }
            }.values
            let rms = (f32.map { Double($0 * $0) }.reduce(0, +) / Double(f32.count)).squareRoot()
            let errorRMS = (zip(f32, bf16).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(f32.count)).squareRoot()
            XCTAssertLessThan(errorRMS, 0.01 * rms, "\(c)")
            XCTAssertGreaterThan(errorRMS, 0, "\(c): bf16 gave the f32 result bit for bit (did bf16 run?)")
            XCTAssertLessThan(relativeError(bf16, f32), 0.05, "\(c)")
        }
    }
}
