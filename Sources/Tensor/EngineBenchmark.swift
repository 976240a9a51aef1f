import Foundation

/// `scenepaint bench engine`: how close the engine's convolutions come to raw
/// sgemm on the same GEMM shapes, how backward compares with forward, and the
/// reference graph's forward time at 1 and 2 threads. Variants are measured
/// interleaved (this machine's speed drifts up to 2x within minutes) and
/// reported as medians, with ratios taken within the same run.
public enum EngineBenchmark {
    /// One convolution layer's figures (seconds are medians).
    public struct LayerResult: Sendable {
        public let name: String
        /// The GEMMs the layer performs, "MxNxK" each.
        public let gemmShapes: [(m: Int, n: Int, k: Int)]
        public let flops: Double
        public let sgemmSeconds: Double
        public let forwardSeconds: Double
        public let backwardSeconds: Double
        /// Median over repetitions of each repetition's own ratio (sgemm time /
        /// forward time, backward time / forward time): robust to drift.
        public let forwardOverSgemm: Double
        public let backwardOverForward: Double

        public var sgemmGFlops: Double { flops / sgemmSeconds / 1e9 }
        public var forwardGFlops: Double { flops / forwardSeconds / 1e9 }
        /// Input and weight gradients: twice the forward's multiply-adds.
        public var backwardGFlops: Double { 2 * flops / backwardSeconds / 1e9 }
    }

    public struct Report: Sendable {
        public let coreName: String
        public let threads: Int
        public let repeats: Int
        public let layers: [LayerResult]
        public let graphFlops: Double
        /// Median and best forward seconds of the reference graph per thread count.
        public let graphSeconds: [(threads: Int, seconds: Double, best: Double)]
        /// Median and best seconds of one training step of the reference graph
        /// (forward with graph, L1 loss, backward to all weights and the input) at `threads`.
        public let trainingStep: (seconds: Double, best: Double)

        public var text: String {
            var lines: [String] = []
            lines.append("OpenBLAS core: \(coreName), threads: \(threads) (layers measured at \(threads) threads, median of \(repeats), interleaved)")
            lines.append("")
            lines.append(pad("layer", 34) + pad("GEMM MxNxK", 30) + pad("sgemm", 9) + pad("fwd", 9) + pad("fwd/sgemm", 11) + pad("bwd", 9) + "bwd/fwd time")
            for l in layers {
                let shapes = l.gemmShapes.map { "\($0.m)x\($0.n)x\($0.k)" }.joined(separator: "+")
                lines.append(pad(l.name, 34) + pad(shapes, 30) + pad(gf(l.sgemmGFlops), 9) + pad(gf(l.forwardGFlops), 9)
                             + pad(String(format: "%.0f%%", 100 * l.forwardOverSgemm), 11) + pad(gf(l.backwardGFlops), 9)
                             + String(format: "%.2fx", l.backwardOverForward))
            }
            lines.append("(GFLOP/s from median times; bwd = input + weight gradients, 2x the forward's FLOPs;")
            lines.append(" ratios are medians of per-repetition ratios of back-to-back runs)")
            lines.append("")
            lines.append(String(format: "reference graph forward (1x16x128x128 -> ... -> 1x3x256x256, %.2f GFLOP):", graphFlops / 1e9))
            for (t, s, best) in graphSeconds {
                lines.append(String(format: "  %d thread%@: median %.1f ms (%.0f GFLOP/s), best %.1f ms", t, t == 1 ? " " : "s",
                                    s * 1e3, graphFlops / s / 1e9, best * 1e3))
            }
            lines.append(String(format: "training step (forward + backward, %d threads): median %.1f ms, best %.1f ms",
                                threads, trainingStep.seconds * 1e3, trainingStep.best * 1e3))
            return lines.joined(separator: "\n")
        }

