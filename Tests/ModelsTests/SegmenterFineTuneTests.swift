import Datasets
import Foundation
import Layouts
import Models
import Training
import XCTest

/// `train segmenter --init FILE`: a new run starts from an evaluator file's weights
/// (fine-tuning), keeps its palette and architecture, and refuses others.
final class SegmenterFineTuneTests: XCTestCase {
    func testInitStartsFromTheFileAndRefusesAnotherArchitectureOrPalette() throws {
        let data = try TinySegmentationData.write(count: 8)
        let first = TinySegmentationData.temporaryRun(), second = TinySegmentationData.temporaryRun()
        defer { for p in [data, first, second] { try? FileManager.default.removeItem(atPath: p) } }
        // A short run to fine-tune from.
        let base = try SegmenterTrainer(options: TinySegmentationData.options(data: data, run: first, steps: 20),
                                        palette: TinySegmentationData.palette, resume: false)
        _ = try base.run(report: { _ in })
        let file = first + "/segmenter.safetensors"
        let exported = try SegmenterCheckpoint.load(path: file).model

        var options = TinySegmentationData.options(data: data, run: second, steps: 5)
        options.initialWeights = file
        let tuned = try SegmenterTrainer(options: options, resume: false)
        XCTAssertEqual(tuned.step, 0)
        XCTAssertEqual(tuned.model.configuration.palette, TinySegmentationData.palette)
        for (name, tensor) in exported.stateDict() {
            XCTAssertEqual(tuned.model.stateDict()[name]?.values, tensor.values, "\(name) does not start from the file")
        }
        // Its own first steps move away from the file.
        _ = try tuned.run(report: { _ in })
        let after = try SegmenterCheckpoint.load(path: second + "/segmenter.safetensors").model
        let key = try XCTUnwrap(after.stateDict().keys.first { $0.hasPrefix("head") })
        XCTAssertNotEqual(after.stateDict()[key]?.values, exported.stateDict()[key]?.values)

        var wider = TinySegmentationData.options(data: data, run: second + "-w", steps: 5)
        wider.initialWeights = file
        wider.baseWidth = 16
        XCTAssertThrowsError(try SegmenterTrainer(options: wider, resume: false)) { XCTAssertTrue("\($0)".contains("width 8"), "\($0)") }
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(1, 2, 3))])
        var repainted = TinySegmentationData.options(data: data, run: second + "-p", steps: 5)
        repainted.initialWeights = file
        XCTAssertThrowsError(try SegmenterTrainer(options: repainted, palette: other, resume: false)) {
            XCTAssertTrue("\($0)".contains("palette tiny, not other"), "\($0)")
        }
    }
}
