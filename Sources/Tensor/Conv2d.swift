import CBLAS
import Dispatch
import Foundation

/// How a convolution reads beyond the border.
public enum PaddingMode: String, Sendable, Codable {
    /// Zeros outside the image.
    case zeros
    /// Mirror without repeating the edge (PyTorch ReflectionPad2d); padding < size.
    case reflect
}

/// Tuning constants of the convolution kernels, measured with `bench engine`.
enum ConvTuning {
    /// Floats of columns per band in the per-thread band tasks: 512 KB, half a
    /// core's 1 MB L2 here (chosen from bench runs with 32K-256K floats; the
    /// differences between 64K and 256K were within this machine's noise).
    static let cacheBudget = 1 << 17
    /// GEMMs narrower than this many columns lose more to packing than they gain from cache.
    static let minimumColumns = 512
    /// The input gradient of a zero-padded conv goes through col2im (GEMM
    /// [Cin*k*k, Cout] then a scatter-add) on one thread or below this many
    /// input channels, and through the transposed-convolution form (per-thread
    /// band tasks, GEMM [Cin, Cout*k*k]) otherwise. Measured at 128x128, 3x3,
    /// Cout 64, one thread: col2im 1.8 / 3.4 / 6.9 ms for Cin 16 / 32 / 64 against
    /// 3.1 / 4.6 / 7.1 ms; on two threads col2im's sequential bands lose (8.0 vs 5.2 ms at Cin 64).
    static let transposedBackwardMinimumChannels = 32
}

