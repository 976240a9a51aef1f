import Foundation
import Support

/// `scenepaint bench engine`: the engine's own convolution kernels against
/// oneDNN's (direct, Winograd, bf16) per layer, forward and backward, and the
/// reference graph's forward time and a training step on both. Variants are
/// measured interleaved (this machine's speed drifts up to 2x within minutes)
/// and reported as medians, with ratios taken within the same run.
public enum EngineBenchmark {
    /// The convolution variants compared per layer.
    public enum Variant: String, CaseIterable, Sendable {
        case engine = "engine"
        case direct = "oneDNN direct"
        case winograd = "oneDNN wino"
        case bf16 = "oneDNN bf16"

        func run<R>(_ body: () -> R) -> R {
            switch self {
            case .engine: return ConvolutionSettings.with(backend: .engine, body)
            case .direct: return ConvolutionSettings.with(backend: .onednn) { ConvolutionSettings.with(winograd: false, body) }
            case .winograd: return ConvolutionSettings.with(backend: .onednn, body)
            case .bf16: return ConvolutionSettings.with(backend: .onednn) { ConvolutionSettings.with(precision: .bf16, body) }
            }
        }
    }

    /// One convolution layer's figures (seconds are medians).
    public struct LayerResult: Sendable {
        public let name: String
        public let flops: Double
        /// The oneDNN kernel for the forward (nil: the engine's kernel runs the layer).
        public let kernel: String?
        public let forwardSeconds: [Variant: Double]
        /// Input and weight gradients, engine and oneDNN (f32).
        public let backwardEngineSeconds: Double
        public let backwardOneDNNSeconds: Double
        /// Median of per-repetition ratios engine time / oneDNN time (default f32 choice).
        public let forwardSpeedup: Double
        public let backwardSpeedup: Double

        public func gflops(_ v: Variant) -> Double { flops / (forwardSeconds[v] ?? .nan) / 1e9 }
    }

    /// The FP32 peak the report compares with, and how it was arrived at.
    public struct Peak: Sendable {
        public let gflopsPerCore: Double
        public let how: String

        /// FLOP per cycle per core from the CPU's vendor and vector units times an assumed clock
        /// (/proc/cpuinfo shows only the nominal clock under a hypervisor).
        public static func assumed(clockGHz: Double) -> Peak {
            let cpu = CPUFeatures.current()
            let amd = cpu.modelName.contains("AMD")
            // Zen 4 executes AVX-512 FMAs on two 256-bit pipes: 2 x 8 x 2 = 32 FP32 FLOP/cycle;
            // Intel server cores with two 512-bit FMA units: 64; AVX2 cores: 32.
            let wide = cpu.hasAVX512 && !amd
            let perCycle: Double = wide ? 64 : 32
            return Peak(gflopsPerCore: perCycle * clockGHz,
                        how: String(format: "%.0f FP32 FLOP/cycle/core (%@) x %.2f GHz assumed clock", perCycle,
                                    wide ? "two 512-bit FMA units" : "two 256-bit FMA pipes", clockGHz))
        }
    }

    public struct Report: Sendable {
        public let header: String
        public let threads: Int
        public let repeats: Int
        public let peak: Peak
        public let layers: [LayerResult]
        public let graphFlops: Double
        /// Median forward seconds of the reference graph per thread count and variant.
        public let graphSeconds: [(threads: Int, seconds: [Variant: Double])]
        /// Median seconds of one training step of the reference graph (forward with graph,
        /// L1 loss, backward to all weights and the input), engine and oneDNN, and the median per-step ratio.
        public let trainingStep: (engine: Double, onednn: Double, speedup: Double)
        public let loadBefore: String
        public let loadAfter: String
    }

    /// A convolution layer of the benchmark.
    struct LayerSpec {
        let name: String
        let n, cin, h, w, cout, k, stride, padding: Int
        let transposed: Bool
        var reflect = false

        var outH: Int { transposed ? (h - 1) * stride - 2 * padding + k + 1 : (h + 2 * padding - k) / stride + 1 }
        var outW: Int { transposed ? (w - 1) * stride - 2 * padding + k + 1 : (w + 2 * padding - k) / stride + 1 }
        /// 2 * multiply-adds actually needed (no zero-stuffing for transposed).
        var flops: Double {
            transposed ? 2 * Double(n * cin * cout * k * k * h * w) : 2 * Double(n * cout * cin * k * k * outH * outW)
        }
    }

