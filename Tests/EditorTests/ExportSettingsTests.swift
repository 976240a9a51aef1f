import Editor
import Foundation
import Layouts
import Generation
import XCTest

/// An exported picture carries its seed and style (PNG tEXt), and those
/// settings make the same picture again, bit for bit (issue 15).
final class ExportSettingsTests: XCTestCase {
    func testTheExportedSeedAndStyleReproduceThePicture() throws {
        let directory = NSTemporaryDirectory() + "export-settings-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The editor's stand-in generator: its texture follows the seed.
        let generator = ShadedLayoutGenerator(palette: Fixture.palette)
        let labels = Fixture.layout(["0000000000000000", "0000111100000000", "2222111122233332", "2222222222233332"]).labels
        let style = StyleReference(mean: [0.5, -1.25, 2, 0.1], logVariance: [-1, -0.5, -2, 0], source: "/refs/dusk.png")
        for settings in [GenerationSettings(seed: 987_654_321_012), GenerationSettings(seed: 3, style: style)] {
            let views = try generator.generate(labels, seed: settings.seed, shouldCancel: { false })
            let job = ExportJob(scope: .view(.fused, inspectedClass: nil), labels: labels, seed: settings.seed,
                                palette: Fixture.palette, exporter: ViewExporter(layoutPath: directory + "/scene.png"),
                                settings: settings)
            XCTAssertTrue(job.write(views).hasPrefix("exported"))
            let path = directory + "/scene-fused.png"
            let read = try GenerationSettings(pngText: try PNGTextChunks.read(path: path), path: path)
            XCTAssertEqual(read.seed, settings.seed)
            XCTAssertEqual(read.style?.mean, settings.style?.mean)
            XCTAssertEqual(read.style?.logVariance, settings.style?.logVariance)
            XCTAssertEqual(read.style.map { ($0.source as NSString).lastPathComponent }, settings.style.map { _ in "dusk.png" })
            let again = try generator.generate(labels, seed: read.seed, shouldCancel: { false })
            XCTAssertEqual(try RGBImage.read(path: path), again.fused)   // libpng reads the file with the added chunks
        }
        // A picture without settings says so in one line naming it.
        let plain = directory + "/plain.png"
        try RGBImage(width: 4, height: 4).write(path: plain)
        XCTAssertThrowsError(try GenerationSettings(pngText: try PNGTextChunks.read(path: plain), path: plain)) {
            XCTAssertTrue("\($0)".hasPrefix(plain + ": "), "\($0)")
        }
    }

    func testSeedHistoryGoesBack() {
        var state = EditorState(layout: Fixture.layout(["01"]))
        let first = state.seed
        XCTAssertFalse(state.previousSeed())
        state.reroll(to: 77)
        state.reroll(to: 78)
        XCTAssertEqual(state.seed, 78)
        XCTAssertTrue(state.previousSeed())
        XCTAssertEqual(state.seed, 77)
        XCTAssertTrue(state.previousSeed())
        XCTAssertEqual(state.seed, first)
        XCTAssertFalse(state.previousSeed())
    }
}
