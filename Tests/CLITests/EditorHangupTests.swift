import Foundation
import Layouts
import XCTest

/// The terminal going away under the editor: every stroke made before the
/// hangup comes back, complete, from the recovery file on the next start.
/// "Complete" is checked against a reference: the same keys in a second
/// editor on a copy of the layout, saved normally.
extension EditorEndToEndTests {
    /// Four strokes with two classes and brush sizes 3 and 5; the last key
    /// ("]", size 6) shows on the status line only after every stroke is applied.
    static let strokes = [".", ".", ".", "Space", "Right", "Right", "Right", "Right", "Space", "]", "]",
                          "Down", "Down", "Down", "Space", ",", "Up", "Left", "Space", "]"]
    static let afterStrokes = "size 6"

    /// The layout those keys make, saved by a session that ends normally.
    func referenceAfterStrokes() throws -> Layout {
        let reference = home + "/reference.png"
        try FileManager.default.copyItem(atPath: layoutPath, toPath: reference)
        let session = try EditorTmuxSession(command: editCommand(layout: reference))
        defer { session.close() }
        session.waitFor("? help")
        try session.send(Self.strokes)
        session.waitFor(Self.afterStrokes)
        try session.send("s")
        session.waitFor("saved /")
        try session.send("q")
        session.waitFor("EXITED 0")
        return try LayoutFile.read(path: reference, palette: palette)
    }

    /// Starts the editor on the layout again, takes the recovery and saves it.
    func recoverAndSave() throws -> Layout {
        let again = try EditorTmuxSession(command: editCommand())
        defer { again.close() }
        again.waitFor("Unsaved work from")
        try again.send("r")
        again.waitFor("recovered unsaved work")
        try again.send("s")
        again.waitFor("saved /")
        try again.send("q")
        again.waitFor("EXITED 0")
        return try LayoutFile.read(path: layoutPath, palette: palette)
    }

    func testClosingTheTerminalKeepsEveryStroke() throws {
        let expected = try referenceAfterStrokes()
        XCTAssertNotEqual(expected, try LayoutFile.read(path: layoutPath, palette: palette), "the strokes change the layout")

        let session = try EditorTmuxSession(command: editCommand())
        session.waitFor("? help")
        try session.send(Self.strokes)
        session.waitFor(Self.afterStrokes)
        let shell = try XCTUnwrap(session.panePID)
        let editor = try XCTUnwrap(Self.children(of: shell).first, "no editor process under the pane's shell")
        // Killing the tmux server closes the pty: the kernel sends SIGHUP to the
        // pane's processes, and the editor's terminal is gone (writes fail).
        session.close()
        XCTAssertTrue(Self.waitForExit(of: editor), "the editor outlived its terminal")
        let recoveries = try FileManager.default.contentsOfDirectory(atPath: recoveryDir).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(recoveries.count, 1, "\(recoveries)")

        XCTAssertEqual(try recoverAndSave(), expected, "the recovered layout holds every stroke")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: recoveryDir), [], "saving removes the recovery")
    }

    func testSighupKeepsEveryStrokeAndExitsWithTheSignalStatus() throws {
        let expected = try referenceAfterStrokes()
        let session = try EditorTmuxSession(command: editCommand())
        defer { session.close() }
        session.waitFor("? help")
        try session.send(Self.strokes)
        session.waitFor(Self.afterStrokes)
        let shell = try XCTUnwrap(session.panePID)
        let editor = try XCTUnwrap(Self.children(of: shell).first, "no editor process under the pane's shell")
        XCTAssertEqual(kill(editor, SIGHUP), 0)
        session.waitFor("EXITED 129")
        XCTAssertFalse(session.alternateScreenOn, "terminal restored after SIGHUP")
        session.close()
        XCTAssertEqual(try recoverAndSave(), expected, "the recovered layout holds every stroke")
    }

    /// True once `pid` no longer exists (or is a zombie), within `timeout` seconds.
    static func waitForExit(of pid: Int32, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].split(separator: " ").first == "Z" {
                return true
            }
            usleep(50_000)
        }
        return false
    }
}
