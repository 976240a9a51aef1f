import Datasets
import Evaluation
import Foundation
import Layouts
import Models
import Tensor
import Training
import XCTest

/// A tiny synthetic dataset the tests write to disk: sky over grass with
/// flower blobs and a water band, each class a colour with per-pixel noise, so
/// a segmenter can learn it in a few hundred steps.
enum TinySegmentationData {
    static let palette = try! Palette(name: "tiny", classes: [
        PaletteClass(id: 0, name: "sky", color: RGBColor(110, 170, 235)),
        PaletteClass(id: 1, name: "grass", color: RGBColor(105, 190, 70)),
        PaletteClass(id: 3, name: "flower", color: RGBColor(240, 95, 180)),
        PaletteClass(id: 4, name: "water", color: RGBColor(40, 90, 200)),
    ])

    /// The render colour of each id (not the palette colour: the segmenter must not get a free lookup).
    static let renderColor: [Int: (Float, Float, Float)] = [0: (150, 190, 240), 1: (60, 140, 50), 3: (230, 60, 70), 4: (30, 60, 120)]

    static func layout(seed: UInt64, width: Int, height: Int) -> LabelMap {
        var rng = RandomGenerator(seed: seed)
        var labels = LabelMap(width: width, height: height)
        let horizon = height / 3 + rng.nextInt(below: height / 4)
        let waterTop = horizon + rng.nextInt(below: height / 4), waterHeight = 2 + rng.nextInt(below: height / 6)
        for y in 0..<height {
            for x in 0..<width {
                labels[x, y] = y < horizon ? 0 : (y >= waterTop && y < waterTop + waterHeight ? 4 : 1)
            }
        }
        for _ in 0..<(1 + rng.nextInt(below: 2)) {
            let cx = rng.nextInt(below: width), cy = horizon + 2 + rng.nextInt(below: Swift.max(1, height - horizon - 3))
            let r = rng.nextInt(below: 2)
            for y in Swift.max(0, cy - r)...Swift.min(height - 1, cy + r) {
                for x in Swift.max(0, cx - r)...Swift.min(width - 1, cx + r) where labels[x, y] == 1 { labels[x, y] = 3 }
            }
        }
        return labels
    }

    static func render(_ labels: LabelMap, seed: UInt64) -> RGBImage {
        var rng = RandomGenerator(seed: seed ^ 0xABCDEF)
        var image = RGBImage(width: labels.width, height: labels.height)
        for i in 0..<labels.ids.count {
            let (r, g, b) = renderColor[Int(labels.ids[i])]!
            let shade = 0.85 + 0.3 * rng.nextUniform()
            image.pixels[3 * i] = UInt8(Swift.min(255, r * shade + 12 * rng.nextNormal()).clamped())
            image.pixels[3 * i + 1] = UInt8(Swift.min(255, g * shade + 12 * rng.nextNormal()).clamped())
            image.pixels[3 * i + 2] = UInt8(Swift.min(255, b * shade + 12 * rng.nextNormal()).clamped())
        }
        return image
    }

    /// Writes `count` pairs (and, if asked, a manifest with class shares) into a fresh temporary directory.
    static func write(count: Int, width: Int = 32, height: Int = 32, seed: UInt64 = 1, manifest: Bool = true) throws -> String {
        let dir = NSTemporaryDirectory() + "scenepaint-segtest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/layouts", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
        var maps: [LabelMap] = []
        for i in 0..<count {
            let labels = layout(seed: seed &* 1000 &+ UInt64(i), width: width, height: height)
            let name = String(format: "%06d.png", i)
            try LayoutFile.write(Layout(labels: labels, palette: palette), to: dir + "/layouts/" + name)
            try render(labels, seed: UInt64(i)).write(path: dir + "/images/" + name)
            maps.append(labels)
        }
        if manifest {
            let shares = DatasetClassShares.counted(maps)
            let classes = palette.classes.map { ["id": $0.id, "name": $0.name, "pixelShare": shares.shareByID[$0.id] ?? 0] as [String: Any] }
            let json = try JSONSerialization.data(withJSONObject: ["format": "test", "count": count, "classes": classes])
            try json.write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        }
        return dir
    }

    static func smallConfiguration(width: Int = 32, height: Int = 32) -> SegmenterConfiguration {
        SegmenterConfiguration(palette: palette, inputWidth: width, inputHeight: height, baseWidth: 8, depth: 2)
    }

    static func options(data: String, run: String, steps: Int) -> SegmenterTrainingOptions {
        var o = SegmenterTrainingOptions(dataDirectory: data, runDirectory: run)
        o.inputWidth = 32; o.inputHeight = 32; o.baseWidth = 8; o.depth = 2
        o.batchSize = 4; o.steps = steps; o.learningRate = 5e-3; o.checkpointEvery = 1000; o.logEvery = 5
        return o
    }

    static func temporaryRun() -> String { NSTemporaryDirectory() + "scenepaint-segrun-\(UUID().uuidString)" }
}

private extension Float {
    func clamped() -> Float { Swift.max(0, Swift.min(255, self)) }
}

