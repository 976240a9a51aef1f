import Tensor
import XCTest

/// A training conv's oneDNN passes with their conversions shared (the forward keeps its converted
/// source for the weight gradient; both backward passes in one bridge call, the output gradient
/// converted once) give the same numbers, bit for bit, as each pass called on its own.
final class SharedTrainingReorderTests: XCTestCase {
    typealias Case = OneDNNConvolutionTests.Case

    /// The discriminators' 4x4 convs (stride 2 and 1), the generator's 3x3s (64->64: Winograd forward
    /// in f32), the first layer's few input channels (plain layout, nothing to keep), a 1x1 and a
    /// 3-channel head (on oneDNN here, not in conv2d's training), odd sizes, channels off the 16-blocks.
    let cases: [Case] = [
        Case(n: 3, cin: 18, h: 33, w: 31, cout: 32, k: 4, stride: 2, pad: 2),
        Case(n: 2, cin: 40, h: 9, w: 11, cout: 24, k: 4, stride: 1, pad: 2),
        Case(n: 2, cin: 64, h: 13, w: 15, cout: 64, k: 3, stride: 1, pad: 1),
        Case(n: 1, cin: 35, h: 12, w: 15, cout: 20, k: 3, stride: 2, pad: 1),
        Case(n: 2, cin: 5, h: 11, w: 9, cout: 13, k: 3, stride: 1, pad: 1),
        Case(n: 2, cin: 24, h: 9, w: 7, cout: 40, k: 1, stride: 1, pad: 0),
        Case(n: 1, cin: 32, h: 10, w: 12, cout: 3, k: 3, stride: 1, pad: 1),
    ]

    typealias Inputs = (x: Tensor, w: Tensor, b: Tensor, gradOutput: Tensor)

    func passes(_ c: Case, _ t: Inputs, shared: Bool, backwardSource: Tensor? = nil)
        -> (output: [Float], gradInput: [Float], gradWeight: [Float], keptSource: Bool)? {
        ConvolutionLibrary.trainingPasses(x: t.x, weight: t.w, bias: t.b, gradOutput: t.gradOutput, stride: c.stride,
                                          padding: c.pad, shared: shared, backwardSource: backwardSource)
    }

    func assertSharedEqualsSeparate(_ precision: ConvolutionPrecision) {
        ConvolutionSettings.with(precision: precision) {
            var kept = 0
            for (i, c) in cases.enumerated() {
                let t = c.tensors(seed: UInt64(300 + i))
                guard let separate = passes(c, t, shared: false), let shared = passes(c, t, shared: true) else {
                    XCTFail("\(precision) \(c): oneDNN refused"); continue
                }
                XCTAssertEqual(shared.output, separate.output, "\(precision) output \(c)")
                XCTAssertEqual(shared.gradInput, separate.gradInput, "\(precision) input gradient \(c)")
                XCTAssertEqual(shared.gradWeight, separate.gradWeight, "\(precision) weight gradient \(c)")
                XCTAssertGreaterThan(separate.gradWeight.map { abs($0) }.max() ?? 0, 0, "\(precision) \(c): zero weight gradient")
                XCTAssertGreaterThan(separate.gradInput.map { abs($0) }.max() ?? 0, 0, "\(precision) \(c): zero input gradient")
                guard shared.keptSource else { continue }
                // The weight gradient must come from the kept source: backward handed zeros instead of x still gets it right.
                kept += 1
                let blind = passes(c, t, shared: true, backwardSource: Tensor.zeros(t.x.shape))
                XCTAssertEqual(blind?.gradWeight, separate.gradWeight, "\(precision) \(c): the kept source was not used")
            }
            // In f32 the first layer's source stays plain (nothing to keep); the blocked ones are kept.
            XCTAssertGreaterThanOrEqual(kept, 4, "\(precision): too few layers kept their converted source")
        }
    }

    func testSharedConversionsGiveTheSeparateCallsResultsF32() {
        assertSharedEqualsSeparate(.f32)
    }

    func testSharedConversionsGiveTheSeparateCallsResultsBF16() throws {
        guard ConvolutionSettings.fastestInferencePrecision == .bf16 else {
            throw XCTSkip("this CPU has no native bf16 (avx512_bf16/AMX): oneDNN's bf16 training kernels do not run here")
        }
        assertSharedEqualsSeparate(.bf16)
    }

    /// conv2d's recorded graph (which trains through the shared path) gives the separate calls' numbers
    /// for the layers it runs on oneDNN, input and weight gradients both wanted.
    func testConv2dTrainingEqualsSeparateCalls() {
        for precision in ConvolutionPrecision.allCases
        where precision == .f32 || ConvolutionSettings.fastestInferencePrecision == .bf16 {
            ConvolutionSettings.with(precision: precision) {
                for (i, c) in cases.enumerated() {
                    guard ConvolutionLibrary.kernel(input: [c.n, c.cin, c.h, c.w], weight: [c.cout, c.cin, c.k, c.k],
                                                    stride: c.stride, padding: c.pad, precision: precision) != nil else { continue }
                    let t = c.tensors(seed: UInt64(400 + i))
                    guard let separate = passes(c, t, shared: false) else { XCTFail("\(c): refused"); continue }
                    for p in [t.x, t.w, t.b] { p.requiresGrad = true; p.grad = nil }
                    let y = conv2d(t.x, weight: t.w, bias: t.b, stride: c.stride, padding: c.pad)
                    y.backward(gradient: t.gradOutput)
                    XCTAssertEqual(y.values, separate.output, "\(precision) conv2d output \(c)")
                    XCTAssertEqual(t.x.grad?.values, separate.gradInput, "\(precision) conv2d input gradient \(c)")
                    XCTAssertEqual(t.w.grad?.values, separate.gradWeight, "\(precision) conv2d weight gradient \(c)")
                }
            }
        }
    }
}
