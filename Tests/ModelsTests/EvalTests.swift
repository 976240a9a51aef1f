import Datasets
import Evaluation
import Foundation
import Generation
import Layouts
import Models
import Tensor
import Training
import XCTest

/// Returns the real render of a test layout (looked up by its ids), with
/// seed-dependent noise when `noisy`: a generator whose scores must match the
/// real images' and whose diversity is known to be non-zero.
struct RealImageGenerator: SceneGenerator {
    let palette: Palette
    let images: [[UInt8]: RGBImage]
    let noisy: Bool
    var hasNoiseInput: Bool { noisy }

    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        guard var image = images[labels.ids] else { throw GenerationCancelled() }
        if noisy {
            var rng = RandomGenerator(seed: seed)
            for i in 0..<image.pixels.count {
                image.pixels[i] = UInt8(Swift.max(0, Swift.min(255, Float(image.pixels[i]) + 40 * rng.nextNormal())))
            }
        }
        // The real image doubles as the "global" branch, palette colours as the "local" one.
        return GeneratedViews(fused: image, global: image, local: labels.colorized(with: palette))
    }
}

final class EvalTests: XCTestCase {
    /// Trains a tiny evaluator, then evaluates three generators end to end
    /// through the library API and checks the JSON: the real images themselves
    /// (generated == real, Frechet 0), a noisy copy (diversity > 0) and flat
    /// palette colours (worse than real).
    func testEvalEndToEndWritesValidJSON() throws {
        let train = try TinySegmentationData.write(count: 24, seed: 1)
        let test = try TinySegmentationData.write(count: 10, seed: 2)
        let run = TinySegmentationData.temporaryRun()
        defer { for d in [train, test, run] { try? FileManager.default.removeItem(atPath: d) } }
        let palette = TinySegmentationData.palette
        let trainer = try SegmenterTrainer(options: TinySegmentationData.options(data: train, run: run, steps: 200),
                                           palette: palette, resume: false)
        _ = try trainer.run()
        let segmenter = try SegmenterCheckpoint.load(path: run + "/segmenter.safetensors").model
        let dataset = try PairedDataset(directory: test, palette: palette)
        var images: [[UInt8]: RGBImage] = [:]
        for i in 0..<dataset.count {
            let (labels, image) = try dataset.pair(i)
            images[labels.ids] = image
        }

        var options = EvaluationOptions()
        options.count = 8
        options.seed = 5
        options.diversitySeeds = 3
        options.diversityLayouts = 4
        options.modelName = "oracle"
        options.scoreBranches = true
        var progressCalls: [(Int, Int)] = []
        let oracle = try GenerationEvaluation.run(
            generator: RealImageGenerator(palette: palette, images: images, noisy: false), segmenter: segmenter,
            dataset: dataset, options: options) { progressCalls.append(($0, $1)) }
        XCTAssertEqual(oracle.count, 8)
        XCTAssertEqual(oracle.generated, oracle.real, "the real images as 'generated' score exactly like the real ones")
        XCTAssertEqual(oracle.featureFrechetDistance.value!, 0, accuracy: 1e-6)
        XCTAssertGreaterThan(oracle.featureFrechetDistance.realHalves!, 0, "two different sets of real images differ")
        XCTAssertNil(oracle.diversity, "no noise input, no diversity")
        XCTAssertEqual(Set(oracle.branches.keys), ["global", "local"])
        XCTAssertEqual(oracle.branches["global"], oracle.real)
        XCTAssertTrue(oracle.table().contains("local branch alone"))
        XCTAssertGreaterThan(oracle.real.pixelAccuracy, 0.85)
        XCTAssertEqual(progressCalls.last?.0, 8)
        XCTAssertEqual(progressCalls.last?.1, 8)
        // Flowers are under 2% of the pixels in the manifest: the small-object class.
        XCTAssertEqual(oracle.smallClasses, ["flower"])
        XCTAssertEqual(oracle.classSharesSource, "manifest.json")

        let noisy = try GenerationEvaluation.run(
            generator: RealImageGenerator(palette: palette, images: images, noisy: true), segmenter: segmenter,
            dataset: dataset, options: options)
        let diversity = try XCTUnwrap(noisy.diversity)
        XCTAssertEqual(diversity.layouts, 4)
        XCTAssertEqual(diversity.seeds, 3)
        XCTAssertGreaterThan(diversity.meanPairwiseDistance, 0)
        XCTAssertGreaterThan(noisy.featureFrechetDistance.value!, 0)

        options.modelName = "flat"
        options.scoreBranches = false
        let flat = try GenerationEvaluation.run(generator: PaletteColorGenerator(palette: palette), segmenter: segmenter,
                                                dataset: dataset, options: options)
        XCTAssertEqual(flat.real, oracle.real, "the real reference does not depend on the generator")
        XCTAssertEqual(flat.imageSize, "32x32")
        options.layoutWidth = 16
        options.layoutHeight = 16
        let halfSize = try GenerationEvaluation.run(generator: PaletteColorGenerator(palette: palette), segmenter: segmenter,
                                                    dataset: dataset, options: options)
        XCTAssertEqual(halfSize.imageSize, "16x16", "layouts are resized before generation")
        options.layoutWidth = nil
        options.layoutHeight = nil
        XCTAssertGreaterThan(flat.featureFrechetDistance.value!, 0)
        XCTAssertNotEqual(flat.generated, flat.real)

        // The JSON a machine reads: every documented key, nulls where nothing was measured.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: encoder.encode(flat)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "scenepaint-eval")
        XCTAssertEqual(json["model"] as? String, "flat")
        XCTAssertEqual(json["count"] as? Int, 8)
        XCTAssertTrue(json["diversity"] is NSNull)
        XCTAssertEqual((json["branches"] as? [String: Any])?.count, 0)
        let generated = try XCTUnwrap(json["generated"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(generated["miou"] as? Double), flat.generated.meanIoU, accuracy: 1e-12)
        XCTAssertNotNil(generated["pixel_accuracy"] as? Double)
        let perClass = try XCTUnwrap(generated["per_class"] as? [[String: Any]])
        XCTAssertEqual(perClass.map { $0["name"] as? String }, ["sky", "grass", "flower", "water"])
        XCTAssertEqual(perClass.map { $0["small"] as? Bool }, [false, false, true, false])
        let frechet = try XCTUnwrap(json["segmenter_feature_frechet_distance"] as? [String: Any])
        XCTAssertTrue((frechet["note"] as? String ?? "").contains("not FID"))
        XCTAssertEqual(frechet["feature_dimension"] as? Int, 32)
        // And the table names the same things for people.
        let table = flat.table()
        XCTAssertTrue(table.contains("NOT FID"))
        XCTAssertTrue(table.contains("small-object classes"))
        XCTAssertTrue(table.contains("flower"))
    }

    /// Small/large means over a hand-made matrix: classes sky (large), flower (small).
    func testScoresSplitSmallAndLargeClasses() throws {
        let palette = try Palette(name: "two", classes: [
            PaletteClass(id: 0, name: "sky", color: RGBColor(0, 0, 255)),
            PaletteClass(id: 7, name: "flower", color: RGBColor(255, 0, 0)),
        ])
        // truth sky 8 (7 right, 1 called flower); truth flower 2 (1 right, 1 called sky)
        let matrix = ConfusionMatrix(classCount: 2, counts: [7, 1, 1, 1])
        let shares = DatasetClassShares(shareByID: [0: 0.9, 7: 0.01], source: "test")
        XCTAssertEqual(shares.smallClassIDs(in: palette), [7])
        let scores = SegmentationScores(matrix, palette: palette, shares: shares, smallClassIDs: [7])
        XCTAssertEqual(scores.pixelAccuracy, 0.8, accuracy: 1e-12)
        XCTAssertEqual(scores.largeClassMeanIoU!, 7.0 / 9.0, accuracy: 1e-12)
        XCTAssertEqual(scores.smallClassMeanIoU!, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(scores.meanIoU, (7.0 / 9.0 + 1.0 / 3.0) / 2, accuracy: 1e-12)
        XCTAssertEqual(scores.perClass.map(\.id), [0, 7])
        XCTAssertEqual(scores.perClass[1].pixelShare, 0.01)
    }

    func testSharesCountedFromLayoutsWithoutManifest() {
        let a = LabelMap(width: 10, height: 10, fill: 0)
        var b = LabelMap(width: 10, height: 10, fill: 1)
        b[0, 0] = 3
        let shares = DatasetClassShares.counted([a, b])
        XCTAssertEqual(shares.shareByID[0]!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(shares.shareByID[3]!, 0.005, accuracy: 1e-12)
        XCTAssertEqual(shares.smallClassIDs(in: TinySegmentationData.palette), [3, 4], "absent classes count as small")
    }

    func testMismatchedPaletteIsRefused() throws {
        let test = try TinySegmentationData.write(count: 2)
        defer { try? FileManager.default.removeItem(atPath: test) }
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(1, 2, 3))])
        let segmenter = try Segmenter(TinySegmentationData.smallConfiguration())
        let dataset = try PairedDataset(directory: test, palette: TinySegmentationData.palette)
        XCTAssertThrowsError(try GenerationEvaluation.run(generator: PaletteColorGenerator(palette: other), segmenter: segmenter,
                                                          dataset: dataset, options: EvaluationOptions())) { error in
            let mismatch = error as? PaletteMismatch
            XCTAssertEqual(mismatch?.subject, "the model", "\(error)")
            XCTAssertEqual(mismatch?.palette.name, "other")
            XCTAssertEqual(mismatch?.judge, "the evaluator")
            XCTAssertEqual("\(error)", "the model uses palette 'other' (1 classes) but the evaluator was trained on palette 'tiny' (4 classes)")
        }
    }
}