    static let layers: [LayerSpec] = [
        LayerSpec(name: "conv3x3 16->64 @128", n: 1, cin: 16, h: 128, w: 128, cout: 64, k: 3, stride: 1, padding: 1, transposed: false),
        LayerSpec(name: "conv3x3 64->64 @128", n: 1, cin: 64, h: 128, w: 128, cout: 64, k: 3, stride: 1, padding: 1, transposed: false),
        LayerSpec(name: "convT k3s2p1op1 64->64 128->256", n: 1, cin: 64, h: 128, w: 128, cout: 64, k: 3, stride: 2, padding: 1, transposed: true),
        LayerSpec(name: "conv3x3 64->3 @256 (tap GEMM)", n: 1, cin: 64, h: 256, w: 256, cout: 3, k: 3, stride: 1, padding: 1, transposed: false),
        LayerSpec(name: "conv3x3 s2 64->128 @128", n: 1, cin: 64, h: 128, w: 128, cout: 128, k: 3, stride: 2, padding: 1, transposed: false),
        LayerSpec(name: "conv7x7 reflect 64->3 @256", n: 1, cin: 64, h: 256, w: 256, cout: 3, k: 7, stride: 1, padding: 3, transposed: false, reflect: true),
        LayerSpec(name: "conv3x3 128->128 @64 (N=2)", n: 2, cin: 128, h: 64, w: 64, cout: 128, k: 3, stride: 1, padding: 1, transposed: false),
    ]

