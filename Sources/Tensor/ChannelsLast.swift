import CDNNL
import Foundation

/// The channels-last activation layout (oneDNN's nhwc: [N][H][W][C]). It is
/// what oneDNN 2.6's brgconv kernels read and write on this CPU (asked for
/// "any" layout they pick it); called with NCHW they reorder in and out at every
/// call, which cost 15-50% of the conv time (docs/benchmarks.md). So in
/// inference (no graph) the ops between convolutions - instance norm, SPADE's
/// modulation, ReLU / LeakyReLU / tanh, addition, nearest upsampling, reflect
/// padding, the transposed conv's phase shuffle - also run on this layout, and a
/// tensor is converted to NCHW only when an op without a channels-last kernel
/// reads it (`Tensor.storage`): at the network's edges.
package enum ChannelsLast {
    /// Whether inference ops may make channels-last results now: oneDNN on and the layout not switched off.
    static var enabled: Bool { ConvolutionSettings.backend == .onednn && ConvolutionSettings.channelsLast }

    /// The NCHW copy of channels-last values.
    static func plain(from values: Storage, shape: [Int]) -> Storage {
        let out = Storage(uninitializedCount: Tensor.elementCount(shape))
        OpProfile.measure("to NCHW \(shape[1])ch @\(shape[2])x\(shape[3])") {
            reorder(shape, from: values.base, fromChannelsLast: true, to: out.base, toChannelsLast: false)
        }
        return out
    }

    /// x's values channels-last: its own when it has them, else a reordered copy.
    static func values(_ x: Tensor) -> Storage {
        if let values = x.channelsLast { return values }
        let out = Storage(uninitializedCount: x.count)
        OpProfile.measure("to NHWC \(x.shape[1])ch @\(x.shape[2])x\(x.shape[3])") {
            reorder(x.shape, from: x.data, fromChannelsLast: false, to: out.base, toChannelsLast: true)
        }
        return out
    }

    /// A channels-last tensor of x's values (x itself when it is one).
    static func tensor(_ x: Tensor) -> Tensor {
        x.isChannelsLast ? x : Tensor(shape: x.shape, channelsLast: values(x))
    }

    private static func reorder(_ shape: [Int], from: UnsafePointer<Float>, fromChannelsLast: Bool,
                                to: UnsafeMutablePointer<Float>, toChannelsLast: Bool) {
        spd_set_threads(Int32(Parallel.threads))
        let status = spd_reorder(Int32(shape[0]), Int32(shape[1]), Int32(shape[2]), Int32(shape[3]),
                                 from, fromChannelsLast ? 1 : 0, to, toChannelsLast ? 1 : 0)
        check(status == 0, "oneDNN reorder of \(shape) failed (\(status))")
    }

    /// Whether a channels-last kernel handles these inputs: no graph to record,
    /// all rank 4, the first already channels-last (a plain one stays plain).
    package static func applies(_ inputs: Tensor...) -> Bool {
        inputs[0].isChannelsLast && inputs.allSatisfy { $0.rank == 4 } && !Tensor.needsGraph(inputs)
    }

    // MARK: Kernels (inference only: no graph is recorded)

    /// The same elementwise function on every value (generic over f, like `Tensor.map`).
    static func map<F: ElementwiseFunction>(_ x: Tensor, cost: Int = 1, _ f: F) -> Tensor {
        let out = Storage(uninitializedCount: x.count)
        let src = x.channelsLast!.base, dst = out.base
        Parallel.forRanges(x.count, costPerItem: cost, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = f(src[i]) }
        }
        return Tensor(shape: x.shape, channelsLast: out)
    }

    /// a + b, one shape, a channels-last.
    static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = Storage(uninitializedCount: a.count)
        let other = values(b)
        let pa = a.channelsLast!.base, pb = other.base, dst = out.base
        withExtendedLifetime(other) {
            Parallel.forRanges(a.count, costPerItem: 2, minimumWork: Parallel.memoryBoundMinimum) { r in
                for i in r { dst[i] = pa[i] + pb[i] }
            }
        }
        return Tensor(shape: a.shape, channelsLast: out)
    }

    /// Whether `a (op) b` is a channels-last map and a per-channel vector b
    /// ([N, C, 1, 1] or [1, C, 1, 1]): a style code's offset or scale. Run on the
    /// map's own layout, it keeps the SPADE label map channels-last through its
    /// ReLU and modulation conv instead of a round trip to NCHW and back (session 8).
    static func appliesChannelwise(_ a: Tensor, _ b: Tensor) -> Bool {
        applies(a, b) && b.shape[2] == 1 && b.shape[3] == 1 && b.shape[1] == a.shape[1]
            && (b.shape[0] == a.shape[0] || b.shape[0] == 1)
    }

    /// a (op) b[image, channel] at every pixel: the same Float operation per
    /// value as the NCHW broadcast (`broadcastBinary`), so bit-identical to it.
    static func channelwise(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
        let (n, c) = (a.shape[0], a.shape[1])
        let pixels = a.shape[2] * a.shape[3]
        let out = Storage(uninitializedCount: a.count)
        let src = a.channelsLast!.base, vector = b.data, dst = out.base
        let imageStride = b.shape[0] == 1 ? 0 : c
        @inline(__always) func run(_ o: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ v: UnsafePointer<Float>) {
            switch kind {
            case .add: rowKernel(o, x, 1, v, 1, c) { $0 + $1 }
            case .sub: rowKernel(o, x, 1, v, 1, c) { $0 - $1 }
            case .mul: rowKernel(o, x, 1, v, 1, c) { $0 * $1 }
            case .div: rowKernel(o, x, 1, v, 1, c) { $0 / $1 }
            }
        }
        Parallel.forRanges(n * pixels, costPerItem: c, minimumWork: Parallel.memoryBoundMinimum) { r in
            for p in r {
                run(dst + p * c, src + p * c, vector + (p / pixels) * imageStride)
            }
        }
        return Tensor(shape: a.shape, channelsLast: out)
    }

    /// Instance normalisation (see `instanceNorm`) channels-last. Statistics as in
    /// `planeStatistics`: Float sums over runs of at most 1024 pixels, Double
    /// across runs and pieces (combined in a fixed order), two passes, the mean
    /// kept as a high and a low Float. Each image's pixels are split into pieces
    /// so that a single image still uses every thread.
    static func instanceNorm(_ x: Tensor, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                             epsilon: Float) -> Tensor {
        normalized(x, weight: weight, bias: bias, epsilon: epsilon, epilogue: NormalizedValue())
    }

    /// SPADE's instance norm -> x * (1 + gamma) + beta -> LeakyReLU in the norm's
    /// last pass: the same Float operations in the same order as `instanceNorm`,
    /// `modulate` and `leakyRelu` one after the other (bit-identical), without
    /// writing and reading back the two intermediate tensors (3 of 5 passes over
    /// a 32-channel 256x256 map). gammaBeta [N, 2C, H, W], gamma the first C channels.
    package static func instanceNormModulateLeakyRelu(_ x: Tensor, gammaBeta: Tensor, slope: Float, epsilon: Float = 1e-5) -> Tensor {
        let c = x.shape[1]
        let modulation = values(gammaBeta)
        let m = modulation.base
        return withExtendedLifetime(modulation) {
            normalized(x, weight: nil, bias: nil, epsilon: epsilon,
                       epilogue: ModulatedLeakyRelu(modulation: m, channels: c, slope: slope))
        }
    }

    /// The instance norm's statistics and last pass; `epilogue.apply(value, pixel, channel)`
    /// maps each normalised value (pixel: its index over all images) before it is stored.
    /// A generic type, not a closure: the closures handed to other threads are compiled
    /// once per epilogue type with it inlined. With a closure they called it per element
    /// (an indirect call, no vectors) whenever the pass ran on two threads, and the norm
    /// took longer at 2 threads than at 1 (docs/benchmarks.md, session 6).
    private static func normalized<Epilogue: NormEpilogue>(_ x: Tensor, weight: UnsafePointer<Float>?,
                                                           bias: UnsafePointer<Float>?, epsilon: Float,
                                                           epilogue: Epilogue) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let pixels = h * w
        let src = x.channelsLast!.base
        let out = Storage(uninitializedCount: x.count)
        let dst = out.base
        let pieces = Swift.max(1, Swift.min(4 * Parallel.threads, pixels * c / 32_768))
        func range(_ piece: Int) -> Range<Int> { (pixels * piece / pieces) ..< (pixels * (piece + 1) / pieces) }
        let tasks = n * pieces
        // Per (image, piece): c Double partial sums.
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: tasks * c)
        let stats = UnsafeMutablePointer<Float>.allocate(capacity: 4 * n * c)  // hi, lo, scale, shift per (image, channel)
        defer { partial.deallocate(); stats.deallocate() }
        let (hi, lo, scale, shift) = (stats, stats + n * c, stats + 2 * n * c, stats + 3 * n * c)
        /// One pass over every piece: `run(p, count, image, acc)` adds count pixels at p into acc[0..<c].
        @inline(__always)
        func accumulate(_ run: (UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>) -> Void) {
            Parallel.forEach(tasks, costPerItem: pixels / pieces * c, minimumWork: 1 << 16) { task in
                let (image, piece) = (task / pieces, task % pieces)
                let acc = UnsafeMutablePointer<Float>.allocate(capacity: c)
                defer { acc.deallocate() }
                let total = partial + task * c
                total.initialize(repeating: 0, count: c)
                var i = range(piece).lowerBound
                let end = range(piece).upperBound
                while i < end {
                    let stop = Swift.min(end, i + 1024)
                    acc.initialize(repeating: 0, count: c)
                    run(src + (image * pixels + i) * c, stop - i, image, acc)
                    for ch in 0..<c { total[ch] += Double(acc[ch]) }
                    i = stop
                }
            }
        }
        func combine(_ body: (Int, Int, Double) -> Void) {
            for image in 0..<n {
                for ch in 0..<c {
                    var sum: Double = 0
                    for piece in 0..<pieces { sum += partial[(image * pieces + piece) * c + ch] }
                    body(image, ch, sum / Double(Swift.max(pixels, 1)))
                }
            }
        }
        accumulate { p, count, _, acc in
            for k in 0..<count {
                let row = p + k * c
                for ch in 0..<c { acc[ch] += row[ch] }
            }
        }
        combine { image, ch, mean in
            hi[image * c + ch] = Float(mean)
            lo[image * c + ch] = Float(mean - Double(Float(mean)))
        }
        accumulate { p, count, image, acc in
            let (mh, ml) = (hi + image * c, lo + image * c)
            for k in 0..<count {
                let row = p + k * c
                for ch in 0..<c {
                    let d = (row[ch] - mh[ch]) - ml[ch]
                    acc[ch] += d * d
                }
            }
        }
        combine { image, ch, variance in
            scale[image * c + ch] = Float(1 / (variance + Double(epsilon)).squareRoot()) * (weight?[ch] ?? 1)
            shift[image * c + ch] = bias?[ch] ?? 0
        }
        Parallel.forEach(tasks, costPerItem: pixels / pieces * c, minimumWork: 1 << 16) { task in
            let (image, piece) = (task / pieces, task % pieces)
            let (mh, ml, k1, k0) = (hi + image * c, lo + image * c, scale + image * c, shift + image * c)
            for k in range(piece) {
                let pixel = image * pixels + k
                let s = src + pixel * c, d = dst + pixel * c
                for ch in 0..<c { d[ch] = epilogue.apply(((s[ch] - mh[ch]) - ml[ch]) * k1[ch] + k0[ch], pixel: pixel, channel: ch) }
            }
        }
        return Tensor(shape: x.shape, channelsLast: out)
    }

    /// SPADE's x * (1 + gamma) + beta with gammaBeta [N, 2C, H, W] (gamma the first C channels).
    package static func modulate(_ x: Tensor, gammaBeta: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = Storage(uninitializedCount: x.count)
        let modulation = values(gammaBeta)
        let src = x.channelsLast!.base, m = modulation.base, dst = out.base
        withExtendedLifetime(modulation) {
            Parallel.forRanges(n * h * w, costPerItem: 3 * c, minimumWork: 1 << 16) { pixels in
                for p in pixels {
                    let s = src + p * c, d = dst + p * c, gamma = m + p * 2 * c, beta = gamma + c
                    for ch in 0..<c { d[ch] = s[ch] * (1 + gamma[ch]) + beta[ch] }
                }
            }
        }
        return Tensor(shape: x.shape, channelsLast: out)
    }

    /// Nearest upsampling by an integer factor.
    static func upsampleNearest(_ x: Tensor, factor: Int) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (h * factor, w * factor)
        let shape = [n, c, oh, ow]
        let out = Storage(uninitializedCount: n * c * oh * ow)
        let src = x.channelsLast!.base, dst = out.base
        Parallel.forEach(n * oh, costPerItem: ow * c, minimumWork: 1 << 16) { row in
            let (image, oy) = (row / oh, row % oh)
            let s = src + (image * h + oy / factor) * w * c, d = dst + row * ow * c
            for ox in 0..<ow { (d + ox * c).update(from: s + (ox / factor) * c, count: c) }
        }
        return Tensor(shape: shape, channelsLast: out)
    }

    /// Reflection padding (PyTorch ReflectionPad2d) by `padding` on every side.
    static func reflectPad(_ x: Tensor, padding: Int) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        check(padding < h && padding < w, "reflect padding \(padding) needs input larger than that, got \(x.shape)")
        let (oh, ow) = (h + 2 * padding, w + 2 * padding)
        let shape = [n, c, oh, ow]
        let out = Storage(uninitializedCount: n * c * oh * ow)
        let src = x.channelsLast!.base, dst = out.base
        @inline(__always) func source(_ i: Int, _ size: Int) -> Int { i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i) }
        Parallel.forEach(n * oh, costPerItem: ow * c, minimumWork: 1 << 16) { row in
            let (image, oy) = (row / oh, row % oh)
            let s = src + (image * h + source(oy - padding, h)) * w * c, d = dst + row * ow * c
            for ox in 0..<ow { (d + ox * c).update(from: s + source(ox - padding, w) * c, count: c) }
        }
        return Tensor(shape: shape, channelsLast: out)
    }
}

/// What the channels-last instance norm's last pass does to each normalised value before storing it.
protocol NormEpilogue {
    func apply(_ value: Float, pixel: Int, channel: Int) -> Float
}

/// The plain instance norm: the normalised value as it is.
struct NormalizedValue: NormEpilogue {
    @inline(__always) func apply(_ value: Float, pixel: Int, channel: Int) -> Float { value }
}

/// SPADE's modulation x * (1 + gamma) + beta, then LeakyReLU; `modulation` is gammaBeta
/// channels-last ([pixel][2C], gamma the first C).
struct ModulatedLeakyRelu: NormEpilogue {
    let modulation: UnsafePointer<Float>
    let channels: Int
    let slope: Float

    @inline(__always) func apply(_ value: Float, pixel: Int, channel: Int) -> Float {
        let gamma = modulation + pixel * 2 * channels
        let v = value * (1 + gamma[channel]) + gamma[channels + channel]
        return v > 0 ? v : slope * v
    }
}