/// 2-D convolution (cross-correlation, like PyTorch) of x [N, Cin, H, W] with
/// weight [Cout, Cin, kH, kW] and optional bias [Cout], dilation 1.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   paddingMode: PaddingMode = .zeros) -> Tensor {
    check(x.rank == 4 && weight.rank == 4, "conv2d: input \(x.shape), weight \(weight.shape) must be 4-D")
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, wcin, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    check(wcin == cin, "conv2d: weight \(weight.shape) expects \(wcin) input channels, input \(x.shape) has \(cin)")
    check(stride >= 1 && padding >= 0, "conv2d: stride \(stride), padding \(padding)")
    check(h + 2 * padding >= kh && w + 2 * padding >= kw, "conv2d: kernel \(kh)x\(kw) larger than padded input \(x.shape)")
    if paddingMode == .reflect {
        check(padding < h && padding < w, "conv2d: reflect padding \(padding) needs input larger than that, got \(x.shape)")
    }
    if let bias { check(bias.count == cout, "conv2d: bias \(bias.shape) for \(cout) output channels") }
    let geometry = TapGeometry.convolution(channels: cin, inH: h, inW: w, kernelH: kh, kernelW: kw,
                                           stride: stride, padding: padding, reflect: paddingMode == .reflect)
    if let labels = x.oneHotLabels, OneHotConvolution.applies(to: x) {
        // The layout's convolution: a table lookup, no multiplications of zeros.
        return OneHotConvolution.conv2d(x, labels: labels, geometry, weight: weight, bias: bias)
    }
    if paddingMode == .reflect && padding > 0, let padded = reflectPaddedForOneDNN(x, padding: padding, weight: weight) {
        // oneDNN has no reflect padding: pad first (a copy), then its zero-padding kernels with padding 0.
        return conv2d(padded, weight: weight, bias: bias, stride: stride, padding: 0)
    }
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    let training = Tensor.needsGraph(inputs)
    if !training, ChannelsLast.enabled, let out = channelsLastConvolution(x, geometry, weight: weight, bias: bias) {
        return out
    }
    let out = Tensor.uninitialized([n, cout, geometry.outH, geometry.outW])
    // The source oneDNN converted is kept for the weight gradient (only when there will be one).
    let saved = OpProfile.measure("conv \(kh)x\(kw) s\(stride) \(cin)->\(cout) @\(geometry.outH)x\(geometry.outW) NCHW") {
        convolutionForward(x.data, batch: n, geometry, weight: weight.data, outChannels: cout, bias: bias?.data,
                           out: out.data, training: training, keepingSource: training && weight.requiresGrad)
    }
    guard training else { return out }
    let xs = x.detach(), ws = weight.detach()
    // Decided now, under the forward's settings: backward may run elsewhere.
    let plan = OneDNNConvolution.plan(geometry, batch: n, outChannels: cout)
    return Tensor.record(out, op: .conv2d, inputs: inputs) { g in
        var grads: [Tensor?] = [nil, nil]
        let biasGrad: () -> Tensor? = {
            bias?.requiresGrad == true ? channelSums(g.data, batch: n, channels: cout, planeSize: geometry.outH * geometry.outW) : nil
        }
        if let plan {
            // Both passes in one call: the output gradient converted once, the source reused from the forward.
            let gx = x.requiresGrad ? Tensor.uninitialized(x.shape) : nil
            let gw = weight.requiresGrad ? Tensor.uninitialized(weight.shape) : nil
            if OneDNNConvolution.backward(plan, gradOutput: g.data, x: xs.data, weight: ws.data, saved: saved,
                                          gradInput: gx?.data, gradWeight: gw?.data) {
                return [gx, gw] + (bias != nil ? [biasGrad()] : [])
            }
            // A pass was refused: each on its own, the engine computes the refused one below.
            if x.requiresGrad {
                let gx = Tensor.uninitialized(x.shape)
                if OneDNNConvolution.backwardData(plan, gradOutput: g.data, weight: ws.data, gradInput: gx.data) {
                    grads[0] = gx
                }
            }
            if weight.requiresGrad {
                let gw = Tensor.uninitialized(weight.shape)
                if OneDNNConvolution.backwardWeights(plan, x: xs.data, gradOutput: g.data, gradWeight: gw.data) {
                    grads[1] = gw
                }
            }
            // Done unless oneDNN refused a pass (then the engine computes that one below).
            if (grads[0] != nil || !x.requiresGrad) && (grads[1] != nil || !weight.requiresGrad) {
                return grads + (bias != nil ? [biasGrad()] : [])
            }
        }
        if TapConvolution.applies(geometry, outChannels: cout) {
            // Both gradients from one adjoint shift.
            let gx = x.requiresGrad ? Tensor.uninitialized(x.shape) : nil
            let gw = weight.requiresGrad ? Tensor.zeros(weight.shape) : nil
            TapConvolution.backward(g.data, x: xs.data, batch: n, geometry, weight: ws.data, outChannels: cout,
                                    gradInput: gx?.data, gradWeight: gw?.data)
            return [gx, gw] + (bias != nil ? [biasGrad()] : [])
        }
        if x.requiresGrad && grads[0] == nil {
            if paddingMode == .zeros && cin >= ConvTuning.transposedBackwardMinimumChannels && Parallel.threads > 1 {
                // With zero padding, d/dx is the transposed convolution of the
                // output gradient with the same weights: phase-split GEMMs as
                // large as the forward's, no col2im pass.
                let gx = Tensor.uninitialized(x.shape)
                transposedConvolutionForward(g.data, batch: n, inChannels: cout, inH: geometry.outH, inW: geometry.outW,
                                             weight: ws.data, outChannels: cin, kernelH: kh, kernelW: kw, stride: stride,
                                             padding: padding, outH: h, outW: w, bias: nil, out: gx.data)
                grads[0] = gx
            } else {
                let gx = Tensor.zeros(x.shape)
                convolutionBackwardData(g.data, batch: n, geometry, weight: ws.data, outChannels: cout, gradInput: gx.data)
                grads[0] = gx
            }
        }
        if weight.requiresGrad && grads[1] == nil {
            let gw = Tensor.zeros(weight.shape)
            convolutionBackwardWeight(xs.data, gradOutput: g.data, batch: n, geometry, outChannels: cout, gradWeight: gw.data)
            grads[1] = gw
        }
        if bias != nil { grads.append(biasGrad()) }
        return grads
    }
}

