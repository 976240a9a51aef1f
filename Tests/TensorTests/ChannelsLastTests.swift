@testable import Tensor
import XCTest

/// The channels-last inference kernels (`ChannelsLast`): the layout round trip,
/// every kernel against the NCHW kernel it replaces (itself tested against the
/// naive definitions) and the convolutions against the naive loops, on odd
/// sizes: channel counts not multiples of 16, 1x1 and one-pixel-wide planes,
/// odd widths, batch 2. Also that the layout really is kept (each result is
/// channels-last), so a silent fall back to NCHW fails here.
final class ChannelsLastTests: XCTestCase {
    let shapes: [[Int]] = [[1, 3, 5, 7], [2, 17, 9, 11], [1, 16, 1, 1], [1, 40, 6, 1], [2, 33, 4, 13]]

    func random(_ shape: [Int], seed: UInt64, mean: Float = 0) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, mean: mean, using: &rng)
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        XCTAssertEqual(a.shape, b.shape)
        return zip(a.values, b.values).map { abs($0 - $1) }.max() ?? 0
    }

    func maxDifference(_ a: Tensor, _ b: [Float]) -> Float {
        zip(a.values, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    /// x in the channels-last layout only (no NCHW copy until one is asked for).
    func channelsLast(_ x: Tensor) -> Tensor { Tensor(shape: x.shape, channelsLast: ChannelsLast.values(x)) }

    func testRoundTripKeepsEveryValueInNHWCOrder() {
        for (i, shape) in shapes.enumerated() {
            let x = random(shape, seed: UInt64(i))
            let values = ChannelsLast.values(x)
            let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
            var nhwc = [Float](repeating: 0, count: x.count)
            for b in 0..<n { for ch in 0..<c { for y in 0..<h { for xx in 0..<w {
                nhwc[((b * h + y) * w + xx) * c + ch] = x[b, ch, y, xx]
            } } } }
            XCTAssertEqual(Array(UnsafeBufferPointer(start: values.base, count: x.count)), nhwc, "\(shape)")
            let back = channelsLast(x)
            XCTAssertTrue(back.isChannelsLast)
            XCTAssertEqual(back.values, x.values, "\(shape): NHWC -> NCHW")
        }
    }

    func testElementwiseKernelsMatchNCHW() {
        for (i, shape) in shapes.enumerated() {
            let x = random(shape, seed: UInt64(10 + i)), y = random(shape, seed: UInt64(20 + i))
            GradMode.withoutGrad {
                let cx = channelsLast(x)
                let pairs: [(String, Tensor, Tensor)] = [
                    ("relu", cx.relu(), x.relu()),
                    ("leakyRelu", cx.leakyRelu(slope: 0.2), x.leakyRelu(slope: 0.2)),
                    ("tanh", cx.tanh(), x.tanh()),
                    ("add to NCHW", cx + y, x + y),
                    ("add to NHWC", cx + channelsLast(y), x + y),
                    ("upsample x2", upsampleNearest(cx), upsampleNearest(x)),
                    ("upsample x3", upsampleNearest(cx, factor: 3), upsampleNearest(x, factor: 3)),
                ]
                for (name, fast, reference) in pairs {
                    XCTAssertTrue(fast.isChannelsLast, "\(name) \(shape) left the layout")
                    XCTAssertEqual(maxDifference(fast, reference), 0, "\(name) \(shape)")
                }
                for padding in 1...2 where padding < shape[2] && padding < shape[3] {
                    let fast = ChannelsLast.reflectPad(cx, padding: padding)
                    let reference = pad2d(x, top: padding, bottom: padding, left: padding, right: padding, mode: .reflect)
                    XCTAssertEqual(maxDifference(fast, reference), 0, "reflect pad \(padding) \(shape)")
                }
            }
        }
    }

    /// A map (op) a per-channel vector ([N, C, 1, 1] or [1, C, 1, 1]: a style
    /// code's offset or scale) stays channels-last and gives the NCHW broadcast's
    /// values bit for bit, at 1 and 2 threads (the larger shape splits over them).
    func testPerChannelVectorOpsStayChannelsLastAndMatchNCHW() {
        defer { BLASInfo.setThreads(2) }
        for threads in [1, 2] {
            BLASInfo.setThreads(threads)
            for (i, shape) in (shapes + [[2, 16, 128, 96]]).enumerated() {
                let x = random(shape, seed: UInt64(160 + i))
                let (n, c) = (shape[0], shape[1])
                for vectorShape in [[n, c, 1, 1], [1, c, 1, 1]] {
                    // Away from zero, so the division is exercised without infinities.
                    let v = random(vectorShape, seed: UInt64(170 + i), mean: 3)
                    GradMode.withoutGrad {
                        let cx = channelsLast(x)
                        let pairs: [(String, Tensor, Tensor)] = [
                            ("add", cx + v, x + v), ("sub", cx - v, x - v), ("mul", cx * v, x * v), ("div", cx / v, x / v),
                        ]
                        for (name, fast, reference) in pairs {
                            XCTAssertTrue(fast.isChannelsLast, "\(name) \(shape) by \(vectorShape) left the layout")
                            XCTAssertEqual(fast.shape, shape)
                            XCTAssertEqual(fast.values, reference.values, "\(name) \(shape) by \(vectorShape) at \(threads) threads")
                        }
                    }
                }
            }
        }
        // A vector of another width, or a training graph, takes the NCHW path (and its shape check).
        let x = random([1, 4, 3, 3], seed: 180), v = random([1, 4, 1, 1], seed: 181)
        XCTAssertFalse(ChannelsLast.appliesChannelwise(channelsLast(x), random([1, 1, 1, 1], seed: 182)))
        XCTAssertFalse(ChannelsLast.appliesChannelwise(channelsLast(x), random([1, 4, 3, 1], seed: 183)))
        v.requiresGrad = true
        XCTAssertFalse(ChannelsLast.appliesChannelwise(channelsLast(x), v))
    }

    func testInstanceNormMatchesNCHW() {
        for (i, shape) in shapes.enumerated() {
            // A large mean: the statistics must keep a small variance under it. Both kernels sum
            // Floats near 300 in runs (rounding ~1e-4 of the mean), so they agree to about that.
            let x = random(shape, seed: UInt64(30 + i), mean: 300)
            let c = shape[1]
            let weight = random([c], seed: 40), bias = random([c], seed: 41)
            GradMode.withoutGrad {
                for affine in [false, true] {
                    let fast = instanceNorm(channelsLast(x), weight: affine ? weight : nil, bias: affine ? bias : nil)
                    let reference = instanceNorm(x, weight: affine ? weight : nil, bias: affine ? bias : nil)
                    XCTAssertTrue(fast.isChannelsLast)
                    XCTAssertLessThan(maxDifference(fast, reference), 1e-3, "\(shape) affine \(affine)")
                }
            }
        }
        // A 1x1 plane has variance 0: the result is the bias, as in NCHW.
        let one = random([1, 20, 1, 1], seed: 50)
        let fast = GradMode.withoutGrad { instanceNorm(channelsLast(one)) }
        XCTAssertEqual(fast.values, [Float](repeating: 0, count: 20))
    }

    /// Planes large enough that the norm's passes run split over the threads (the
    /// shapes above run inline): its last pass, compiled per epilogue type, must
    /// give the NCHW kernel's values at 1 and at 2 threads.
    func testInstanceNormMatchesNCHWSplitOverThreads() {
        defer { BLASInfo.setThreads(2) }
        for threads in [1, 2] {
            BLASInfo.setThreads(threads)
            for (i, shape) in [[1, 32, 64, 48], [2, 64, 33, 40]].enumerated() {
                let x = random(shape, seed: UInt64(130 + i), mean: 3)
                let c = shape[1]
                let weight = random([c], seed: 140), bias = random([c], seed: 141)
                GradMode.withoutGrad {
                    let fast = instanceNorm(channelsLast(x), weight: weight, bias: bias)
                    let reference = instanceNorm(x, weight: weight, bias: bias)
                    XCTAssertTrue(fast.isChannelsLast)
                    XCTAssertLessThan(maxDifference(fast, reference), 1e-4, "\(shape) at \(threads) threads")
                }
            }
        }
    }

    /// SPADE's modulation (the op lives in Models; its channels-last kernel here)
    /// against the definition x * (1 + gamma) + beta, written out.
    func testModulateMatchesTheDefinition() {
        for (i, shape) in shapes.enumerated() {
            let x = random(shape, seed: UInt64(60 + i))
            let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
            let gammaBeta = random([n, 2 * c, h, w], seed: UInt64(70 + i))
            var reference = [Float](repeating: 0, count: x.count)
            for b in 0..<n { for ch in 0..<c { for y in 0..<h { for xx in 0..<w {
                reference[((b * c + ch) * h + y) * w + xx] =
                    x[b, ch, y, xx] * (1 + gammaBeta[b, ch, y, xx]) + gammaBeta[b, c + ch, y, xx]
            } } } }
            for nhwcModulation in [false, true] {
                let fast = ChannelsLast.modulate(channelsLast(x), gammaBeta: nhwcModulation ? channelsLast(gammaBeta) : gammaBeta)
                XCTAssertTrue(fast.isChannelsLast)
                XCTAssertLessThan(maxDifference(fast, reference), 1e-6, "\(shape), gamma/beta NHWC \(nhwcModulation)")
            }
        }
    }

    /// SPADE's norm -> modulation -> LeakyReLU in one pass gives exactly (bit
    /// for bit) what the three channels-last kernels give one after the other,
    /// at 1 and 2 threads, gamma/beta channels-last or not, negative values included.
    func testFusedNormModulateLeakyReluEqualsTheThreeOps() {
        defer { BLASInfo.setThreads(2) }
        for threads in [1, 2] {
            BLASInfo.setThreads(threads)
            for (i, shape) in (shapes + [[1, 32, 64, 48]]).enumerated() {
                let x = random(shape, seed: UInt64(80 + i), mean: 3)
                let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
                let gammaBeta = random([n, 2 * c, h, w], seed: UInt64(90 + i))
                GradMode.withoutGrad {
                    let steps = ChannelsLast.modulate(instanceNorm(channelsLast(x)), gammaBeta: gammaBeta).leakyRelu(slope: 0.2)
                    for nhwcModulation in [false, true] {
                        let fused = ChannelsLast.instanceNormModulateLeakyRelu(
                            channelsLast(x), gammaBeta: nhwcModulation ? channelsLast(gammaBeta) : gammaBeta, slope: 0.2)
                        XCTAssertTrue(fused.isChannelsLast)
                        XCTAssertEqual(fused.values, steps.values, "\(shape) at \(threads) threads, gamma/beta NHWC \(nhwcModulation)")
                        XCTAssertTrue(fused.values.contains { $0 < 0 }, "the negative side of the LeakyReLU is exercised")
                    }
                }
            }
        }
    }

    struct ConvCase { let n, cin, h, w, cout, k, stride, pad: Int; let reflect: Bool }

    func testConvolutionsReadAndWriteChannelsLast() {
        let cases = [
            ConvCase(n: 1, cin: 17, h: 9, w: 11, cout: 33, k: 3, stride: 1, pad: 1, reflect: false),
            ConvCase(n: 2, cin: 15, h: 7, w: 5, cout: 16, k: 3, stride: 2, pad: 1, reflect: false),
            ConvCase(n: 1, cin: 20, h: 1, w: 1, cout: 24, k: 3, stride: 1, pad: 1, reflect: false),
            ConvCase(n: 1, cin: 40, h: 6, w: 9, cout: 20, k: 1, stride: 1, pad: 0, reflect: false),
            ConvCase(n: 1, cin: 64, h: 8, w: 7, cout: 64, k: 3, stride: 1, pad: 1, reflect: false),
            ConvCase(n: 2, cin: 19, h: 6, w: 9, cout: 18, k: 3, stride: 1, pad: 1, reflect: true),
            ConvCase(n: 1, cin: 15, h: 10, w: 7, cout: 16, k: 7, stride: 1, pad: 3, reflect: true),
            ConvCase(n: 1, cin: 32, h: 9, w: 13, cout: 3, k: 3, stride: 1, pad: 1, reflect: false),
            ConvCase(n: 2, cin: 16, h: 11, w: 6, cout: 3, k: 5, stride: 1, pad: 0, reflect: false),
        ]
        for (i, c) in cases.enumerated() {
            let x = random([c.n, c.cin, c.h, c.w], seed: UInt64(80 + i))
            let w = random([c.cout, c.cin, c.k, c.k], seed: UInt64(90 + i)) * (1 / Float(c.cin * c.k * c.k).squareRoot())
            let b = random([c.cout], seed: UInt64(100 + i))
            let reference = NaiveConvolution.conv(x, w, b, stride: c.stride, pad: c.pad, reflect: c.reflect)
            for input in [x, channelsLast(x)] {
                let y = GradMode.withoutGrad {
                    conv2d(input, weight: w, bias: b, stride: c.stride, padding: c.pad, paddingMode: c.reflect ? .reflect : .zeros)
                }
                // On an NCHW input a 1x1 conv is a plain GEMM (OpenBLAS) and a 3-output head the
                // engine's tap GEMM: both stay NCHW. On a channels-last input oneDNN runs them.
                XCTAssertEqual(y.isChannelsLast, input.isChannelsLast || (c.k > 1 && c.cout > 8),
                               "\(c) from \(input.isChannelsLast ? "NHWC" : "NCHW")")
                XCTAssertLessThan(maxDifference(y, reference), 1e-4, "\(c) from \(input.isChannelsLast ? "NHWC" : "NCHW")")
            }
        }
    }

    func testTransposedConvolutionWritesChannelsLast() {
        for (i, shape) in [[1, 17, 5, 7], [2, 32, 4, 3], [1, 16, 1, 1]].enumerated() {
            let x = random(shape, seed: UInt64(110 + i))
            let cout = 9 + 7 * i
            let w = random([shape[1], cout, 3, 3], seed: UInt64(120 + i)) * (1 / Float(shape[1] * 9).squareRoot())
            let b = random([cout], seed: UInt64(130 + i))
            let reference = NaiveConvolution.convTranspose(x, w, b, stride: 2, pad: 1, outPad: 1)
            for input in [x, channelsLast(x)] {
                let y = GradMode.withoutGrad { convTranspose2d(input, weight: w, bias: b, stride: 2, padding: 1, outputPadding: 1) }
                XCTAssertTrue(y.isChannelsLast, "\(shape) -> \(cout)")
                XCTAssertLessThan(maxDifference(y, reference), 1e-4, "\(shape) -> \(cout) from \(input.isChannelsLast ? "NHWC" : "NCHW")")
            }
        }
    }

    /// Reflect padding now runs as pad2d + oneDNN's zero-padding conv in training
    /// too: its gradients against the engine's own reflect kernel.
    func testReflectPaddedConvGradientsOnOneDNNMatchTheEngine() {
        let x = random([2, 24, 9, 7], seed: 140), w = random([32, 24, 3, 3], seed: 141) * 0.1, b = random([32], seed: 142)
        let g = random([2, 32, 9, 7], seed: 143)
        func gradients(_ backend: ConvolutionBackend) -> [[Float]] {
            ConvolutionSettings.with(backend: backend) {
                let (xs, ws, bs) = (x.copy(), w.copy(), b.copy())
                for t in [xs, ws, bs] { t.requiresGrad = true }
                let y = conv2d(xs, weight: ws, bias: bs, padding: 1, paddingMode: .reflect)
                XCTAssertFalse(y.isChannelsLast, "a training result stays NCHW")
                (y * g).sum().backward()
                return [y.values, xs.grad!.values, ws.grad!.values, bs.grad!.values]
            }
        }
        let (fast, engine) = (gradients(.onednn), gradients(.engine))
        for (name, (a, e)) in zip(["output", "d/dx", "d/dw", "d/db"], zip(fast, engine)) {
            let scale = max(1, e.map { abs($0) }.max()!)
            XCTAssertLessThan(zip(a, e).map { abs($0 - $1) }.max()! / scale, 1e-4, name)
        }
    }

    func testSwitchedOffOrTrainingTheLayoutStaysNCHW() {
        let x = random([1, 16, 8, 8], seed: 150), w = random([16, 16, 3, 3], seed: 151)
        let off = ConvolutionSettings.with(channelsLast: false) { GradMode.withoutGrad { conv2d(x, weight: w, padding: 1) } }
        XCTAssertFalse(off.isChannelsLast)
        let engine = ConvolutionSettings.with(backend: .engine) { GradMode.withoutGrad { conv2d(x, weight: w, padding: 1) } }
        XCTAssertFalse(engine.isChannelsLast)
        let on = GradMode.withoutGrad { conv2d(x, weight: w, padding: 1) }
        XCTAssertTrue(on.isChannelsLast)
        XCTAssertLessThan(maxDifference(on, off), 1e-5)
    }
}
