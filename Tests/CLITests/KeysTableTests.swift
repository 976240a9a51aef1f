import Foundation
import XCTest

/// README.md's and docs/editor.md's key tables are `scenepaint keys --markdown`,
/// the editor's key map: they cannot drift from what the keys do.
final class KeysTableTests: XCTestCase {
    /// The lines of the first Markdown table after `heading` in the file.
    private func table(in path: String, after heading: String) throws -> String {
        let text = try String(contentsOfFile: CLIRunner.packageRoot + "/" + path, encoding: .utf8)
        guard let start = text.range(of: heading) else {
            XCTFail("\(path) has no '\(heading)'")
            return ""
        }
        let lines = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines.drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.joined(separator: "\n") + "\n"
    }

    func testTheDocumentedKeyTablesAreTheKeyMap() throws {
        let result = try CLIRunner().run(["keys", "--markdown"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.hasPrefix("| group | keys | action |\n"), result.text)
        XCTAssertTrue(result.text.contains("| `u` `U` | undo, redo (also ctrl-z, ctrl-y) |"), result.text)
        XCTAssertEqual(try table(in: "README.md", after: "### Keys"), result.text,
                       "README.md's key table is not `scenepaint keys --markdown`: paste that output there")
        XCTAssertEqual(try table(in: "docs/editor.md", after: "## Keys"), result.text,
                       "docs/editor.md's key table is not `scenepaint keys --markdown`: paste that output there")
    }

    func testThePlainListIsTheHelpPopupText() throws {
        let result = try CLIRunner().run(["keys"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { !$0.hasPrefix(" ") }, ["Paint", "View", "Files", "Mouse"])
        XCTAssertTrue(lines.contains("  ?           this help"), result.text)
    }
}