/// x reflect-padded (channels-last when x is) when oneDNN runs the zero-padding
/// convolution of the padded input; nil when the engine's reflect kernel is used.
private func reflectPaddedForOneDNN(_ x: Tensor, padding: Int, weight: Tensor) -> Tensor? {
    let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
    let g = TapGeometry.convolution(channels: x.shape[1], inH: h + 2 * padding, inW: w + 2 * padding,
                                    kernelH: weight.shape[2], kernelW: weight.shape[3], stride: 1, padding: 0, reflect: false)
    guard padding < h && padding < w,
          OneDNNConvolution.plan(g, batch: n, outChannels: weight.shape[0]) != nil else { return nil }
    return OpProfile.measure("reflect pad \(x.shape[1])ch @\(h)x\(w)") {
        ChannelsLast.applies(x) && ChannelsLast.enabled
            ? ChannelsLast.reflectPad(x, padding: padding)
            : pad2d(x, top: padding, bottom: padding, left: padding, right: padding, mode: .reflect)
    }
}

/// Inference on oneDNN with a channels-last result (`ChannelsLast`), reading x
/// channels-last when it is; nil when the engine's kernel runs this layer or oneDNN refuses.
private func channelsLastConvolution(_ x: Tensor, _ g: TapGeometry, weight: Tensor, bias: Tensor?) -> Tensor? {
    let (n, cout) = (x.shape[0], weight.shape[0])
    guard let plan = OneDNNConvolution.plan(g, batch: n, outChannels: cout, channelsLast: x.isChannelsLast) else { return nil }
    let shape = [n, cout, g.outH, g.outW]
    let out = Storage(uninitializedCount: Tensor.elementCount(shape))
    let source = x.channelsLast?.base ?? UnsafeMutablePointer(mutating: x.data)
    let done = OpProfile.measure("conv \(weight.shape[2])x\(weight.shape[3]) s\(g.stride) \(g.channels)->\(cout) @\(g.outH)x\(g.outW) \(x.isChannelsLast ? "NHWC" : "NCHW")->NHWC") {
        OneDNNConvolution.forward(plan, x: source, weight: weight.data, bias: bias?.data, out: out.base, training: false,
                                  srcChannelsLast: x.isChannelsLast, dstChannelsLast: true)
    }
    return done ? Tensor(shape: shape, channelsLast: out) : nil
}

/// out[n] = W [Cout, K] x columns(x[n]) (+ bias) for every image: on oneDNN
/// where it has a kernel for the layer, else on the engine's own.
/// `keepingSource` (training): returns what oneDNN's forward kept for `OneDNNConvolution.backward`; nil on the engine.
@discardableResult
func convolutionForward(_ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                        outChannels cout: Int, bias: UnsafePointer<Float>? = nil, out: UnsafeMutablePointer<Float>,
                        training: Bool = false, keepingSource: Bool = false) -> OneDNNConvolution.Saved? {
    if let plan = OneDNNConvolution.plan(g, batch: batch, outChannels: cout) {
        if keepingSource, let saved = OneDNNConvolution.forwardKeepingSource(plan, x: x, weight: weight, bias: bias, out: out) {
            return saved
        }
        if !keepingSource, OneDNNConvolution.forward(plan, x: x, weight: weight, bias: bias, out: out, training: training) {
            return nil
        }
    }
    engineConvolutionForward(x, batch: batch, g, weight: weight, outChannels: cout, out: out)
    if let bias { addChannelBias(out, bias: bias, batch: batch, channels: cout, planeSize: g.outH * g.outW) }
    return nil
}

/// out[n] = W [Cout, K] x columns(x[n]) on the engine's kernels; no bias.
func engineConvolutionForward(_ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                              outChannels cout: Int, out: UnsafeMutablePointer<Float>) {
    let inPlane = g.channels * g.inH * g.inW
    let outPlane = g.outH * g.outW
    let k = g.rows
    if TapConvolution.applies(g, outChannels: cout) {
        TapConvolution.forward(x, batch: batch, g, weight: weight, outChannels: cout, out: out)
        return
    }
    if g.isIdentity {
        for i in 0..<batch {
            sgemm(m: cout, n: outPlane, k: k, a: weight, lda: k, b: x + i * inPlane, ldb: outPlane,
                  c: out + i * cout * outPlane, ldc: outPlane)
        }
        return
    }
    // Cache-sized bands of output rows; each task builds its columns and runs
    // its GEMM on one thread, so the columns stay in that core's L2.
    let band = g.bandRows(budget: ConvTuning.cacheBudget, minimumColumns: ConvTuning.minimumColumns)
    let bandsPerImage = (g.outH + band - 1) / band
    let phases = PolyphaseImages(g, x, batch: batch)
    Parallel.tasks(batch * bandsPerImage, workPerTask: 2 * cout * k * band * g.outW) { task, scratch in
        let i = task / bandsPerImage
        let r0 = (task % bandsPerImage) * band
        let r1 = Swift.min(g.outH, r0 + band)
        let t = (r1 - r0) * g.outW
        let cols = scratch.floats(k * band * g.outW)
        im2col(g, input: x + i * inPlane, rowStart: r0, rowEnd: r1, cols: cols, polyphase: phases[i])
        sgemm(m: cout, n: t, k: k, a: weight, lda: k, b: cols, ldb: t,
              c: out + i * cout * outPlane + r0 * g.outW, ldc: outPlane)
    }
}

