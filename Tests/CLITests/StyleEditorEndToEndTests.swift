import Foundation
import Layouts
import XCTest

/// The editor's seed and style keys with the bundled style model, in tmux:
/// `n` re-rolls and shows the seed, `p` goes back, `P` loads a style image,
/// and an export carries the seed so `generate --settings-from` remakes it.
final class StyleEditorEndToEndTests: XCTestCase {
    func testSeedKeysStyleImageAndReproducibleExports() throws {
        let (home, _) = try makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try exerciseSeedAndStyleKeys(model: StyleCLITests.model, home: home)
    }

    /// The same keys with an ECGAN that has the style code: trained here for
    /// one step from the bundled LGGAN with a style code (`--init-from` copies it).
    func testSeedKeysAndStyleImageWithAnECGAN() throws {
        let (home, _) = try makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let cli = CLIRunner()
        let data = try cli.run(["dataset", "synth", "--out", home + "/data", "--count", "2", "--size", "32x32", "--jobs", "1"])
        XCTAssertEqual(data.status, 0, data.stderr)
        let trained = try cli.run(["train", "ecgan", "--data", home + "/data", "--out", home + "/run", "--size", "32", "--batch", "2",
                                   "--steps", "1", "--samples", "0", "--no-similarity", "--init-from", StyleCLITests.model,
                                   "--feature-width", "32", "--style-code", "16", "--style-encoder"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stderr.contains("style code and texture noise from"), trained.stderr)
        try exerciseSeedAndStyleKeys(model: home + "/run/model.safetensors", home: home)
    }

    /// `n` re-rolls and shows the seed, an export carries it and `generate
    /// --settings-from` remakes the export, `p` goes back, `P` refuses a bad
    /// image in one line and takes a good one.
    func exerciseSeedAndStyleKeys(model: String, home: String) throws {
        let root = CLIRunner.packageRoot
        let lake = home + "/lake.png"
        try FileManager.default.copyItem(atPath: root + "/samples/lake.png", toPath: lake)
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: home + "/bad.png"))
        let command = EditorTmuxSession.editorCommand(home: home, layout: lake, arguments: "--model \(shellQuote(model)) --graphics truecolor")
        let session = try EditorTmuxSession(command: command, columns: 200, rows: 40)
        defer { session.close() }
        session.waitFor("| seed 1 |", timeout: 60)
        try session.send("n")
        let rolled = session.waitFor("(p goes back)")
        let seed = try XCTUnwrap(rolled.range(of: #"new seed (\d+)"#, options: .regularExpression).map {
            String(rolled[$0].dropFirst("new seed ".count))
        })
        session.waitFor("| seed \(seed) |")
        try session.send("x")
        session.waitFor("exported fused view", timeout: 120)
        let exported = home + "/lake-fused.png"
        XCTAssertEqual(try PNGTextChunks.read(path: exported)["scenepaint.seed"], seed)
        let again = try CLIRunner().run(["generate", lake, "--model", model, "--settings-from", exported,
                                         "-o", home + "/again.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try RGBImage.read(path: home + "/again.png"), try RGBImage.read(path: exported))
        try session.send("p")
        session.waitFor("back to seed 1")
        try session.send("P")
        session.waitFor("Style image")
        try session.type("bad.png")
        try session.send("Enter")
        session.waitFor("cannot use as a style reference")
        try session.send("P")
        session.waitFor("Style image")
        try session.type(root + "/docs/images/lggan-samples-test.png")
        try session.send("Enter")
        session.waitFor("style lggan-samples-test.png |", timeout: 60)
        try session.send("q")
        session.waitFor("EXITED 0")
    }
}
