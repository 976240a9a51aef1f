@testable import Tensor
import XCTest

/// Convolutions of a one-hot layout by table lookup (`OneHotConvolution`)
/// against the naive definition and the dense convolution (lookup off), on
/// random class maps with unlabelled pixels, a class in one pixel only and
/// classes absent: odd sizes, zero and reflect padding, stride 2, 1x1 and 5x5,
/// output channels that are and are not multiples of the 8-float vectors,
/// batch > 1, 1 and 2 threads, NCHW and channels-last results; the weight and
/// bias gradients against the dense convolution's.
final class OneHotConvolutionTests: XCTestCase {
    struct Layer {
        var outChannels: Int, kernel: Int, stride: Int, padding: Int, mode: PaddingMode
    }

    let layers = [
        Layer(outChannels: 16, kernel: 3, stride: 1, padding: 1, mode: .zeros),   // SPADE's shared conv
        Layer(outChannels: 16, kernel: 3, stride: 1, padding: 1, mode: .reflect), // LGGAN's encoder input
        Layer(outChannels: 13, kernel: 3, stride: 2, padding: 1, mode: .zeros),
        Layer(outChannels: 32, kernel: 5, stride: 1, padding: 2, mode: .reflect),
        Layer(outChannels: 5, kernel: 1, stride: 1, padding: 0, mode: .zeros),
        Layer(outChannels: 9, kernel: 3, stride: 1, padding: 0, mode: .zeros),
    ]
    /// [batch, classes, height, width]
    let shapes = [[1, 15, 13, 11], [3, 6, 7, 9], [2, 4, 5, 17]]

    /// A random class map with -1 (no class) pixels, class 0 in exactly one pixel
    /// of each image, and the last class never used.
    func labels(_ shape: [Int], seed: UInt64) -> [Int] {
        let (n, classes, h, w) = (shape[0], shape[1], shape[2], shape[3])
        var rng = RandomGenerator(seed: seed)
        var out = (0..<(n * h * w)).map { _ -> Int in
            let u = rng.nextUniform()
            return u < 0.1 ? -1 : 1 + Int(u * Float(classes - 2)) % (classes - 2)
        }
        for i in 0..<n { out[i * h * w + (7 * i + 3) % (h * w)] = 0 }
        return out
    }