/// gradInput[n] += col2im(W^T x gradOut[n]); gradInput must start zeroed.
func convolutionBackwardData(_ gOut: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                             outChannels cout: Int, gradInput: UnsafeMutablePointer<Float>) {
    let inPlane = g.channels * g.inH * g.inW
    let outPlane = g.outH * g.outW
    let k = g.rows
    if g.isIdentity {
        for i in 0..<batch {
            sgemm(transA: true, m: k, n: outPlane, k: cout, a: weight, lda: k, b: gOut + i * cout * outPlane,
                  ldb: outPlane, beta: 1, c: gradInput + i * inPlane, ldc: outPlane)
        }
        return
    }
    let band = g.bandRows(budget: ConvTuning.cacheBudget, minimumColumns: ConvTuning.minimumColumns)
    let scratch = ScratchBuffer()
    let cols = scratch.floats(k * band * g.outW)
    for i in 0..<batch {
        var r0 = 0
        while r0 < g.outH {
            let r1 = Swift.min(g.outH, r0 + band)
            let t = (r1 - r0) * g.outW
            sgemm(transA: true, m: k, n: t, k: cout, a: weight, lda: k,
                  b: gOut + i * cout * outPlane + r0 * g.outW, ldb: outPlane, c: cols, ldc: t)
            col2im(g, cols: cols, rowStart: r0, rowEnd: r1, input: gradInput + i * inPlane)
            r0 = r1
        }
    }
}

/// gradWeight [Cout, K] += sum over images of gradOut[n] x columns(x[n])^T.
/// (A transposed convolution's weight gradient is this same product with the
/// roles of input and output gradient exchanged.)
func convolutionBackwardWeight(_ x: UnsafePointer<Float>, gradOutput gOut: UnsafePointer<Float>, batch: Int,
                               _ g: TapGeometry, outChannels cout: Int, gradWeight: UnsafeMutablePointer<Float>) {
    if let plan = OneDNNConvolution.plan(g, batch: batch, outChannels: cout) {
        // oneDNN overwrites; the contract here is +=.
        let scratch = ScratchBuffer()
        let count = cout * g.rows
        let fresh = scratch.floats(count)
        if OneDNNConvolution.backwardWeights(plan, x: x, gradOutput: gOut, gradWeight: fresh) {
            addInPlace(gradWeight, fresh, count)
            return
        }
    }
    let inPlane = g.channels * g.inH * g.inW
    let outPlane = g.outH * g.outW
    let k = g.rows
    if TapConvolution.applies(g, outChannels: cout) {
        TapConvolution.backward(gOut, x: x, batch: batch, g, weight: nil, outChannels: cout, gradInput: nil, gradWeight: gradWeight)
        return
    }
    if g.isIdentity {
        for i in 0..<batch {
            sgemm(transB: true, m: cout, n: k, k: outPlane, a: gOut + i * cout * outPlane, lda: outPlane,
                  b: x + i * inPlane, ldb: outPlane, beta: 1, c: gradWeight, ldc: k)
        }
        return
    }
    accumulateWeightGradientOverBands(x, batch: batch, g, outChannels: cout, gradOutput: gOut,
                                      gradWeight: gradWeight, gemmsPerBand: 1, alsoPerBand: nil)
}

