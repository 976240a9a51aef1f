import CDNNL
import Foundation

/// Which kernels run the engine's convolutions. Scoped per task/thread like
/// GradMode, so a benchmark or test can compare both in one process.
public enum ConvolutionBackend: String, Sendable, CaseIterable {
    /// oneDNN where it has a tuned kernel for the layer (see `OneDNNConvolution.plan`), the engine elsewhere.
    case onednn
    /// The engine's own im2col + OpenBLAS and tap-GEMM kernels only.
    case engine
}

/// Number format of the convolutions on oneDNN, for inference and training alike.
/// Everything else (the engine's kernels, norms, losses, master weights and the
/// optimiser's state) stays f32.
public enum ConvolutionPrecision: String, Sendable, CaseIterable, Codable {
    case f32
    /// bf16 inputs (source, weights, and in backward the output gradient), f32
    /// accumulation and f32 results (output, input and weight gradients); oneDNN layers only.
    case bf16
}

extension ConvolutionPrecision {
    /// The precision a user asked for: "f32", "bf16" or "auto" (bf16 where the
    /// CPU computes it natively, else f32); nil (no flag) reads the environment
    /// variable SCENEPAINT_PRECISION, then means "auto". nil for anything else.
    public static func resolve(_ requested: String?) -> ConvolutionPrecision? {
        let text = requested ?? ProcessInfo.processInfo.environment["SCENEPAINT_PRECISION"] ?? "auto"
        if text == "auto" { return ConvolutionSettings.fastestInferencePrecision }
        return ConvolutionPrecision(rawValue: text)
    }
}

/// The convolution settings in force for the current task/thread.
public enum ConvolutionSettings {
    /// `SCENEPAINT_CONVOLUTIONS=engine` turns oneDNN off for the whole process.
    @TaskLocal static var backend: ConvolutionBackend =
        ProcessInfo.processInfo.environment["SCENEPAINT_CONVOLUTIONS"] == "engine" ? .engine : .onednn
    @TaskLocal static var precision: ConvolutionPrecision = .f32
    /// Off only to measure the direct kernel against Winograd.
    @TaskLocal static var winograd = true
    /// Off only to measure channels-last activations against NCHW in and out of every conv (`ChannelsLast`).
    @TaskLocal static var channelsLast = true
    /// Off only to compare convolutions of a one-hot layout by lookup with the dense ones (`OneHotConvolution`).
    @TaskLocal static var oneHotLookup = true

    public static var currentBackend: ConvolutionBackend { backend }
    public static var currentPrecision: ConvolutionPrecision { precision }

    /// Every setting in force, to tell whether a convolution's kept result
    /// (`TextureNoiseLevel`) was made the way one made now would be.
    public struct Snapshot: Equatable, Sendable {
        let backend: ConvolutionBackend
        let precision: ConvolutionPrecision
        let winograd: Bool
        let channelsLast: Bool
        let oneHotLookup: Bool
    }

    public static var snapshot: Snapshot {
        Snapshot(backend: backend, precision: precision, winograd: winograd, channelsLast: channelsLast,
                 oneHotLookup: oneHotLookup)
    }

    public static func with<R>(backend: ConvolutionBackend, _ body: () throws -> R) rethrows -> R {
        try $backend.withValue(backend, operation: body)
    }

    public static func with<R>(precision: ConvolutionPrecision, _ body: () throws -> R) rethrows -> R {
        try $precision.withValue(precision, operation: body)
    }

    public static func with<R>(winograd: Bool, _ body: () throws -> R) rethrows -> R {
        try $winograd.withValue(winograd, operation: body)
    }

    public static func with<R>(channelsLast: Bool, _ body: () throws -> R) rethrows -> R {
        try $channelsLast.withValue(channelsLast, operation: body)
    }

    public static func with<R>(oneHotLookup: Bool, _ body: () throws -> R) rethrows -> R {
        try $oneHotLookup.withValue(oneHotLookup, operation: body)
    }

