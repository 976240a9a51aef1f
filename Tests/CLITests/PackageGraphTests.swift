import Foundation
import XCTest

/// Package.swift declares exactly the modules each target imports, and its
/// header comment states that same graph: a new import without a declared
/// dependency (or a dependency nothing imports any more) fails here.
final class PackageGraphTests: XCTestCase {
    /// Modules that come with the toolchain, not from this package.
    static let platform: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "XCTest", "Testing"]

    /// target name -> dependencies, from the `.target` / `.testTarget` / `.executableTarget` entries.
    func declared(_ manifest: String) throws -> [String: Set<String>] {
        let pattern = #"\.(?:target|testTarget|executableTarget)\(\s*name:\s*"(\w+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#
        let regex = try NSRegularExpression(pattern: pattern)
        var result: [String: Set<String>] = [:]
        let ns = manifest as NSString
        for match in regex.matches(in: manifest, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: match.range(at: 1))
            let list = match.range(at: 2).location == NSNotFound ? "" : ns.substring(with: match.range(at: 2))
            // "Name" entries, and .product(name: "ArgumentParser", ...) entries.
            let names = try NSRegularExpression(pattern: #"(?:^|[\[,\s])"(\w+)"|\.product\(name:\s*"(\w+)""#)
            var deps = Set<String>()
            for m in names.matches(in: list, range: NSRange(location: 0, length: (list as NSString).length)) {
                for group in 1...2 where m.range(at: group).location != NSNotFound {
                    deps.insert((list as NSString).substring(with: m.range(at: group)))
                }
            }
            result[name] = deps
        }
        return result
    }

    /// The modules imported by the Swift files under `directory`.
    func imported(in directory: String) throws -> Set<String> {
        var modules = Set<String>()
        guard let files = FileManager.default.enumerator(atPath: directory) else { return modules }
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                      words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                modules.insert(words[i + 1])
            }
        }
        return modules.subtracting(Self.platform)
    }

    func testEveryTargetDeclaresExactlyWhatItImports() throws {
        let root = CLIRunner.packageRoot
        let manifest = try String(contentsOfFile: root + "/Package.swift", encoding: .utf8)
        let targets = try declared(manifest)
        XCTAssertGreaterThan(targets.count, 10, "Package.swift parsed: \(targets.keys.sorted())")
        for (name, deps) in targets {
            let directory = FileManager.default.fileExists(atPath: root + "/Sources/" + name) ? root + "/Sources/" + name : root + "/Tests/" + name
            let uses = try imported(in: directory)
            XCTAssertEqual(deps.sorted(), uses.sorted(), "\(name): Package.swift declares \(deps.sorted()), its files import \(uses.sorted())")
        }
    }

    func testHeaderCommentStatesTheGraph() throws {
        let manifest = try String(contentsOfFile: CLIRunner.packageRoot + "/Package.swift", encoding: .utf8)
        let targets = try declared(manifest)
        // Comment lines "//   Name <- A, B, C" for every non-test target with dependencies.
        var stated: [String: Set<String>] = [:]
        for line in manifest.split(separator: "\n") where line.hasPrefix("//") && line.contains(" <- ") {
            let parts = line.dropFirst(2).components(separatedBy: " <- ")
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let deps = parts[1].components(separatedBy: "(")[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            stated[name] = Set(deps.filter { !$0.isEmpty })
        }
        for (name, deps) in targets where !name.hasSuffix("Tests") && !deps.isEmpty {
            XCTAssertEqual(stated[name]?.sorted(), deps.sorted(), "the comment's line for \(name) disagrees with its target")
        }
    }
}
