import Foundation
import Layouts
import XCTest

/// `dataset synth --mix`, the painted splits, `dataset scene --painted` and
/// `dataset render` through the real binary: outputs, and one-line refusals.
final class PaintedDatasetCLITests: XCTestCase {
    func testMixAndPaintedSplitsAndRender() throws {
        let (home, _) = try makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])

        let badMix = try cli.run(["dataset", "synth", "--out", home + "/d", "--count", "2", "--mix", "drawn=1"])
        XCTAssertNotEqual(badMix.status, 0)
        XCTAssertEqual(badMix.stderr.filter { $0 == "\n" }.count, 1, badMix.stderr)
        XCTAssertTrue(badMix.stderr.contains("--mix") && badMix.stderr.contains("drawn"), badMix.stderr)

        let wrongSplit = try cli.run(["dataset", "synth", "--out", home + "/d", "--split", "test-painted", "--count", "2"])
        XCTAssertEqual(wrongSplit.status, 2)
        XCTAssertEqual(wrongSplit.stderr.filter { $0 == "\n" }.count, 1, wrongSplit.stderr)
        XCTAssertTrue(wrongSplit.stderr.contains("--mix painted"), wrongSplit.stderr)

        let split = try cli.run(["dataset", "synth", "--out", home + "/d", "--split", "test-painted", "--count", "3",
                                 "--size", "32x32", "--seed", "13", "--mix", "painted", "--jobs", "1"])
        XCTAssertEqual(split.status, 0, split.stderr)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: home + "/d/test-painted/manifest.json"))) as! [String: Any]
        XCTAssertEqual(manifest["mix"] as? String, "painted")
        XCTAssertEqual(manifest["split"] as? String, "test-painted")
        XCTAssertEqual(manifest["complete"] as? Bool, true)

        let badRecipe = try cli.run(["dataset", "scene", "--painted", "bogus", "-o", home + "/x.png"])
        XCTAssertEqual(badRecipe.status, 2)
        XCTAssertTrue(badRecipe.stderr.contains("bogus") && badRecipe.stderr.contains("flower-field"), badRecipe.stderr)

        let scene = try cli.run(["dataset", "scene", "--painted", "flower-field", "--seed", "4", "--size", "64x64",
                                 "-o", home + "/l.png", "--image", home + "/i.png"])
        XCTAssertEqual(scene.status, 0, scene.stderr)
        let landscape = try Palette.load(path: CLIRunner.packageRoot + "/palettes/landscape.json")
        let layout = try LayoutFile.read(path: home + "/l.png", palette: landscape)
        XCTAssertEqual(layout.labels.width, 64)
        XCTAssertGreaterThan(layout.labels.histogram()[8], 0, "a flower field without flowers")

        let render = try cli.run(["dataset", "render", CLIRunner.packageRoot + "/samples/painted/island-boat.png", "-o", home + "/r.png"])
        XCTAssertEqual(render.status, 0, render.stderr)
        let image = try RGBImage.read(path: home + "/r.png")
        XCTAssertEqual(image.width, 256)
        let missing = try cli.run(["dataset", "render", home + "/none.png", "-o", home + "/r2.png"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.filter { $0 == "\n" }.count, 1, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/r2.png"))
    }

    /// The evaluator retrained on the mix refuses test layouts painted in another palette.
    func testMixEvaluatorRefusesAnotherPalette() throws {
        let (home, palette) = try makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        for sub in ["layouts", "images"] { try FileManager.default.createDirectory(atPath: home + "/d/" + sub, withIntermediateDirectories: true) }
        let layout = sampleLayout(palette)
        try LayoutFile.write(layout, to: home + "/d/layouts/000000.png")
        try RGBImage(width: layout.width, height: layout.height).write(path: home + "/d/images/000000.png")
        let result = try cli.run(["eval", "--model", "flat", "--data", home + "/d",
                                  "--evaluator", CLIRunner.packageRoot + "/models/landscape-segmenter-mix.safetensors"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("'mini'") && result.stderr.contains("'landscape'"), result.stderr)
    }
}
