import Foundation
import XCTest

/// The numeric modules are built with -Ounchecked, which compiles `precondition`
/// and `assert` away: a check there that guards input or memory must be an
/// `invariant` (Support) or a thrown error. This reads Package.swift for the
/// targets built with `fastMath` and fails on any precondition/assert in them.
final class UncheckedModulesTests: XCTestCase {
    func testNoPreconditionOrAssertInUncheckedModules() throws {
        let root = CLIRunner.packageRoot
        let manifest = try String(contentsOfFile: root + "/Package.swift", encoding: .utf8)
        let targets = manifest.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("swiftSettings: fastMath"), let start = line.range(of: "name: \"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
        // Targets whose declaration spans two lines name the settings on the second.
        let lines = manifest.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var names = Set(targets)
        for (i, line) in lines.enumerated() where line.contains("swiftSettings: fastMath") && !line.contains("name: \"") && i > 0 {
            if let start = lines[i - 1].range(of: "name: \"") {
                names.insert(String(lines[i - 1][start.upperBound...].prefix { $0 != "\"" }))
            }
        }
        XCTAssertTrue(names.isSuperset(of: ["Tensor", "Models", "Training"]), "found \(names.sorted()) in Package.swift")
        let banned = ["precondition(", "preconditionFailure(", "assert(", "assertionFailure("]
        var found: [String] = []
        for name in names.sorted() {
            let dir = root + "/Sources/" + name
            let files = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.components(separatedBy: "//").first ?? ""
                    if banned.contains(where: { code.contains($0) }) { found.append("Sources/\(name)/\(file):\(n + 1)") }
                }
            }
        }
        XCTAssertEqual(found, [], "use invariant() or a thrown error in -Ounchecked modules")
    }
}
