import Foundation
import XCTest

/// Every command's --help, found by walking the SUBCOMMANDS lists: defaults
/// appear as a user types them (no Swift value dumps such as
/// "Size(width: 256, height: 256)" or "Optional(...)"), and once per option.
final class HelpTextTests: XCTestCase {
    func help(_ path: [String]) throws -> String {
        let result = try CLIRunner().run(path + ["--help"])
        XCTAssertEqual(result.status, 0, "\(path.joined(separator: " ")) --help")
        return result.text
    }

    /// The subcommand names of a help text (two-space indented first words after SUBCOMMANDS:).
    func subcommands(_ text: String) -> [String] {
        guard let start = text.range(of: "SUBCOMMANDS:\n") else { return [] }
        return text[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            let word = line.split(separator: " ").first.map(String.init)
            return word == "See" ? nil : word
        }
    }

    func testEveryHelpShowsDefaultsAsTyped() throws {
        var queue: [[String]] = [[]]
        var checked = 0
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let text = try help(path)
            checked += 1
            let name = path.isEmpty ? "scenepaint" : path.joined(separator: " ")
            // Option entries as one line each (help wraps descriptions onto indented lines).
            let entries = text.replacingOccurrences(of: "\n                          ", with: " ")
            for dump in ["Size(", "Optional(", "width:", "ExpressibleByArgument", "GraphicsMode."] {
                XCTAssertFalse(entries.contains(dump), "\(name) --help shows a Swift value: \(dump)\n\(text)")
            }
            for line in entries.split(separator: "\n") where line.components(separatedBy: "(default:").count > 2 {
                XCTFail("\(name) --help gives two defaults: \(line)")
            }
            queue += subcommands(text).filter { $0 != "help" }.map { path + [$0] }
        }
        XCTAssertGreaterThan(checked, 15, "walked every command")
    }
}
