import Terminal
import XCTest

/// The key map is the only list of editor keys: these check it is a
/// consistent one (each key does one thing, every line dispatches what it
/// says) and that keys decode from the codes ncurses delivers.
final class EditorKeyMapTests: XCTestCase {
    func testNoKeyIsBoundTwice() {
        var seen: [EditorKey: String] = [:]
        for entry in EditorKeyMap.entries {
            for binding in entry.bindings {
                XCTAssertNil(seen[binding.key], "\(binding.key.name) is bound by '\(seen[binding.key] ?? "")' and '\(entry.help)'")
                seen[binding.key] = entry.help
            }
        }
        XCTAssertGreaterThan(seen.count, 40)
    }

    func testEveryKeyboardLineDispatchesItsKeysAndNamesThem() {
        for entry in EditorKeyMap.entries where entry.group != .mouse {
            XCTAssertFalse(entry.bindings.isEmpty, "'\(entry.help)' names keys that do nothing")
            for binding in entry.bindings {
                XCTAssertEqual(EditorKeyMap.action(for: binding.key), binding.action, binding.key.name)
            }
            let shown = entry.bindings.filter(\.shown).map(\.key.name)
            // A label is either the shown keys or a short form of them ("arrows", "1-7").
            if entry.keys != shown {
                XCTAssertTrue(["arrows", "1-7"].contains(entry.keys[0]), "label \(entry.keys) for keys \(shown)")
            }
        }
        for entry in EditorKeyMap.entries where entry.group == .mouse {
            XCTAssertTrue(entry.bindings.isEmpty, "mouse lines only document handleMouse")
        }
    }

    func testAlternativeKeysDoWhatTheHelpTextSays() {
        XCTAssertEqual(EditorKeyMap.action(for: .control("z")), .undo)
        XCTAssertEqual(EditorKeyMap.action(for: .control("y")), .redo)
        XCTAssertEqual(EditorKeyMap.action(for: .shiftUp), EditorKeyMap.action(for: .character("K")))
        XCTAssertEqual(EditorKeyMap.action(for: .character("<")), EditorKeyMap.action(for: .character(",")))
        XCTAssertNil(EditorKeyMap.action(for: .character("Z")))
    }

    func testCursesCodesDecode() {
        XCTAssertEqual(EditorKey(cursesCode: 26), .control("z"))
        XCTAssertEqual(EditorKey(cursesCode: 12), .control("l"))
        for enter: Int32 in [10, 13, 0o527] { XCTAssertEqual(EditorKey(cursesCode: enter), .enter) }  // KEY_ENTER = 0527
        XCTAssertEqual(EditorKey(cursesCode: 27), .escape)
        XCTAssertEqual(EditorKey(cursesCode: 32), .space)
        XCTAssertEqual(EditorKey(cursesCode: Int32(UInt8(ascii: "R"))), .character("R"))
        XCTAssertEqual(EditorKey(cursesCode: 0o404), .left)  // KEY_LEFT
        XCTAssertNil(EditorKey(cursesCode: 0), "NUL is no key")
        XCTAssertNil(EditorKey(cursesCode: 200), "a UTF-8 byte is no key (prompts read bytes)")
    }

    func testHelpLinesAreTheGroupsAndEntriesInOrder() {
        let lines = EditorKeyMap.helpLines
        XCTAssertEqual(lines.count, EditorKeyMap.Group.allCases.count + EditorKeyMap.entries.count)
        XCTAssertEqual(lines.first, "Paint")
        XCTAssertTrue(lines.contains("  u U         undo, redo (also ctrl-z, ctrl-y)"), lines.joined(separator: "\n"))
    }

    func testTheMarkdownTableEscapesPipesAndHasOneRowPerEntry() {
        let rows = EditorKeyMap.markdownTable.split(separator: "\n")
        XCTAssertEqual(rows.count, 2 + EditorKeyMap.entries.count)
        for row in rows.dropFirst(2) {
            // Three cells: four unescaped pipes.
            let cells = row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            XCTAssertEqual(cells, 4, String(row))
        }
    }
}
