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
        let root = CLIRunner.packageRoot
        let lake = home + "/lake.png"
        try FileManager.default.copyItem(atPath: root + "/samples/lake.png", toPath: lake)
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: home + "/bad.png"))
        let command = "cd \(shellQuote(home)) && TERM=tmux-256color SCENEPAINT_HOME=\(shellQuote(root)) "
            + "SCENEPAINT_RECOVERY_DIR=\(shellQuote(home + "/recovery")) \(shellQuote(CLIRunner.binary)) edit \(shellQuote(lake)) "
            + "--model \(shellQuote(StyleCLITests.model)) --graphics truecolor"
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
        let again = try CLIRunner().run(["generate", lake, "--model", StyleCLITests.model, "--settings-from", exported,
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
