import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor
import Training
import XCTest

/// The run on disk: dataset reading, deterministic batches, Ctrl-C saving,
/// resuming after an interrupt, the log, sample sheet and loss-curve files.
final class LGGANTrainingRunTests: XCTestCase {
    let palette = SyntheticScenes.palette

    /// A dataset directory like `scenepaint dataset synth` writes (6 pairs, 48x40).
    func makeDataset() throws -> String {
        let dir = NSTemporaryDirectory() + "lggan-run-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["/layouts", "/images"] { try AtomicFile.ensureDirectory(dir + sub) }
        for k in 0..<6 {
            let labels = SyntheticScenes.layout(k, width: 48, height: 40)
            let name = String(format: "%06d.png", k)
            try LayoutFile.write(Layout(labels: labels, palette: palette), to: dir + "/layouts/" + name)
            try SyntheticScenes.image(for: labels).write(path: dir + "/images/" + name)
        }
        let manifest = """
            {"palette": "test-scenes", "count": 6, "classes": \
            [{"id":0,"name":"sky","color":[110,170,235]},{"id":1,"name":"grass","color":[105,190,70]},\
            {"id":2,"name":"water","color":[40,90,200]},{"id":3,"name":"tree","color":[30,105,45]},\
            {"id":7,"name":"house","color":[205,70,50]}]}
            """
        try AtomicFile.write(Data(manifest.utf8), to: dir + "/manifest.json")
        // An unpaired layout is ignored.
        try LayoutFile.write(Layout(labels: SyntheticScenes.layout(9, width: 48, height: 40), palette: palette),
                             to: dir + "/layouts/000009.png")
        return dir
    }

    func options() -> LGGANTrainingOptions {
        var o = LGGANTrainingOptions()
        o.size = 32
        o.batch = 2
        o.steps = 6
        o.checkpointEvery = 4
        o.sampleEvery = 3
        o.logEvery = 2
        return o
    }

