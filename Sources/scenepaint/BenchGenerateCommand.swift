import ArgumentParser
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor

/// `scenepaint bench generate`: the editor's cost of one preview.
struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Time all views of a layout (default 256x256) at 1 and 2 threads, interleaved; print medians.")

    @OptionGroup var modelOption: ModelOption
    @Option(help: "Layout PNG (default: samples/lake.png if it fits the model, else a generated scene using every class).")
    var layout: String?
    @Option(help: "Layout side in pixels (the layout is resized to it).")
    var size: Int = 256
    @Option(help: "Timed runs per thread count (after one warm-up each).")
    var repeats: Int = 9
    @Flag(help: "Afterwards, time every op of the oneDNN variants (--repeats runs per thread count) and print where the time goes.")
    var profile = false

    /// What is compared, interleaved: the engine's own kernels, oneDNN in f32 and bf16 with
    /// activations kept channels-last (NHWC) between convs, and the same with NCHW between convs;
    /// all with the generator's branches side by side at 2+ threads (`ConcurrentBranches`), and
    /// the editor's default (bf16 channels-last) once more with its branches one after the other.
    enum Variant: String, CaseIterable {
        case engine = "engine f32"
        case onednnPlain = "oneDNN f32 NCHW"
        case bf16Plain = "oneDNN bf16 NCHW"
        case onednn = "oneDNN f32"
        case bf16Serial = "oneDNN bf16 branches in series"
        case bf16 = "oneDNN bf16"

        var precision: ConvolutionPrecision { [.bf16, .bf16Plain, .bf16Serial].contains(self) ? .bf16 : .f32 }
        var channelsLast: Bool { [.onednn, .bf16, .bf16Serial].contains(self) }
        var concurrentBranches: Bool { self != .bf16Serial }
    }

    func run() throws {
        let (loaded, modelName) = try loadGenerator()
        let (labels, layoutName) = try loadLayout(palette: loaded.palette)
        let classes = labels.idsPresent.count
        print("model:   \(modelName) (\(Self.describe(loaded)))")
        print("layout:  \(layoutName), \(labels.width)x\(labels.height), \(classes) classes present")
        print("blas:    \(BLASInfo.coreName) (\(BLASEnvironment.coreTypeSource)); convolutions: \(ConvolutionLibrary.description)")
        print("load average before: \(EngineBenchmark.loadAverage())")
        let generators: [Variant: any SceneGenerator] = Dictionary(uniqueKeysWithValues: try Variant.allCases.map { v in
            (v, try Self.generator(like: loaded, precision: v.precision))
        })
        func generate(_ v: Variant, _ shouldCancel: @escaping @Sendable () -> Bool) throws -> GeneratedViews {
            try ConvolutionSettings.with(backend: v == .engine ? .engine : .onednn) {
                try ConvolutionSettings.with(channelsLast: v.channelsLast) {
                    try ConcurrentBranches.with(enabled: v.concurrentBranches) {
                        try generators[v]!.generate(labels, seed: 0, shouldCancel: shouldCancel)
                    }
                }
            }
        }
        let threadCounts = [1, 2]
        struct Key: Hashable { let threads: Int; let variant: Variant }
        var times: [Key: [Double]] = [:]
        var stageTimes: [Key: [[Double]]] = [:]
        for t in threadCounts {
            BLASInfo.setThreads(t)
            for v in Variant.allCases { _ = try generate(v, { false }) }
        }
        for _ in 0..<repeats {
            for t in threadCounts {
                BLASInfo.setThreads(t)
                for v in Variant.allCases {
                    let clock = StageClock()
                    let start = DispatchTime.now().uptimeNanoseconds
                    let views = try generate(v, { clock.mark(); return false })
                    let end = DispatchTime.now().uptimeNanoseconds
                    invariant(views.classOutputs.isEmpty || views.classOutputs.count == classes, "every present class has an output")
                    let key = Key(threads: t, variant: v)
                    times[key, default: []].append(Double(end - start) / 1e6)
                    // Marks: before the encoder, then after the encoder, each global block, the global
                    // generator, the local features, the local generator and the fusion; the rest is making the views.
                    let marks = clock.marks + [end]
                    stageTimes[key, default: []].append(zip(marks.dropFirst(), marks).map { Double($0 - $1) / 1e6 })
                }
            }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        for t in threadCounts {
            for v in Variant.allCases {
                let key = Key(threads: t, variant: v)
                let sorted = times[key]!.sorted()
                print(String(format: "%d thread%@, %@: median %.1f ms (min %.1f, max %.1f, %d runs)", t, t == 1 ? " " : "s",
                             v.rawValue, median(sorted), sorted.first!, sorted.last!, sorted.count))
                let runs = stageTimes[key]!
                let names = Self.stageNames(loaded)
                if t > 1 && v.concurrentBranches {
                    print("           (no stage medians: the branches' stages interleave)")
                } else if runs.allSatisfy({ $0.count == names.count }) {
                    let stageMedians = (0..<names.count).map { k in median(runs.map { $0[k] }) }
                    let parts = zip(names, stageMedians).map { String(format: "%@ %.1f", $0, $1) }
                    print("           stage medians (ms): " + parts.joined(separator: ", "))
                }
            }
            // Ratios of per-run times taken back to back (robust to the machine's drift).
            let engine = times[Key(threads: t, variant: .engine)]!
            for v in Variant.allCases where v != .engine {
                let ratios = zip(engine, times[Key(threads: t, variant: v)]!).map { $0 / $1 }
                print(String(format: "           speed-up %@ over engine f32 at %d thread%@: %.2fx (median of per-run ratios)",
                             v.rawValue, t, t == 1 ? "" : "s", median(ratios)))
            }
        }
        print("load average after: \(EngineBenchmark.loadAverage())")
        print("all views = fused, global, local, weight maps and every present class's output")
        if profile {
            for t in threadCounts {
                BLASInfo.setThreads(t)
                for v in [Variant.onednn, .bf16Serial, .bf16] {
                    let ops = OpProfile()
                    var total = 0.0
                    for _ in 0..<repeats {
                        let start = DispatchTime.now().uptimeNanoseconds
                        _ = try ops.recording { try generate(v, { false }) }
                        total += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    }
                    Self.printProfile(ops, title: "\(t) thread\(t == 1 ? "" : "s"), \(v.rawValue)", runs: repeats, totalMilliseconds: total)
                }
            }
            print("load average after the profiles: \(EngineBenchmark.loadAverage())")
        }
    }

    /// Per-op milliseconds per run, the largest first, and what no op accounts for.
    static func printProfile(_ ops: OpProfile, title: String, runs: Int, totalMilliseconds: Double) {
        let entries = ops.entries
        let counted = entries.reduce(0) { $0 + $1.milliseconds }
        print(String(format: "profile, %@: %.1f ms per run (mean of %d), per op (ms per run, calls per run):", title,
                     totalMilliseconds / Double(runs), runs))
        for e in entries {
            print(String(format: "  %7.2f  %4d  %@", e.milliseconds / Double(runs), e.calls / runs, e.name))
        }
        let rest = (totalMilliseconds - counted) / Double(runs)
        if rest >= 0 {
            print(String(format: "  %7.2f        everything else (masks, windows, class outputs, softmax, views)", rest))
        } else {
            print(String(format: "  (ops of branches run side by side overlap: their sum exceeds the wall time by %.2f ms)", -rest))
        }
    }

    /// Size of the network, for the header line.
    static func describe(_ generator: any SceneGenerator) -> String {
        if let g = generator as? LGGANGenerator {
            return "LGGAN, ngf \(g.network.config.baseWidth), \(g.network.parameterCount) parameters"
        }
        if let g = generator as? ECGANGenerator {
            return "\(g.modelName), ngf \(g.network.config.baseWidth), C \(g.network.config.featureWidth), \(g.network.parameterCount) parameters"
        }
        return generator.modelName
    }

    /// The same network generating at another precision.
    static func generator(like g: any SceneGenerator, precision: ConvolutionPrecision) throws -> any SceneGenerator {
        if let l = g as? LGGANGenerator { return try LGGANGenerator(network: l.network, palette: l.palette, source: l.source, precision: precision) }
        if let e = g as? ECGANGenerator { return try ECGANGenerator(network: e.network, palette: e.palette, source: e.source, precision: precision) }
        return g
    }

    /// The generator's cancellation checks, in order, and the view making after the last.
    static func stageNames(_ generator: any SceneGenerator) -> [String] {
        if let g = generator as? LGGANGenerator {
            return ["encoder", "SPADE modulations", "local features", "class convs + local fusion"]
                + (0..<g.network.config.globalDepth).map { "global block \($0)" }
                + ["global to RGB", "weights + fusion", "views"]
        }
        if let g = generator as? ECGANGenerator {
            let c = g.network.config
            return ["encoder"] + (0..<c.globalDepth).map { "backbone block \($0)" } + ["G_e + G_i + G_t"]
                + (c.useClassSpecific ? ["class-specific"] : []) + (c.useSemanticPreserving ? ["G_s"] : []) + ["views"]
        }
        return []
    }

    func loadGenerator() throws -> (any SceneGenerator, String) {
        if let path = modelOption.pathOrDefault() {
            return (try ModelLoader.load(path: path), path)
        }
        let palette = Self.benchmarkPalette()
        let network = try LGGANNetwork(config: .standard(classCount: palette.count))
        return (try LGGANGenerator(network: network, palette: palette), "untrained default-size model (no model file found)")
    }

    func loadLayout(palette: Palette) throws -> (LabelMap, String) {
        let library = try? PaletteLibrary.bundled()
        let path = layout ?? ResourceLocator.standard().samplesDirectory.map { $0 + "/lake.png" }
        if let path, FileManager.default.fileExists(atPath: path),
           let read = try? LayoutFile.read(path: path, library: library),
           PaletteCompatibility.compatible(read.palette, palette) {
            return (read.labels.resized(width: size, height: size), path)
        }
        if let layout { throw Failure("\(layout): cannot be used with this model's palette \(palette.name)") }
        return (Self.benchmarkLayout(palette: palette, size: size), "generated benchmark scene")
    }

    /// A landscape-like scene using every class: horizontal bands (sky,
    /// ground) with blobs of the other classes of decreasing size.
    static func benchmarkLayout(palette: Palette, size: Int) -> LabelMap {
        let ids = palette.classes.map { UInt8($0.id) }
        var labels = LabelMap(width: size, height: size, fill: ids[0])
        for y in (size * 2 / 5)..<size { for x in 0..<size { labels[x, y] = ids[min(1, ids.count - 1)] } }
        guard ids.count > 2 else { return labels }
        for (k, id) in ids.dropFirst(2).enumerated() {
            let radius = max(2, size / 6 - k * size / 100)
            let cx = (k * 73 + 31) % size, cy = size / 3 + (k * 41) % (size * 2 / 3)
            for y in max(0, cy - radius)..<min(size, cy + radius) {
                for x in max(0, cx - radius)..<min(size, cx + radius) where (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius {
                    labels[x, y] = id
                }
            }
        }
        return labels
    }

    /// 15 generic classes, the size of the landscape palette.
    static func benchmarkPalette() -> Palette {
        try! Palette(name: "benchmark", classes: (0..<15).map {
            PaletteClass(id: $0, name: "class\($0)", color: RGBColor(UInt8(17 * $0), UInt8(255 - 17 * $0), UInt8(($0 * 97) % 256)))
        })
    }
}

/// Timestamps of the generator's cancellation checks (one per stage boundary).
final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private var stamps: [UInt64] = []

    func mark() {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        stamps.append(now)
        lock.unlock()
    }

    var marks: [UInt64] {
        lock.lock()
        defer { lock.unlock() }
        return stamps
    }
}
