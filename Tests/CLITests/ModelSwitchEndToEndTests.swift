import Foundation
import XCTest

/// `m` in the editor started with no --model, in tmux: the bundled LGGAN, then
/// the bundled style LGGAN (whose seeds `n` re-rolls), then the bundled ECGAN
/// (a style code too: `n` re-rolls) with its own views, then back; the status line names each.
final class ModelSwitchEndToEndTests: XCTestCase {
    func testMCyclesThroughTheBundledModels() throws {
        let (home, _) = try makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let root = CLIRunner.packageRoot
        let lake = home + "/lake.png"
        try FileManager.default.copyItem(atPath: root + "/samples/lake.png", toPath: lake)
        let command = EditorTmuxSession.editorCommand(home: home, layout: lake, arguments: "--graphics truecolor")
        let session = try EditorTmuxSession(command: command, columns: 200, rows: 40)
        defer { session.close() }
        session.waitFor("landscape-lggan.safetensors", timeout: 60)
        try session.send("m")
        session.waitFor("model: LGGAN (landscape-lggan-styles.safetensors)")
        try session.send("n")
        session.waitFor("(p goes back)", timeout: 60)   // this one has a style code: n re-rolls
        try session.send("m")
        session.waitFor("model: ECGAN (landscape-ecgan.safetensors)")
        try session.send("n")
        session.waitFor("(p goes back)", timeout: 60)   // the bundled ECGAN has a style code too (session 10)
        try session.send("3")                           // ECGAN's edge view
        session.waitFor("edge map", timeout: 60)
        try session.send("m")
        session.waitFor("model: LGGAN (landscape-lggan.safetensors)")
        try session.send("q")
        session.waitFor("EXITED 0")
    }
}