    public static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    public static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown")
            .split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Runs everything; `log` receives progress lines.
    public static func run(repeats: Int = 7, threadCounts: [Int] = [1, 2], peak: Peak,
                           log: (String) -> Void = { _ in }) -> Report {
        let loadBefore = loadAverage()
        let threads = BLASInfo.threads
        var rng = RandomGenerator(seed: 1)
        var results: [LayerResult] = []
        for spec in layers {
            log("measuring \(spec.name)")
            let x = Tensor.randomNormal([spec.n, spec.cin, spec.h, spec.w], using: &rng)
            let weight = Tensor.parameter(shape: spec.transposed ? [spec.cin, spec.cout, spec.k, spec.k] : [spec.cout, spec.cin, spec.k, spec.k])
            Initializer.xavierNormal(gain: 1).fill(weight, using: &rng)
            let bias = Tensor.parameter(shape: [spec.cout])
            func forward() -> Tensor {
                spec.transposed
                    ? convTranspose2d(x, weight: weight, bias: bias, stride: spec.stride, padding: spec.padding, outputPadding: 1)
                    : conv2d(x, weight: weight, bias: bias, stride: spec.stride, padding: spec.padding,
                             paddingMode: spec.reflect ? .reflect : .zeros)
            }
            let seed = Tensor.randomNormal([spec.n, spec.cout, spec.outH, spec.outW], using: &rng)
            x.requiresGrad = true
            var forwardTimes: [Variant: [Double]] = [:]
            var backwardEngine: [Double] = [], backwardOneDNN: [Double] = []
            func backwardTime(_ v: Variant) -> Double {
                v.run {
                    let y = forward()
                    weight.grad = nil; x.grad = nil; bias.grad = nil
                    return seconds { y.backward(gradient: seed) }
                }
            }
            for rep in 0...repeats {
                for v in Variant.allCases {
                    let f = seconds { _ = v.run { GradMode.withoutGrad { forward() } } }
                    if rep > 0 { forwardTimes[v, default: []].append(f) }  // rep 0 warms caches and the allocator
                }
                let be = backwardTime(.engine), bo = backwardTime(.winograd)
                if rep > 0 { backwardEngine.append(be); backwardOneDNN.append(bo) }
            }
            let kernel = spec.transposed
                ? ConvolutionLibrary.kernel(input: [spec.n, spec.cin, spec.h, spec.w], weight: [spec.cout, spec.cin, 2, 2], padding: 0)
                    .map { "4 phase convs: \($0)" }
                : (spec.reflect ? nil : ConvolutionLibrary.kernel(input: x.shape, weight: [spec.cout, spec.cin, spec.k, spec.k],
                                                                 stride: spec.stride, padding: spec.padding))
            let engineTimes = forwardTimes[.engine]!, defaultTimes = forwardTimes[.winograd]!
            results.append(LayerResult(
                name: spec.name, flops: spec.flops, kernel: kernel,
                forwardSeconds: forwardTimes.mapValues(median),
                backwardEngineSeconds: median(backwardEngine), backwardOneDNNSeconds: median(backwardOneDNN),
                forwardSpeedup: median(zip(engineTimes, defaultTimes).map { $0 / $1 }),
                backwardSpeedup: median(zip(backwardEngine, backwardOneDNN).map { $0 / $1 })))
        }

        log("measuring the reference graph")
        let graph = ReferenceGraph(using: &rng)
        let input = Tensor.randomNormal([1, 16, 128, 128], using: &rng)
        let graphVariants: [Variant] = [.engine, .winograd, .bf16]
        var times: [Int: [Variant: [Double]]] = [:]
        for rep in 0...repeats {
            for t in threadCounts {
                BLASInfo.setThreads(t)
                for v in graphVariants {
                    let s = seconds { _ = v.run { GradMode.withoutGrad { graph(input) } } }
                    if rep > 0 { times[t, default: [:]][v, default: []].append(s) }
                }
            }
        }
        BLASInfo.setThreads(threads)
        log("measuring a training step")
        let target = Tensor.randomNormal([1, 3, 256, 256], using: &rng)
        input.requiresGrad = true
        var engineSteps: [Double] = [], onednnSteps: [Double] = []
        for rep in 0...repeats {
            for v in [Variant.engine, .winograd] {
                graph.zeroGrad()
                input.grad = nil
                let s = seconds { v.run { l1Loss(graph(input), target).backward() } }
                if rep > 0 { v == .engine ? engineSteps.append(s) : onednnSteps.append(s) }
            }
        }
        return Report(header: "BLAS: \(BLASInfo.coreName); convolutions: \(ConvolutionLibrary.description)",
                      threads: threads, repeats: repeats, peak: peak, layers: results,
                      graphFlops: ReferenceGraph.flops,
                      graphSeconds: threadCounts.map { t in (t, (times[t] ?? [:]).mapValues(median)) },
                      trainingStep: (median(engineSteps), median(onednnSteps), median(zip(engineSteps, onednnSteps).map { $0 / $1 })),
                      loadBefore: loadBefore, loadAfter: loadAverage())
    }
}

/// The reference graph: 1x16x128x128 -> conv3x3 16->64 -> IN(affine) ->
/// ReLU -> 4 x (conv3x3 64->64, IN, ReLU) -> convT 64->64 (k3 s2 p1 op1) ->
/// conv3x3 64->3 -> tanh; all convs with bias and padding 1.
public final class ReferenceGraph: Module {
    public let first: Conv2d
    public let firstNorm: InstanceNorm2d
    public let body: [Conv2d]
    public let norms: [InstanceNorm2d]
    public let up: ConvTranspose2d
    public let head: Conv2d

    public static let flops: Double = {
        let p = 128.0 * 128.0
        return 2 * (64 * 16 * 9 * p + 4 * 64 * 64 * 9 * p + 64 * 64 * 9 * p + 3 * 64 * 9 * 4 * p)
    }()

    public init(using rng: inout RandomGenerator) {
        first = Conv2d(16, 64, kernelSize: 3, padding: 1, using: &rng)
        firstNorm = InstanceNorm2d(64, affine: true)
        body = (0..<4).map { _ in Conv2d(64, 64, kernelSize: 3, padding: 1, using: &rng) }
        norms = (0..<4).map { _ in InstanceNorm2d(64) }
        up = ConvTranspose2d(64, 64, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &rng)
        head = Conv2d(64, 3, kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = firstNorm(first(x)).relu()
        for (conv, norm) in zip(body, norms) { h = norm(conv(h)).relu() }
        return head(up(h)).tanh()
    }
}
