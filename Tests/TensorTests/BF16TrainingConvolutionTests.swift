import Tensor
import XCTest

/// Training convolutions in bf16 (`train --precision bf16`): forward, input and
/// weight gradients on oneDNN's bf16 kernels (bf16 inputs, f32 accumulation and
/// results) against the f32 path.
///
/// Stated tolerance, as for bf16 inference: rounding each input to 8
/// significant bits (2^-9 relative) and summing K products of random sign gives
/// an error near 2^-9 * sqrt(2) of the result's rms, about 0.3%; allowed: rms
/// error under 1% of the f32 result's rms and worst error under 5% of its
/// largest magnitude. A result equal to f32 bit for bit fails (bf16 did not run).
final class BF16TrainingConvolutionTests: XCTestCase {
    typealias Case = OneDNNConvolutionTests.Case

    /// The discriminator's 4x4 stride-2 convs, the generator's 3x3s, odd sizes and
    /// channel counts off oneDNN's 16-channel blocks.
    let cases: [Case] = [
        Case(n: 2, cin: 3, h: 33, w: 31, cout: 16, k: 4, stride: 2, pad: 2),
        Case(n: 1, cin: 24, h: 17, w: 14, cout: 40, k: 4, stride: 2, pad: 2),
        Case(n: 2, cin: 64, h: 9, w: 11, cout: 64, k: 4, stride: 1, pad: 2),
        Case(n: 2, cin: 16, h: 19, w: 13, cout: 32, k: 3, stride: 1, pad: 1),
        Case(n: 1, cin: 35, h: 12, w: 15, cout: 20, k: 3, stride: 2, pad: 1),
        Case(n: 1, cin: 5, h: 11, w: 9, cout: 13, k: 3, stride: 1, pad: 1),
    ]

    override func setUpWithError() throws {
        guard ConvolutionSettings.fastestInferencePrecision == .bf16 else {
            throw XCTSkip("this CPU has no native bf16 (avx512_bf16/AMX): --precision bf16 is refused here, nothing to compare")
        }
    }

    /// Output and the three gradients of one training pass, under `precision`.
    func pass(_ precision: ConvolutionPrecision, _ body: () -> Tensor, inputs: [Tensor], seed: Tensor) -> [[Float]] {
        ConvolutionSettings.with(precision: precision) {
            for t in inputs { t.requiresGrad = true; t.grad = nil }
            let y = body()
            y.backward(gradient: seed)
            return [y.values] + inputs.map { $0.grad!.values }
        }
    }

    /// `bf16Runs`: false where the engine's f32 kernel computes this result (then it must equal f32 within tolerance, bits allowed).
    func assertClose(_ bf16: [Float], _ f32: [Float], _ what: String, bf16Runs: Bool = true,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(bf16.count, f32.count, what, file: file, line: line)
        let rms = (f32.map { Double($0 * $0) }.reduce(0, +) / Double(f32.count)).squareRoot()
        let errorRMS = (zip(f32, bf16).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(f32.count)).squareRoot()
        let largest = Double(f32.map { abs($0) }.max() ?? 0)
        let worst = Double(zip(f32, bf16).map { abs($0 - $1) }.max() ?? 0)
        XCTAssertLessThan(errorRMS, 0.01 * rms, "\(what): rms error \(errorRMS) of rms \(rms)", file: file, line: line)
        XCTAssertLessThan(worst, 0.05 * largest, "\(what): worst error \(worst) of largest \(largest)", file: file, line: line)
        guard bf16Runs else { return }
        XCTAssertGreaterThan(errorRMS, 0, "\(what): bf16 gave the f32 result bit for bit (did bf16 run?)", file: file, line: line)
    }

