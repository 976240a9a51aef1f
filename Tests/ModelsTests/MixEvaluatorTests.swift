import Datasets
import Evaluation
import Foundation
import Generation
import Layouts
import Models
import Training
import XCTest

/// The evaluator retrained on the procedural + painted mix (shipped beside the old
/// one): it loads with the landscape palette and refuses a palette mismatch.
final class MixEvaluatorTests: XCTestCase {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/landscape-segmenter-mix.safetensors").path

    func testLoadsWithTheLandscapePalette() throws {
        let segmenter = try SegmenterCheckpoint.load(path: Self.path).model
        let c = segmenter.configuration
        XCTAssertEqual(c.palette.name, "landscape")
        XCTAssertEqual(c.classCount, 15)
        XCTAssertEqual(c.palette.classes.map(\.name).prefix(3), ["sky", "cloud", "mountain"])
        XCTAssertEqual(c.inputWidth, 128)
        // It is a different network from the old evaluator.
        let old = try SegmenterCheckpoint.load(path: Self.path.replacingOccurrences(of: "-mix", with: "")).model
        XCTAssertEqual(old.configuration.palette, c.palette)
        let headKey = try XCTUnwrap(segmenter.stateDict().keys.first { $0.hasPrefix("head") })
        XCTAssertNotEqual(old.stateDict()[headKey]?.values, segmenter.stateDict()[headKey]?.values)
    }

    func testRefusesAPaletteMismatch() throws {
        let segmenter = try SegmenterCheckpoint.load(path: Self.path).model
        let data = try TinySegmentationData.write(count: 2)
        defer { try? FileManager.default.removeItem(atPath: data) }
        // A generator with another palette.
        let landscapeData = try PairedDataset(directory: data, palette: TinySegmentationData.palette)
        XCTAssertThrowsError(try GenerationEvaluation.run(generator: PaletteColorGenerator(palette: TinySegmentationData.palette),
                                                          segmenter: segmenter, dataset: landscapeData, options: EvaluationOptions())) { error in
            XCTAssertEqual((error as? PaletteMismatch)?.subject, "the model", "\(error)")
        }
        // Test layouts in another palette.
        XCTAssertThrowsError(try GenerationEvaluation.run(generator: PaletteColorGenerator(palette: segmenter.configuration.palette),
                                                          segmenter: segmenter, dataset: landscapeData, options: EvaluationOptions())) { error in
            XCTAssertEqual((error as? PaletteMismatch)?.subject, "the test data", "\(error)")
            XCTAssertEqual((error as? PaletteMismatch)?.palette.name, "tiny")
        }
    }
}