    /// bf16 where the CPU computes it natively (avx512_bf16 or AMX), else f32:
    /// emulated bf16 is slower than f32 and no more accurate.
    public static var fastestInferencePrecision: ConvolutionPrecision {
        spd_has_native_bf16() != 0 ? .bf16 : .f32
    }
}

/// The engine's convolutions on oneDNN (libdnnl 2.6 through the CDNNL bridge):
/// NCHW or channels-last in and out, oneDNN's own layouts inside each call.
/// Every call checks the kernel oneDNN picked and refuses reference kernels
/// (`ref:`, up to 100x slower), returning false so the caller runs its own.
enum OneDNNConvolution {
    /// What oneDNN runs for one layer, or nil when the engine's kernel is used.
    /// The shape carries the precision in force when the plan was made (`ConvolutionSettings.precision`):
    /// the one place that decides it, so a backward pass run elsewhere computes in the forward's format.
    struct Plan {
        var shape: spd_conv_shape
    }

    /// The layer decision (measured per layer with `bench engine` and `bench
    /// generate --profile`, table in docs/benchmarks.md): oneDNN for zero-padded
    /// convolutions with more than `TapConvolution.maxOutputChannels` outputs and
    /// a kernel larger than 1x1; the engine's tap GEMM for the few-channel heads,
    /// plain GEMMs for 1x1, and the engine for reflect padding (oneDNN has none;
    /// `conv2d` pads first where oneDNN runs the padded conv).
    /// On the channels-last inference path (`channelsLast`: the input is
    /// channels-last, or the result will be) 1x1 convs and the heads run on
    /// oneDNN too: on NCHW they would need the input converted first, which
    /// costs more than the engine's kernels gain (toRGB 32->3 at 256x256, bf16:
    /// oneDNN 2.1 ms on nhwc against the tap GEMM's 4.8 ms plus 2.1 ms of conversion).
    static func plan(_ g: TapGeometry, batch: Int, outChannels cout: Int, channelsLast: Bool = false) -> Plan? {
        guard ConvolutionSettings.backend == .onednn, !g.reflect, channelsLast || !g.isIdentity,
              channelsLast || !TapConvolution.applies(g, outChannels: cout),
              TapConvolution.isConsecutive(g.offsetsY), TapConvolution.isConsecutive(g.offsetsX) else { return nil }
        let kh = g.offsetsY.count, kw = g.offsetsX.count
        let padTop = -g.offsetsY[0], padLeft = -g.offsetsX[0]
        let padBottom = (g.outH - 1) * g.stride + g.offsetsY[kh - 1] - (g.inH - 1)
        let padRight = (g.outW - 1) * g.stride + g.offsetsX[kw - 1] - (g.inW - 1)
        guard padTop >= 0, padLeft >= 0, padBottom >= 0, padRight >= 0,
              padTop < kh, padLeft < kw, padBottom < kh, padRight < kw else { return nil }
        let shape = spd_conv_shape(
            batch: Int32(batch), in_channels: Int32(g.channels), in_h: Int32(g.inH), in_w: Int32(g.inW),
            out_channels: Int32(cout), out_h: Int32(g.outH), out_w: Int32(g.outW),
            kernel_h: Int32(kh), kernel_w: Int32(kw), stride: Int32(g.stride),
            pad_top: Int32(padTop), pad_left: Int32(padLeft), bf16: ConvolutionSettings.precision == .bf16 ? 1 : 0,
            winograd: 0, training: 0,
            src_nhwc: 0, dst_nhwc: 0)
        return Plan(shape: shape)
    }

    /// Winograd (F(4x4, 3x3)) for 3x3 stride-1 layers of at least 32 channels
    /// each way (measured faster there; errors ~2e-5 relative, within float
    /// tolerance of the direct kernel); the direct kernel elsewhere.
    static func prefersWinograd(_ s: spd_conv_shape) -> Bool {
        s.kernel_h == 3 && s.kernel_w == 3 && s.stride == 1 && s.in_channels >= 32 && s.out_channels >= 32
    }