    /// oneDNN's bf16 kernels for every pass; for a layer with too few channels to fill its 16-channel
    /// blocks (5 -> 13) it takes its bf16 im2col + GEMM convolution ("gemm:jit") for the weight gradient.
    func testAllThreePassesRunOneDNNsBF16Kernels() {
        for c in cases {
            for pass in [ConvolutionLibrary.Pass.forward, .backwardData, .backwardWeights] {
                let kernel = ConvolutionLibrary.kernel(input: [c.n, c.cin, c.h, c.w], weight: [c.cout, c.cin, c.k, c.k],
                                                       stride: c.stride, padding: c.pad, pass: pass, precision: .bf16)
                XCTAssertNotNil(kernel, "\(c) \(pass): oneDNN refused bf16")
                let blocked = c.cin >= 16 && c.cout >= 16
                let name = kernel ?? ""
                XCTAssertTrue(name.contains("bf16") || (!blocked && pass == .backwardWeights && name.contains("gemm")),
                              "\(c) \(pass): not a bf16 kernel: \(name)")
                XCTAssertFalse(kernel?.hasPrefix("ref") ?? true, "\(c) \(pass): reference kernel \(kernel ?? "")")
            }
        }
    }

    func testConvolutionValuesAndGradientsWithinToleranceOfF32() {
        for (i, c) in cases.enumerated() {
            let (x, w, b, seed) = c.tensors(seed: UInt64(80 + i))
            let run = { conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad) }
            let f32 = pass(.f32, run, inputs: [x, w, b], seed: seed)
            let bf16 = pass(.bf16, run, inputs: [x, w, b], seed: seed)
            for (k, name) in ["output", "input gradient", "weight gradient"].enumerated() {
                assertClose(bf16[k], f32[k], "\(name) \(c)")
            }
            // The bias gradient is a sum of the (f32) output gradient: the same numbers.
            XCTAssertEqual(bf16[3], f32[3], "bias gradient \(c)")
        }
    }

    /// 1x1 convs stay on the engine's f32 GEMM in training (NCHW), so bf16 changes nothing there.
    func testOneByOneConvolutionStaysF32() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.randomNormal([2, 24, 9, 7], using: &rng)
        let w = Tensor.randomNormal([40, 24, 1, 1], using: &rng) * 0.2
        let seed = Tensor.randomNormal([2, 40, 9, 7], using: &rng)
        XCTAssertNil(ConvolutionLibrary.kernel(input: x.shape, weight: w.shape, precision: .bf16))
        let run = { conv2d(x, weight: w, bias: nil, stride: 1, padding: 0) }
        XCTAssertEqual(pass(.bf16, run, inputs: [x, w], seed: seed), pass(.f32, run, inputs: [x, w], seed: seed))
    }

    /// The transposed convs' four stride-1 phase convolutions (forward), their
    /// adjoint convolution (input gradient) and weight gradient, in bf16. A 3x3
    /// kernel's one-tap phase is a 1x1 conv, which stays on the engine in NCHW,
    /// and so does that forward (in f32); its gradients run in bf16.
    func testTransposedConvolutionPhasesWithinToleranceOfF32() {
        let configs: [(n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, p: Int, op: Int)] = [
            (2, 32, 7, 6, 24, 3, 1, 1), (1, 48, 5, 9, 32, 4, 1, 0), (1, 20, 6, 5, 36, 3, 1, 1),
        ]
        for (i, c) in configs.enumerated() {
            var rng = RandomGenerator(seed: UInt64(120 + i))
            let x = Tensor.randomNormal([c.n, c.cin, c.h, c.w], using: &rng)
            let w = Tensor.randomNormal([c.cin, c.cout, c.k, c.k], using: &rng) * (1 / Float(c.cin * c.k).squareRoot())
            let b = Tensor.randomNormal([c.cout], using: &rng)
            let run = { convTranspose2d(x, weight: w, bias: b, stride: 2, padding: c.p, outputPadding: c.op) }
            let shape = GradMode.withoutGrad(run).shape
            let seed = Tensor.randomNormal(shape, using: &rng)
            let f32 = pass(.f32, run, inputs: [x, w, b], seed: seed)
            let bf16 = pass(.bf16, run, inputs: [x, w, b], seed: seed)
            for (k, name) in ["output", "input gradient", "weight gradient"].enumerated() {
                assertClose(bf16[k], f32[k], "transposed \(name) \(c)", bf16Runs: k > 0 || c.k == 4)
            }
        }
    }
}
