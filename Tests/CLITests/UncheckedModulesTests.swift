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
        // Each target declaration runs from one ".target(name:" to the next; keep those naming fastMath.
        let names = Set(manifest.components(separatedBy: "arget(name: \"").dropFirst().compactMap { declaration -> String? in
            declaration.contains("swiftSettings: fastMath") ? String(declaration.prefix { $0 != "\"" }) : nil
        })
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