final class SegmenterTests: XCTestCase {
    /// 300 steps on 24 tiny pairs: the loss falls at least 5x and the trained
    /// evaluator labels over 90% of the pixels of those pairs correctly.
    func testSegmenterLearnsTinyDataset() throws {
        let data = try TinySegmentationData.write(count: 24)
        let run = TinySegmentationData.temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: data); try? FileManager.default.removeItem(atPath: run) }
        let trainer = try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: run, steps: 300),
                                           palette: TinySegmentationData.palette, resume: false)
        var losses: [Float] = []
        _ = try trainer.run(report: { event in
            if case .step(_, _, let loss, _) = event { losses.append(loss) }
        })
        XCTAssertEqual(losses.count, 300)
        let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
        XCTAssertGreaterThan(first / last, 5, "loss \(first) -> \(last)")
        let dataset = try PairedDataset(directory: data, palette: TinySegmentationData.palette)
        let scores = try SegmenterAccuracy.measure(trainer.model, on: dataset)
        XCTAssertGreaterThan(scores.pixelAccuracy, 0.9)
        XCTAssertGreaterThan(scores.meanIoU, 0.6)
        // The exported evaluator (F16) gives nearly the same accuracy.
        let exported = try SegmenterCheckpoint.load(path: run + "/segmenter.safetensors").model
        let exportedScores = try SegmenterAccuracy.measure(exported, on: dataset)
        XCTAssertEqual(exportedScores.pixelAccuracy, scores.pixelAccuracy, accuracy: 0.01)
        // The log holds one line per 5 steps, ascending.
        let log = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.count, 60)
    }

    /// F32 round trip is exact, F16 close; the configuration (palette included)
    /// comes back from the metadata alone.
    func testCheckpointRoundTrip() throws {
        let model = try Segmenter(TinySegmentationData.smallConfiguration(width: 16, height: 8), seed: 3)
        var rng = RandomGenerator(seed: 9)
        let x = Tensor.randomUniform([2, 3, 8, 16], low: -1, high: 1, using: &rng)
        // A few training forwards give the batch norms non-trivial running statistics.
        for _ in 0..<3 { _ = model.forward(Tensor.randomNormal([2, 3, 8, 16], using: &rng)) }
        model.eval()
        let reference = GradMode.withoutGrad { model.forward(x) }
        let dir = TinySegmentationData.temporaryRun()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        try SegmenterCheckpoint.save(model, to: dir + "/a.safetensors")
        let loaded = try SegmenterCheckpoint.load(path: dir + "/a.safetensors").model
        XCTAssertEqual(loaded.configuration, model.configuration)
        XCTAssertEqual(loaded.configuration.palette.classes.map(\.id), [0, 1, 3, 4])
        let again = GradMode.withoutGrad { loaded.forward(x) }
        XCTAssertEqual(again.logits.values, reference.logits.values)
        XCTAssertEqual(again.features.values, reference.features.values)
        XCTAssertEqual(again.features.shape, [2, 16 * 2])

        try SegmenterCheckpoint.save(model, to: dir + "/h.safetensors", dtype: .f16)
        let half = GradMode.withoutGrad { try! SegmenterCheckpoint.load(path: dir + "/h.safetensors").model.forward(x) }
        let maxError = zip(half.logits.values, reference.logits.values).map { abs($0 - $1) }.max()!
        let scale = reference.logits.values.map { abs($0) }.max()!
        XCTAssertLessThan(maxError, 0.02 * scale + 1e-3)

        // Any other safetensors file is refused with a message naming it.
        try SafeTensors.write(["w": Tensor.zeros([2])], to: dir + "/other.safetensors")
        XCTAssertThrowsError(try SegmenterCheckpoint.load(path: dir + "/other.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("other.safetensors: not a segmenter checkpoint"), "\(error)")
        }
    }

    /// 10 steps, a stop, then a resume to 20 give the same weights as 20 steps
    /// in one go; the log never repeats a step; an existing run is not overwritten.
    func testTrainerResumesExactly() throws {
        let data = try TinySegmentationData.write(count: 12)
        let straight = TinySegmentationData.temporaryRun(), interrupted = TinySegmentationData.temporaryRun()
        defer { for d in [data, straight, interrupted] { try? FileManager.default.removeItem(atPath: d) } }
        let palette = TinySegmentationData.palette

        let a = try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: straight, steps: 20), palette: palette, resume: false)
        _ = try a.run()

        let b = try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: interrupted, steps: 20), palette: palette, resume: false)
        let outcome = try b.run(shouldStop: { b.step >= 10 })
        XCTAssertFalse(outcome.finished)
        XCTAssertEqual(outcome.step, 10)
        XCTAssertThrowsError(try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: interrupted, steps: 20),
                                                  palette: palette, resume: false)) { error in
            XCTAssertTrue("\(error)".contains("--resume"), "\(error)")
        }
        let c = try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: interrupted, steps: 20), palette: palette, resume: true)
        XCTAssertEqual(c.step, 10)
        var resumedAt: Int?
        let final = try c.run(report: { if case .resumed(let s) = $0 { resumedAt = s } })
        XCTAssertEqual(resumedAt, 10)
        XCTAssertTrue(final.finished)

        let straightState = a.model.stateDict(), resumedState = c.model.stateDict()
        XCTAssertEqual(Set(straightState.keys), Set(resumedState.keys))
        for (name, tensor) in straightState {
            let diff = zip(tensor.values, resumedState[name]!.values).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(diff, 1e-5, name)
        }
        let steps = try String(contentsOfFile: interrupted + "/log.jsonl", encoding: .utf8).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["step"] as? Int
        }
        XCTAssertEqual(steps, [5, 10, 15, 20])
        // A conflicting size on resume is refused.
        var wrong = TinySegmentationData.options(data: data, run: interrupted, steps: 30)
        wrong.inputWidth = 64; wrong.inputHeight = 64
        XCTAssertThrowsError(try SegmenterTrainer(options: wrong, palette: palette, resume: true)) { error in
            XCTAssertTrue("\(error)".contains("size 32x32"), "\(error)")
        }
    }

    func testResampleAveragesWhenShrinking() {
        // A 1-pixel checkerboard of black and white shrinks to even grey.
        var pixels = [UInt8](repeating: 0, count: 8 * 8 * 3)
        for y in 0..<8 { for x in 0..<8 where (x + y) % 2 == 0 { for c in 0..<3 { pixels[(y * 8 + x) * 3 + c] = 255 } } }
        let board = RGBImage(width: 8, height: 8, pixels: pixels)
        let small = SegmenterInput.resample(board, width: 2, height: 2)
        for v in small.pixels { XCTAssertEqual(Double(v), 127.5, accuracy: 12) }
        XCTAssertEqual(SegmenterInput.resample(board, width: 8, height: 8), board)
        let flat = RGBImage(width: 5, height: 3, fill: RGBColor(10, 200, 30))
        XCTAssertEqual(SegmenterInput.resample(flat, width: 13, height: 7), RGBImage(width: 13, height: 7, fill: RGBColor(10, 200, 30)))
    }

    func testIncompleteDatasetIsRefused() throws {
        let data = try TinySegmentationData.write(count: 2, manifest: false)
        defer { try? FileManager.default.removeItem(atPath: data) }
        XCTAssertEqual(try PairedDataset(directory: data, palette: TinySegmentationData.palette).count, 2)
        try Data(#"{"complete": false, "classes": []}"#.utf8).write(to: URL(fileURLWithPath: data + "/manifest.json"))
        XCTAssertThrowsError(try PairedDataset(directory: data, palette: TinySegmentationData.palette)) { error in
            XCTAssertTrue("\(error)".contains("incomplete"), "\(error)")
        }
    }

    func testAugmentation() {
        var rng = RandomGenerator(seed: 4)
        var pixels = [UInt8](repeating: 0, count: 4 * 2 * 3)
        for i in 0..<pixels.count { pixels[i] = UInt8(truncatingIfNeeded: i * 37) }
        let image = RGBImage(width: 4, height: 2, pixels: pixels)
        var out = [Float](repeating: 0, count: 24)
        SegmenterAugmentation.identity.apply(pixels, width: 4, height: 2, into: &out)
        for (a, b) in zip(out, SegmenterInput.tensor([image]).values) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        var mirror = SegmenterAugmentation.identity
        mirror.mirrored = true
        var mirrored = [Float](repeating: 0, count: 24)
        mirror.apply(pixels, width: 4, height: 2, into: &mirrored)
        XCTAssertEqual(mirrored[0], out[3])
        XCTAssertEqual(mirrored[4 + 1], out[4 + 2])
        var grey = SegmenterAugmentation.identity
        grey.saturation = 0
        grey.apply(pixels, width: 4, height: 2, into: &out)
        XCTAssertEqual(out[0], out[8], accuracy: 1e-6, "no saturation: R = G")
        XCTAssertEqual(out[0], out[16], accuracy: 1e-6, "no saturation: R = B")
        let plain = SegmenterAugmentation.random(colorJitter: 0, using: &rng)
        XCTAssertEqual(plain.saturation, 1)
        XCTAssertEqual(plain.contrast, 1)
        for _ in 0..<50 {
            let a = SegmenterAugmentation.random(colorJitter: 1, using: &rng)
            XCTAssertTrue((0.6...1.4).contains(a.saturation) && (0.75...1.25).contains(a.contrast) && (0.8...1.2).contains(a.brightness))
        }
    }

    func testTargetsMapIdsToPalettePositions() {
        let labels = LabelMap(width: 2, height: 1, ids: [3, 2])  // 2 is no class of the tiny palette
        XCTAssertEqual(SegmenterInput.targets(labels, palette: TinySegmentationData.palette, width: 4, height: 1), [2, 2, -1, -1])
    }

    func testConfigurationValidation() {
        var c = TinySegmentationData.smallConfiguration(width: 30, height: 32)
        XCTAssertThrowsError(try Segmenter(c)) { XCTAssertTrue("\($0)".contains("multiples of 4"), "\($0)") }
        c.inputWidth = 32
        XCTAssertNoThrow(try Segmenter(c))
        XCTAssertEqual(c.levelWidths, [8, 16, 32])
    }
}