/// For a transposed convolution's backward: out = W x columns(x) (its input
/// gradient) and gradWeight += gradOutput x columns(x)^T (its weight gradient)
/// from one im2col per band. Static per-worker split, partials added in order.
func convolutionForwardAndWeightGradient(_ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry,
                                         weight: UnsafePointer<Float>, outChannels cout: Int,
                                         out: UnsafeMutablePointer<Float>, gradOutput gOut: UnsafePointer<Float>,
                                         gradWeight: UnsafeMutablePointer<Float>) {
    let outPlane = g.outH * g.outW
    let k = g.rows
    accumulateWeightGradientOverBands(x, batch: batch, g, outChannels: cout, gradOutput: gOut,
                                      gradWeight: gradWeight, gemmsPerBand: 2) { cols, i, r0, t in
        sgemm(m: cout, n: t, k: k, a: weight, lda: k, b: cols, ldb: t,
              c: out + i * cout * outPlane + r0 * g.outW, ldc: outPlane)
    }
}

/// gradWeight += gradOutput x columns(x)^T, one im2col per band of output
/// rows; `alsoPerBand(cols, image, firstRow, columns)` may use the same
/// columns for another product. Each worker sums its share of bands into its
/// own partial gradient; the partials are added in worker order, so results
/// repeat run to run.
private func accumulateWeightGradientOverBands(
    _ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, outChannels cout: Int,
    gradOutput gOut: UnsafePointer<Float>, gradWeight: UnsafeMutablePointer<Float>, gemmsPerBand: Int,
    alsoPerBand: ((UnsafeMutablePointer<Float>, Int, Int, Int) -> Void)?
) {
    let inPlane = g.channels * g.inH * g.inW
    let outPlane = g.outH * g.outW
    let k = g.rows
    let band = g.bandRows(budget: ConvTuning.cacheBudget, minimumColumns: ConvTuning.minimumColumns)
    let bandsPerImage = (g.outH + band - 1) / band
    let tasks = batch * bandsPerImage
    let workers = Parallel.workers(tasks, workPerItem: 2 * gemmsPerBand * cout * k * band * g.outW)
    let partials = ScratchBuffer()
    let partialBase = partials.floats(Swift.max(0, workers - 1) * cout * k)
    let phases = PolyphaseImages(g, x, batch: batch)
    Parallel.workerRanges(tasks, workers: workers) { worker, range in
        let target = worker == 0 ? gradWeight : partialBase + (worker - 1) * cout * k
        if worker > 0 { target.update(repeating: 0, count: cout * k) }
        let scratch = ScratchBuffer()
        let cols = scratch.floats(k * band * g.outW)
        for task in range {
            let i = task / bandsPerImage
            let r0 = (task % bandsPerImage) * band
            let r1 = Swift.min(g.outH, r0 + band)
            let t = (r1 - r0) * g.outW
            im2col(g, input: x + i * inPlane, rowStart: r0, rowEnd: r1, cols: cols, polyphase: phases[i])
            alsoPerBand?(cols, i, r0, t)
            sgemm(transB: true, m: cout, n: k, k: t, a: gOut + i * cout * outPlane + r0 * g.outW, lda: outPlane,
                  b: cols, ldb: t, beta: 1, c: target, ldc: k)
        }
    }
    for w in 1..<Swift.max(workers, 1) {
        addInPlace(gradWeight, partialBase + (w - 1) * cout * k, cout * k)
    }
}

/// Polyphase copies of every image for a strided convolution (nil entries
/// for stride 1, where im2col copies rows directly).
struct PolyphaseImages {
    private let storage: ScratchBuffer?
    private let images: [PolyphaseRows]

    init(_ g: TapGeometry, _ x: UnsafePointer<Float>, batch: Int) {
        guard g.stride > 1 else {
            storage = nil
            images = []
            return
        }
        let perImage = PolyphaseRows.floats(g)
        let buffer = ScratchBuffer()
        let base = buffer.floats(batch * perImage)
        storage = buffer
        images = (0..<batch).map { i in
            PolyphaseRows(g, image: x + i * g.channels * g.inH * g.inW, buffer: base + i * perImage)
        }
    }

    subscript(_ i: Int) -> PolyphaseRows? { images.isEmpty ? nil : images[i] }
}
