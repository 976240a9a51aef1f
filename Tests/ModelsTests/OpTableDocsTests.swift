import Models
import Tensor
import XCTest

/// docs/engine.md's op table is the op catalog: the engine's ops
/// (OpCatalog.engine) and the models' fused ones (OpCatalog.lggan), each op
/// once, in its group. The LGGAN ops' gradient checks record their own nodes
/// (the engine's are checked in TensorTests' OpCatalogTests).
final class OpTableDocsTests: XCTestCase {
    /// docs/engine.md's "Ops" table: for each row, the group and the API names in backticks.
    private func documentedOps() throws -> [String: Set<String>] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/engine.md"), encoding: .utf8)
        guard let start = text.range(of: "## Ops") else { XCTFail("docs/engine.md has no '## Ops' section"); return [:] }
        let rows = text[start.upperBound...].split(separator: "\n").drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        var table: [String: Set<String>] = [:]
        for row in rows.dropFirst(2) {
            let cells = row.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            var names: Set<String> = []
            for (index, span) in cells[2].components(separatedBy: "`").enumerated() where index % 2 == 1 {
                let words = span.split(separator: " ")
                if !words.isEmpty, words.allSatisfy({ ["+", "-", "*", "/"].contains(String($0)) }) {
                    names.formUnion(words.map(String.init))  // `+ - * /`
                    continue
                }
                let call = span.hasPrefix("Tensor.") ? String(span.dropFirst(7)) : span
                let name = String(call.prefix { $0.isLetter || $0.isNumber })
                if !name.isEmpty { names.insert(name) }
            }
            table[cells[1], default: []].formUnion(names)
        }
        return table
    }

    func testTheDocsOpTableIsTheCatalog() throws {
        let all = OpCatalog.engine + OpCatalog.lggan
        XCTAssertEqual(Set(all.map(\.name)).count, all.count, "an op name in two catalogs")
        let documented = try documentedOps()
        let catalog = Dictionary(grouping: all, by: \.group).mapValues { Set($0.map(\.name)) }
        XCTAssertEqual(Set(documented.keys), Set(catalog.keys), "the groups of docs/engine.md's op table")
        for (group, names) in catalog {
            let inDocs = documented[group] ?? []
            XCTAssertEqual(inDocs, names, "group \(group): docs lack \(names.subtracting(inDocs).sorted()), "
                           + "the catalog lacks \(inDocs.subtracting(names).sorted())")
        }
    }

    func testEveryFusedLGGANOpHasAGradientCheckOfItsOwnNode() {
        typealias G = GradientCheck
        let mask = Tensor(shape: [2, 2, 6, 7], values: (0..<168).map { Float(($0 / 3) % 2) })
        let placements = [WindowPlacement(batchIndex: 0, channelOffset: 0, top: 1, left: 2),
                          WindowPlacement(batchIndex: 1, channelOffset: 1, top: 0, left: 0)]
        let checks: [String: (inputs: [Tensor], f: ([Tensor]) -> Tensor)] = [
            "maskedWindow": ([G.random([2, 4, 6, 7], seed: 2)],
                             { maskedWindow($0[0], mask: mask, batchIndex: 1, maskChannel: 1, top: -1, left: 3, height: 8, width: 6) }),
            "pasteWindows": ([G.random([3], seed: 3), G.random([1, 3, 2, 3], seed: 4), G.random([1, 2, 4, 2], seed: 5)],
                             { pasteWindows(background: $0[0], batch: 2, height: 4, width: 5, windows: Array($0[1...]), placements: placements) }),
            "modulate": ([G.random([2, 3, 4, 5], seed: 1), G.random([2, 6, 4, 5], seed: 8)], { modulate($0[0], gammaBeta: $0[1]) }),
            "upsampleBilinear2x": ([G.random([2, 3, 4, 5], seed: 9)], { upsampleBilinear2x($0[0]) }),
        ]
        XCTAssertEqual(Set(checks.keys), Set(OpCatalog.lggan.filter { $0.gradient == .node }.map(\.name)))
        for op in OpCatalog.lggan {
            guard let check = checks[op.name] else { continue }
            let inputs = check.inputs.map { $0.detach() }
            for t in inputs { t.requiresGrad = true }
            XCTAssertTrue(check.f(inputs).recordedOps.contains(op), "the check for \(op) does not record its node")
            G.check(check.inputs.map { $0.detach() }, sample: 24, check.f)
        }
    }
}