        private func pad(_ s: String, _ width: Int) -> String {
            s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
        }
        private func gf(_ v: Double) -> String { String(format: "%.1f", v) }
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
        /// The GEMMs an im2col formulation performs: for transposed stride 2, k 3,
        /// the four phase sub-convolutions (1, 2, 2, 4 taps).
        var gemmShapes: [(m: Int, n: Int, k: Int)] {
            if !transposed { return [(cout, outH * outW, cin * k * k)] }
            var shapes: [(m: Int, n: Int, k: Int)] = []
            for py in 0..<stride {
                for px in 0..<stride {
                    let ty = (0..<k).filter { (py + padding - $0) % stride == 0 }.count
                    let tx = (0..<k).filter { (px + padding - $0) % stride == 0 }.count
                    let rows = (outH - py + stride - 1) / stride, cols = (outW - px + stride - 1) / stride
                    if ty * tx > 0 { shapes.append((cout, rows * cols, cin * ty * tx)) }
                }
            }
            return shapes
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

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    /// Runs everything; `log` receives progress lines.
    public static func run(repeats: Int = 7, threadCounts: [Int] = [1, 2], log: (String) -> Void = { _ in }) -> Report {
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
            let outShape = [spec.n, spec.cout, spec.outH, spec.outW]
            let seed = Tensor.randomNormal(outShape, using: &rng)
            // Raw sgemm operands of the same shapes, allocated once.
            let gemms = spec.gemmShapes.map { s in
                (s, Tensor.randomNormal([s.m * s.k], using: &rng), Tensor.randomNormal([s.k * s.n], using: &rng), Tensor.zeros([s.m * s.n]))
            }
            func rawGemm() {
                for _ in 0..<spec.n {
                    for (s, a, b, c) in gemms {
                        sgemm(m: s.m, n: s.n, k: s.k, a: a.data, lda: s.k, b: b.data, ldb: s.n, c: c.data, ldc: s.n)
                    }
                }
            }
            x.requiresGrad = true
            var tg: [Double] = [], tf: [Double] = [], tb: [Double] = []
            for rep in 0...repeats {
                let g = seconds(rawGemm)
                let f = seconds { _ = GradMode.withoutGrad { forward() } }
                let y = forward()
                weight.grad = nil; x.grad = nil; bias.grad = nil
                let b = seconds { y.backward(gradient: seed) }
                if rep > 0 { tg.append(g); tf.append(f); tb.append(b) }  // rep 0 warms caches and the allocator
            }
            results.append(LayerResult(name: spec.name, gemmShapes: spec.gemmShapes, flops: spec.flops,
                                       sgemmSeconds: median(tg), forwardSeconds: median(tf), backwardSeconds: median(tb),
                                       forwardOverSgemm: median(zip(tg, tf).map { $0 / $1 }),
                                       backwardOverForward: median(zip(tb, tf).map { $0 / $1 })))
        }

        log("measuring the reference graph")
        let graph = ReferenceGraph(using: &rng)
        let input = Tensor.randomNormal([1, 16, 128, 128], using: &rng)
        var times: [Int: [Double]] = [:]
        for rep in 0...repeats {
            for t in threadCounts {
                BLASInfo.setThreads(t)
                let s = seconds { _ = GradMode.withoutGrad { graph(input) } }
                if rep > 0 { times[t, default: []].append(s) }
            }
        }
        BLASInfo.setThreads(threads)
        log("measuring a training step")
        let target = Tensor.randomNormal([1, 3, 256, 256], using: &rng)
        input.requiresGrad = true
        var steps: [Double] = []
        for rep in 0...repeats {
            graph.zeroGrad()
            input.grad = nil
            let s = seconds { l1Loss(graph(input), target).backward() }
            if rep > 0 { steps.append(s) }
        }
        return Report(coreName: BLASInfo.coreName, threads: threads, repeats: repeats, layers: results,
                      graphFlops: ReferenceGraph.flops, graphSeconds: threadCounts.map { ($0, median(times[$0] ?? []), (times[$0] ?? []).min() ?? .nan) },
                      trainingStep: (median(steps), steps.min() ?? .nan))
    }
}

/// The reference graph: 1x16x128x128 -> conv3x3 16->64 -> IN(affine) ->
/// ReLU -> 4 x (conv3x3 64->64, IN, ReLU) -> convT 64->64 (k3 s2 p1 op1) ->
/// conv3x3 64->3 -> tanh; all convs with bias and padding 1.
final class ReferenceGraph: Module {
    let first: Conv2d
    let firstNorm: InstanceNorm2d
    let body: [Conv2d]
    let norms: [InstanceNorm2d]
    let up: ConvTranspose2d
    let head: Conv2d

    static let flops: Double = {
        let p = 128.0 * 128.0
        return 2 * (64 * 16 * 9 * p + 4 * 64 * 64 * 9 * p + 64 * 64 * 9 * p + 3 * 64 * 9 * 4 * p)
    }()

    init(using rng: inout RandomGenerator) {
        first = Conv2d(16, 64, kernelSize: 3, padding: 1, using: &rng)
        firstNorm = InstanceNorm2d(64, affine: true)
        body = (0..<4).map { _ in Conv2d(64, 64, kernelSize: 3, padding: 1, using: &rng) }
        norms = (0..<4).map { _ in InstanceNorm2d(64) }
        up = ConvTranspose2d(64, 64, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &rng)
        head = Conv2d(64, 3, kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = firstNorm(first(x)).relu()
        for (conv, norm) in zip(body, norms) { h = norm(conv(h)).relu() }
        return head(up(h)).tanh()
    }
}
