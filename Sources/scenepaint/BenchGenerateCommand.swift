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

    @Option(help: "Model file (default: models/\(ModelLoader.defaultModelName); without one, a freshly initialised default-size model).")
    var model: String?
    @Option(help: "Layout PNG (default: samples/lake.png if it fits the model, else a generated scene using every class).")
    var layout: String?
    @Option(help: "Layout side in pixels (the layout is resized to it).")
    var size: Int = 256
    @Option(help: "Timed runs per thread count (after one warm-up each).")
    var repeats: Int = 9

    func run() throws {
        let (generator, modelName) = try loadGenerator()
        let (labels, layoutName) = try loadLayout(palette: generator.palette)
        let classes = labels.idsPresent.count
        print("model:   \(modelName) (ngf \(generator.network.config.baseWidth), \(generator.network.parameterCount) parameters)")
        print("layout:  \(layoutName), \(labels.width)x\(labels.height), \(classes) classes present")
        print("blas:    \(BLASInfo.coreName) (\(BLASEnvironment.coreTypeSource))")
        let threadCounts = [1, 2]
        var times: [Int: [Double]] = [:]
        var stageTimes: [Int: [[Double]]] = [:]
        for t in threadCounts {
            BLASInfo.setThreads(t)
            _ = try generator.generate(labels, seed: 0, shouldCancel: { false })
        }
        for _ in 0..<repeats {
            for t in threadCounts {
                BLASInfo.setThreads(t)
                let clock = StageClock()
                let start = DispatchTime.now().uptimeNanoseconds
                let views = try generator.generate(labels, seed: 0, shouldCancel: { clock.mark(); return false })
                let end = DispatchTime.now().uptimeNanoseconds
                precondition(views.classOutputs.count == classes)
                times[t, default: []].append(Double(end - start) / 1e6)
                // Marks: before the encoder, then after the encoder, each global block, the global
                // generator, the local features, the local generator and the fusion; the rest is making the views.
                let marks = clock.marks + [end]
                stageTimes[t, default: []].append(zip(marks.dropFirst(), marks).map { Double($0 - $1) / 1e6 })
            }
        }
        var medians: [Int: Double] = [:]
        for t in threadCounts {
            let sorted = times[t]!.sorted()
            medians[t] = sorted[sorted.count / 2]
            print(String(format: "%d thread%@: median %.1f ms (min %.1f, max %.1f, %d runs)", t, t == 1 ? " " : "s",
                         medians[t]!, sorted.first!, sorted.last!, sorted.count))
            let runs = stageTimes[t]!
            let depth = generator.network.config.globalDepth
            let names = ["encoder"] + (0..<depth).map { "global block \($0)" }
                + ["global to RGB", "local features", "class convs + local fusion", "weights + fusion", "views"]
            if runs.allSatisfy({ $0.count == names.count }) {
                let stageMedians = (0..<names.count).map { k -> Double in
                    let v = runs.map { $0[k] }.sorted()
                    return v[v.count / 2]
                }
                let parts = zip(names, stageMedians).map { String(format: "%@ %.1f", $0, $1) }
                print("           stage medians (ms): " + parts.joined(separator: ", "))
                // What a stale generation may still run before it notices it was cancelled.
                let checked = stageMedians.dropLast()
                let wholeGlobal = stageMedians[1...(depth + 1)].reduce(0, +)
                let wholeLocal = stageMedians[depth + 2] + stageMedians[depth + 3]
                print(String(format: "           longest stretch between cancellation checks: %.1f ms "
                             + "(with checks only between the 4 stages: %.1f ms)",
                             checked.max()!, max(stageMedians[0], wholeGlobal, wholeLocal, stageMedians[depth + 4])))
            }
        }
        print(String(format: "speed-up 2 threads / 1 thread: %.2fx", medians[1]! / medians[2]!))
        print("all views = fused, global, local, weight maps and every present class's output")
    }

    func loadGenerator() throws -> (LGGANGenerator, String) {
        if let path = model ?? ModelLoader.defaultModelPath() {
            return (try ModelLoader.loadLGGAN(path: path), path)
        }
        let palette = Self.benchmarkPalette()
        let network = try LGGANNetwork(config: .standard(classCount: palette.count))
        return (LGGANGenerator(network: network, palette: palette), "untrained default-size model (no model file found)")
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