    func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, using: &rng)
    }

    func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    func conv(_ x: Tensor, _ layer: Layer, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: layer.stride, padding: layer.padding, paddingMode: layer.mode)
    }

    /// The f32 sums differ from the naive Double sums and the dense kernels' only
    /// in rounding: at most 9..25 terms of |w| < ~4, so 1e-5 is ~20 ulps of the results.
    static let tolerance: Float = 1e-5

    func testLookupMatchesTheDefinitionAndTheDenseConvolution() throws {
        defer { BLASInfo.setThreads(2) }
        var checked = 0
        for (s, shape) in shapes.enumerated() {
            let indices = labels(shape, seed: UInt64(s))
            let x = Tensor.oneHot(labels: indices, batch: shape[0], height: shape[2], width: shape[3], classes: shape[1])
            XCTAssertNotNil(x.oneHotLabels, "Tensor.oneHot carries its class map")
            for (l, layer) in layers.enumerated() {
                let weight = random([layer.outChannels, shape[1], layer.kernel, layer.kernel], seed: UInt64(100 + l))
                let bias = l % 2 == 0 ? random([layer.outChannels], seed: UInt64(200 + l)) : nil
                let reference = NaiveConvolution.conv(x, weight, bias, stride: layer.stride, pad: layer.padding,
                                                      reflect: layer.mode == .reflect)
                for threads in [1, 2] {
                    BLASInfo.setThreads(threads)
                    for channelsLast in [true, false] {
                        let (lookup, dense) = GradMode.withoutGrad {
                            ConvolutionSettings.with(channelsLast: channelsLast) {
                                (conv(x, layer, weight, bias),
                                 ConvolutionSettings.with(oneHotLookup: false) { conv(x, layer, weight, bias) })
                            }
                        }
                        let what = "\(shape) layer \(l) threads \(threads) channelsLast \(channelsLast)"
                        XCTAssertEqual(lookup.shape, dense.shape, what)
                        XCTAssertEqual(lookup.isChannelsLast, channelsLast && ChannelsLast.enabled, what)
                        XCTAssertLessThanOrEqual(maxDifference(lookup.values, reference), Self.tolerance, what)
                        XCTAssertLessThanOrEqual(maxDifference(lookup.values, dense.values), Self.tolerance, what)
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, shapes.count * layers.count * 4)
    }

    /// The lookup really runs (the profile names it), and not for a tensor that is not one-hot.
    func testTheLookupRunsOnlyForOneHotInputs() {
        let shape = [1, 15, 9, 9]
        let x = Tensor.oneHot(labels: labels(shape, seed: 7), batch: 1, height: 9, width: 9, classes: 15)
        let weight = random([16, 15, 3, 3], seed: 8)
        let profile = OpProfile()
        GradMode.withoutGrad {
            OpProfile.$current.withValue(profile) {
                _ = conv2d(x, weight: weight, padding: 1)
                _ = conv2d(random(shape, seed: 9), weight: weight, padding: 1)
            }
        }
        let names = profile.entries.map(\.name).filter { $0.hasPrefix("conv ") }
        XCTAssertEqual(names.filter { $0.contains("one-hot lookup") }.count, 1, "\(names)")
        XCTAssertEqual(names.count, 2, "\(names)")
    }

    /// A nearest resize keeps the class map (the SPADE levels), with the classes the
    /// resized one-hot holds; any in-place write voids it, so the values decide again.
    func testNearestResizeKeepsTheLabelsAndWritesDropThem() throws {
        let indices = labels([2, 7, 12, 10], seed: 3)
        let x = Tensor.oneHot(labels: indices, batch: 2, height: 12, width: 10, classes: 7)
        for (h, w) in [(6, 5), (24, 20), (5, 7)] {
            let resized = resizeNearest(x, height: h, width: w)
            let labels = try XCTUnwrap(resized.oneHotLabels, "\(h)x\(w)")
            var expected: [Int] = []
            for n in 0..<2 {
                expected += Tensor.resizeLabels(Array(indices[n * 120 ..< (n + 1) * 120]), height: 12, width: 10,
                                                toHeight: h, toWidth: w)
            }
            XCTAssertEqual(labels.indices.map(Int.init), expected.map { $0 < 0 ? -1 : $0 })
            XCTAssertEqual(resized.values, Tensor.oneHot(labels: expected, batch: 2, height: h, width: w, classes: 7).values)
        }
        XCTAssertNil((x + Float(0)).oneHotLabels, "other ops make tensors without labels")
        XCTAssertNil(x.reshaped([2, 7, 120, 1]).oneHotLabels, "another shape does not describe the map")

        let weight = random([8, 7, 3, 3], seed: 4)
        let writes: [(String, (Tensor) -> Void)] = [
            ("fill", { $0.fill(0.5) }),
            ("buffer", { t in t.withUnsafeMutableBufferPointer { $0[3] = 2 } }),
            ("subscript", { $0[0, 1, 2, 3] = 1 }),
            ("assign", { $0.assign(Tensor(shape: $0.shape, repeating: 0.25)) }),
            ("through a detached alias", { $0.detach().fill(0.5) }),
        ]
        for (name, write) in writes {
            let y = Tensor.oneHot(labels: indices, batch: 2, height: 12, width: 10, classes: 7)
            write(y)
            XCTAssertNil(y.oneHotLabels, name)
            let out = GradMode.withoutGrad { conv2d(y, weight: weight, padding: 1) }
            let reference = NaiveConvolution.conv(y, weight, nil, stride: 1, pad: 1, reflect: false)
            XCTAssertLessThanOrEqual(maxDifference(out.values, reference), Self.tolerance, name)
        }
    }

    /// Training: the forward by lookup and the weight and bias gradients by
    /// scatter-adding the output gradient, against the dense convolution's.
    func testWeightAndBiasGradientsMatchTheDenseConvolution() {
        defer { BLASInfo.setThreads(2) }
        for (s, shape) in shapes.enumerated() {
            let x = Tensor.oneHot(labels: labels(shape, seed: UInt64(30 + s)), batch: shape[0], height: shape[2],
                                  width: shape[3], classes: shape[1])
            for (l, layer) in layers.enumerated() {
                let w0 = random([layer.outChannels, shape[1], layer.kernel, layer.kernel], seed: UInt64(300 + l))
                let b0 = random([layer.outChannels], seed: UInt64(400 + l))
                func gradients(lookup: Bool) -> (out: [Float], weight: [Float], bias: [Float]) {
                    let weight = Tensor.parameter(shape: w0.shape, values: w0.values)
                    let bias = Tensor.parameter(shape: b0.shape, values: b0.values)
                    let out = ConvolutionSettings.with(oneHotLookup: lookup) { conv(x, layer, weight, bias) }
                    // A loss whose gradient differs per output value.
                    let probe = random(out.shape, seed: UInt64(500 + l))
                    (out * probe).sum().backward()
                    return (out.values, weight.grad!.values, bias.grad!.values)
                }
                for threads in [1, 2] {
                    BLASInfo.setThreads(threads)
                    let fast = gradients(lookup: true), dense = gradients(lookup: false)
                    let what = "\(shape) layer \(l) threads \(threads)"
                    XCTAssertLessThanOrEqual(maxDifference(fast.out, dense.out), Self.tolerance, what)
                    // Sums of up to N*H*W products of two N(0,1) values: a relative bound.
                    let scale = dense.weight.map(abs).max() ?? 1
                    XCTAssertGreaterThan(scale, 0.1, what)
                    XCTAssertLessThanOrEqual(maxDifference(fast.weight, dense.weight), 1e-5 * Swift.max(1, scale), what)
                    XCTAssertLessThanOrEqual(maxDifference(fast.bias, dense.bias), 1e-4, what)
                }
            }
        }
    }

    /// The last class is never used and the border taps read no class: their weights get exactly zero gradient.
    func testAbsentClassesGetNoGradient() {
        let shape = [2, 6, 7, 9]
        let x = Tensor.oneHot(labels: labels(shape, seed: 40), batch: 2, height: 7, width: 9, classes: 6)
        let weight = Tensor.parameter(shape: [16, 6, 3, 3], values: random([16, 6, 3, 3], seed: 41).values)
        conv2d(x, weight: weight, padding: 1).sum().backward()
        let grad = weight.grad!
        for o in 0..<16 { for t in 0..<9 { XCTAssertEqual(grad[o, 5, t / 3, t % 3], 0) } }
        XCTAssertGreaterThan(grad.values.map(abs).max() ?? 0, 1)
    }
}
