import Foundation
import Tensor

/// `bench engine`'s printed report: how the benchmark's figures are laid out
/// for people belongs to the CLI; Tensor only measures (EngineBenchmark).
extension EngineBenchmark.Report {
    var text: String {
        var lines: [String] = [header]
        lines.append("threads: \(threads) (layers at \(threads) threads, median of \(repeats), interleaved); load average before: \(loadBefore)")
        lines.append(String(format: "peak assumed: %.0f GFLOP/s FP32 per core, %.0f for %d threads (%@)", peak.gflopsPerCore,
                            peak.gflopsPerCore * Double(threads), threads, peak.how))
        lines.append("")
        lines.append(pad("layer", 32) + EngineBenchmark.Variant.allCases.map { pad($0.rawValue, 14) }.joined() + pad("f32 %peak", 10)
                     + pad("fwd x", 7) + pad("bwd eng", 9) + pad("bwd dnnl", 9) + pad("bwd x", 7) + "oneDNN kernel")
        for l in layers {
            let bestF32 = max(l.gflops(.direct), l.gflops(.winograd))
            lines.append(pad(l.name, 32) + EngineBenchmark.Variant.allCases.map { pad(gf(l.gflops($0)), 14) }.joined()
                         + pad(String(format: "%.0f%%", 100 * bestF32 / (peak.gflopsPerCore * Double(threads))), 10)
                         + pad(String(format: "%.2f", l.forwardSpeedup), 7)
                         + pad(gf(2 * l.flops / l.backwardEngineSeconds / 1e9), 9)
                         + pad(gf(2 * l.flops / l.backwardOneDNNSeconds / 1e9), 9)
                         + pad(String(format: "%.2f", l.backwardSpeedup), 7) + (l.kernel ?? "- (engine kernel)"))
        }
        lines.append("(forward GFLOP/s from median times; %peak: the better f32 oneDNN variant against the peak above;")
        lines.append(" fwd x / bwd x: engine time / oneDNN time as used by default, median of per-repetition ratios;")
        lines.append(" Winograd FLOP/s count the direct method's FLOPs; bwd = input + weight gradients, 2x the forward's FLOPs)")
        lines.append("")
        lines.append(String(format: "reference graph forward (1x16x128x128 -> ... -> 1x3x256x256, %.2f GFLOP), median ms:", graphFlops / 1e9))
        for (t, seconds) in graphSeconds {
            let parts = EngineBenchmark.Variant.allCases.filter { seconds[$0] != nil }.map { String(format: "%@ %.1f", $0.rawValue, seconds[$0]! * 1e3) }
            lines.append(String(format: "  %d thread%@: ", t, t == 1 ? " " : "s") + parts.joined(separator: ", ")
                         + String(format: "; engine/oneDNN f32 %.2fx, engine/bf16 %.2fx",
                                  (seconds[.engine] ?? .nan) / (seconds[.winograd] ?? .nan),
                                  (seconds[.engine] ?? .nan) / (seconds[.bf16] ?? .nan)))
        }
        lines.append(String(format: "training step (forward + backward, %d threads), median ms: engine %.1f, oneDNN %.1f; speed-up %.2fx",
                            threads, trainingStep.engine * 1e3, trainingStep.onednn * 1e3, trainingStep.speedup))
        lines.append("load average after: \(loadAfter)")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
    private func gf(_ v: Double) -> String { String(format: "%.1f", v) }
}