    /// What a training forward kept for the backward passes: its source already in the layout and
    /// format oneDNN read it in (blocked, bf16 under bf16), so the weight gradient need not convert it
    /// again. Freed with the autograd node that holds it; empty when the forward converted nothing.
    final class Saved {
        fileprivate let pointer: OpaquePointer?
        fileprivate init(_ pointer: OpaquePointer?) { self.pointer = pointer }
        deinit { spd_conv_saved_free(pointer) }
    }

    /// out = conv(x, weight) (+ bias); false when oneDNN refused (nothing written).
    /// `srcChannelsLast` / `dstChannelsLast`: x / out channels-last (nhwc, `ChannelsLast`) instead of NCHW.
    static func forward(_ plan: Plan, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        out: UnsafeMutablePointer<Float>, training: Bool,
                        srcChannelsLast: Bool = false, dstChannelsLast: Bool = false) -> Bool {
        var s = plan.shape
        s.training = training ? 1 : 0
        s.src_nhwc = srcChannelsLast ? 1 : 0
        s.dst_nhwc = dstChannelsLast ? 1 : 0
        return run(s) { spd_conv_forward(&$0, x, weight, bias, out, nil, 0) }
    }

    /// A training forward (NCHW) that keeps its converted source for `backward`; nil when oneDNN refused.
    static func forwardKeepingSource(_ plan: Plan, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>) -> Saved? {
        var s = plan.shape
        s.training = 1
        var kept: OpaquePointer?
        return run(s) { spd_conv_forward_keeping(&$0, x, weight, bias, out, &kept) } ? Saved(kept) : nil
    }

    /// Winograd first where it wins (f32 only), else the direct kernel; true when one ran.
    private static func run(_ shape: spd_conv_shape, _ call: (inout spd_conv_shape) -> Int32) -> Bool {
        var s = shape
        spd_set_threads(Int32(Parallel.threads))
        if s.bf16 == 0 && ConvolutionSettings.winograd && prefersWinograd(s) {
            var w = s
            w.winograd = 1
            if call(&w) == 0 { return true }
        }
        return call(&s) == 0
    }

    /// Both gradients of one conv in one bridge call (the output gradient converted once, the source
    /// taken from `saved` where it fits): gradInput / gradWeight overwritten, nil to skip that pass.
    /// False when oneDNN refused a pass (then nothing was written).
    static func backward(_ plan: Plan, gradOutput: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         saved: Saved?, gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?) -> Bool {
        var s = plan.shape
        spd_set_threads(Int32(Parallel.threads))
        return spd_conv_backward(&s, gradOutput, x, weight, saved?.pointer, gradInput, gradWeight) == 0
    }

    /// gradInput = d/dx (overwritten); false when refused.
    static func backwardData(_ plan: Plan, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>) -> Bool {
        var s = plan.shape
        spd_set_threads(Int32(Parallel.threads))
        return spd_conv_backward_data(&s, gradOutput, weight, gradInput, nil, 0) == 0
    }

    /// gradWeight = d/dW (overwritten); false when refused.
    static func backwardWeights(_ plan: Plan, x: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradWeight: UnsafeMutablePointer<Float>) -> Bool {
        var s = plan.shape
        spd_set_threads(Int32(Parallel.threads))
        return spd_conv_backward_weights(&s, x, gradOutput, gradWeight, nil, 0) == 0
    }

    /// The kernel oneDNN picks for a layer and pass ("" when it refuses), for tests and the bench;
    /// `precision` replaces the plan's.
    static func implementation(_ plan: Plan, pass: Pass, precision: ConvolutionPrecision = .f32,
                               winograd: Bool = false, training: Bool = false) -> String {
        var s = plan.shape
        s.bf16 = precision == .bf16 ? 1 : 0
        s.winograd = winograd ? 1 : 0
        s.training = training ? 1 : 0
        var buffer = [CChar](repeating: 0, count: 256)
        let status = spd_conv_query(&s, Int32(pass.rawValue), &buffer, buffer.count)
        return status == 0 ? String(cString: buffer) : ""
    }

    enum Pass: Int { case forward = 0, backwardData = 1, backwardWeights = 2 }