    func testDatasetPairsPaletteAndDeterministicBatches() throws {
        let dir = try makeDataset()
        let dataset = try PairedDataset(directory: dir)
        XCTAssertEqual(dataset.count, 6)
        XCTAssertEqual(dataset.palette, palette)
        let (labels, image) = try dataset.pair(2)
        XCTAssertEqual(labels, SyntheticScenes.layout(2, width: 48, height: 40))
        XCTAssertEqual([image.width, image.height], [48, 40])
        let prefetcher = BatchPrefetcher(dataset: dataset, size: 32, batch: 3, seed: 5)
        let a = try prefetcher.batch(for: 7), b = try prefetcher.make(step: 7), c = try prefetcher.make(step: 8)
        XCTAssertEqual(a.real.shape, [3, 3, 32, 32])
        XCTAssertEqual(a.input.indices, b.input.indices)
        XCTAssertEqual(a.real.values, b.real.values)
        XCTAssertNotEqual(a.input.indices, c.input.indices)
        // Crops (and flips) keep layout and image aligned: each class's mean colour in
        // the crop is nearest to that class's own colour.
        var rng = RandomGenerator(seed: 1)
        let full = SyntheticScenes.layout(1, width: 48, height: 40)
        for _ in 0..<8 {
            let (l, i) = TrainingAugmentation.crop(labels: full, image: SyntheticScenes.image(for: full), size: 32, using: &rng)
            XCTAssertEqual([l.width, l.height, i.width, i.height], [32, 32, 32, 32])
            for cls in palette.classes {
                let pixels = (0..<(32 * 32)).filter { l.ids[$0] == UInt8(cls.id) }
                guard pixels.count >= 12 else { continue }
                let mean = (0..<3).map { k in pixels.map { Double(i.pixels[3 * $0 + k]) }.reduce(0, +) / Double(pixels.count) }
                let nearest = palette.classes.min { a, b in
                    func d(_ c: RGBColor) -> Double { zip([c.r, c.g, c.b].map(Double.init), mean).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
                    return d(a.color) < d(b.color)
                }!
                XCTAssertEqual(nearest.name, cls.name)
            }
        }
        XCTAssertThrowsError(try PairedDataset(directory: dir + "/nothing-here"))
    }

    func testInterruptedRunSavesAndResumesWithTheLogContinuing() throws {
        let data = try makeDataset()
        let out = NSTemporaryDirectory() + "lggan-out-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        let dataset = try PairedDataset(directory: data)
        let samples = try (0..<2).map { try dataset.pair($0) }

        // An interrupt before the first step: the run saves step 0 and stops.
        let interrupted = InterruptMonitor(signals: [])
        interrupted.raise()
        let first = try LGGANTrainingRun(trainer: try LGGANTrainer(config: .tiny(classCount: 5), palette: palette, options: options()),
                                         dataset: dataset, samples: samples, directory: out)
        first.showProgress = false
        XCTAssertEqual(try first.run(interrupt: interrupted), .interrupted(step: 0))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/checkpoint.safetensors"))

        // Resume, run to the end: checkpoint at 4 and at the end, samples at 3 and 6.
        let trainer = try LGGANTrainer.load(from: out + "/checkpoint.safetensors")
        XCTAssertEqual(trainer.step, 0)
        let second = try LGGANTrainingRun(trainer: trainer, dataset: dataset, samples: samples, directory: out)
        second.showProgress = false
        XCTAssertEqual(try second.run(interrupt: InterruptMonitor(signals: [])), .finished(step: 6))
        for file in ["checkpoint.safetensors", "model.safetensors", "log.jsonl", "loss-curves.png",
                     "samples/step-000003.png", "samples/step-000006.png", "samples/latest.png",
                     "models/step-000003.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + file), file)
        }
        let log = try TrainingLog(path: out + "/log.jsonl", keepingUpTo: 100)
        XCTAssertEqual(log.entries.map(\.step), [2, 4, 6])
        // Resuming from an older step drops the log lines after it.
        XCTAssertEqual(try TrainingLog(path: out + "/log.jsonl", keepingUpTo: 4).entries.map(\.step), [2, 4])
        // The sample sheet: 6 columns of 48 px, 2 rows.
        let sheet = try RGBImage.read(path: out + "/samples/latest.png")
        XCTAssertEqual(sheet.width, 6 * (48 + 4) + 4)
        XCTAssertEqual(sheet.height, 16 + 2 * (40 + 4) + 4)
        // The exported model generates.
        let model = try ModelLoader.load(path: out + "/model.safetensors")
        XCTAssertEqual(try model.generate(samples[0].labels, seed: 0, shouldCancel: { false }).fused.width, 48)
    }

    func testViewReportCoversThePresentClasses() throws {
        let dataset = try PairedDataset(directory: try makeDataset())
        let generator = LGGANGenerator(network: try LGGANNetwork(config: .tiny(classCount: 5)), palette: palette)
        let report = try ViewStatistics.measure(generator: generator, dataset: dataset, count: 3)
        XCTAssertEqual(report.images, 3)
        var present = Set<Int>()
        for i in 0..<3 { present.formUnion(try dataset.pair(i).labels.idsPresent) }
        XCTAssertEqual(Set(report.classes.map(\.id)), present)
        XCTAssertEqual(report.classes.map(\.pixelShare).reduce(0, +), 1, accuracy: 1e-9)
        for row in report.classes {
            XCTAssertTrue((0...1).contains(row.meanLocalWeight), row.name)
            XCTAssertTrue(row.detailReal > 0 || row.pixelShare < 0.01, row.name)
        }
        XCTAssertTrue(report.markdown.contains("| sky |"))
    }

    func testLossCurvesDrawEveryNonZeroTerm() {
        var entries: [TrainingLogEntry] = []
        for step in stride(from: 10, through: 300, by: 10) {
            var r = LossRecord()
            r.localL1 = 3 / Float(step)
            r.discriminatorReal = 1 + sin(Float(step))
            entries.append(TrainingLogEntry(step: step, elapsed: 0, secondsPerStep: 1, learningRateFactor: 1, losses: r))
        }
        let image = LossCurvePlot.render(entries: entries, panelWidth: 200, panelHeight: 100, columns: 2)
        XCTAssertEqual([image.width, image.height], [400, 100])
        let curve = RGBColor(20, 70, 170)
        let left = (0..<(100 * 400)).filter { $0 % 400 < 200 && image[$0 % 400, $0 / 400] == curve }
        XCTAssertGreaterThan(left.count, 100)
    }
}