    /// "oneDNN 2.6.3 (avx512_core_bf16)".
    static var versionDescription: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        spd_version(&major, &minor, &patch)
        return "oneDNN \(major).\(minor).\(patch) (\(String(cString: spd_cpu_isa())))"
    }
}

/// What runs the convolutions, for tests, `bench` headers and the docs.
public enum ConvolutionLibrary {
    /// "oneDNN 2.6.3 (avx512_core_bf16)".
    public static var description: String { OneDNNConvolution.versionDescription }

    public enum Pass: Sendable { case forward, backwardData, backwardWeights }

    /// The oneDNN kernel (its implementation string, e.g. "brgconv:avx512_core")
    /// that a zero-padded conv2d of these shapes runs for `pass` under the
    /// current settings, or nil when the engine's own kernel runs it.
    public static func kernel(input: [Int], weight: [Int], stride: Int = 1, padding: Int = 0, pass: Pass = .forward,
                              precision: ConvolutionPrecision = .f32, winograd: Bool = false) -> String? {
        let g = TapGeometry.convolution(channels: input[1], inH: input[2], inW: input[3], kernelH: weight[2],
                                        kernelW: weight[3], stride: stride, padding: padding, reflect: false)
        guard let plan = OneDNNConvolution.plan(g, batch: input[0], outChannels: weight[0]) else { return nil }
        let p: OneDNNConvolution.Pass = pass == .forward ? .forward : (pass == .backwardData ? .backwardData : .backwardWeights)
        let name = OneDNNConvolution.implementation(plan, pass: p, precision: precision, winograd: winograd)
        return name.isEmpty ? nil : name
    }
}

extension ConvolutionLibrary {
    /// One training convolution (zero padding, NCHW) straight on the oneDNN bridge under the current
    /// precision, for tests: the output, input and weight gradients either `shared` (the forward keeps its
    /// converted source, both backward passes in one call, as `conv2d` trains) or pass by pass (a call
    /// each). `backwardSource` replaces x in the backward passes (default x): a test passes other values
    /// to see whether the shared weight gradient read the source the forward kept. Layers the engine
    /// would keep (1x1, few-channel heads) run on oneDNN here too. nil when oneDNN refuses the layer.
    public static func trainingPasses(x: Tensor, weight: Tensor, bias: Tensor?, gradOutput: Tensor, stride: Int, padding: Int,
                                      shared: Bool, backwardSource: Tensor? = nil)
        -> (output: [Float], gradInput: [Float], gradWeight: [Float], keptSource: Bool)? {
        let g = TapGeometry.convolution(channels: x.shape[1], inH: x.shape[2], inW: x.shape[3], kernelH: weight.shape[2],
                                        kernelW: weight.shape[3], stride: stride, padding: padding, reflect: false)
        guard let plan = OneDNNConvolution.plan(g, batch: x.shape[0], outChannels: weight.shape[0], channelsLast: true) else {
            return nil
        }
        let out = Tensor.uninitialized(gradOutput.shape)
        let gx = Tensor.uninitialized(x.shape), gw = Tensor.uninitialized(weight.shape)
        let source = (backwardSource ?? x).data
        if shared {
            guard let saved = OneDNNConvolution.forwardKeepingSource(plan, x: x.data, weight: weight.data, bias: bias?.data,
                                                                       out: out.data),
                  OneDNNConvolution.backward(plan, gradOutput: gradOutput.data, x: source, weight: weight.data, saved: saved,
                                             gradInput: gx.data, gradWeight: gw.data) else { return nil }
            return (out.values, gx.values, gw.values, saved.pointer != nil)
        }
        guard OneDNNConvolution.forward(plan, x: x.data, weight: weight.data, bias: bias?.data, out: out.data, training: true),
              OneDNNConvolution.backwardData(plan, gradOutput: gradOutput.data, weight: weight.data, gradInput: gx.data),
              OneDNNConvolution.backwardWeights(plan, x: source, gradOutput: gradOutput.data, gradWeight: gw.data) else {
            return nil
        }
        return (out.values, gx.values, gw.values, false)
    }
}
