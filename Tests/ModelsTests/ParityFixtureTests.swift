import Foundation
import Layouts
@testable import Models
import Tensor
import XCTest

/// The Swift forward against the PyTorch twin (python/scenepaint_torch): each
/// fixture in Tests/Fixtures/parity holds a model file written by PyTorch
/// (random, not trained, weights), a layout and every view PyTorch computed.
/// Regenerate with `python -m scenepaint_torch.fixture Tests/Fixtures/parity`
/// (docs/scale.md). Both sides compute in float32 with different summation
/// orders; outputs lie in -1...1 (weights 0...1).
final class ParityFixtureTests: XCTestCase {
    /// Largest |Swift - PyTorch| allowed in any view pixel.
    static let tolerance: Float = 1e-4

    static var fixtureDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/parity").path
    }

    func testSwiftForwardMatchesPyTorchOnEveryView() throws {
        for name in ["tiny", "variants"] {
            let (network, palette, _) = try LGGANModelFile.read(path: "\(Self.fixtureDirectory)/\(name).model.safetensors")
            let expected = try SafeTensors.read("\(Self.fixtureDirectory)/\(name).expected.safetensors")
            let layout = try XCTUnwrap(expected.tensors["layout"])
            let (h, w) = (layout.shape[0], layout.shape[1])
            let indices = layout.values.map { Int($0) }
            XCTAssertTrue(indices.contains(-1), "the fixture layout has don't-care pixels")
            let input = SemanticInput(indices: indices, batch: 1, height: h, width: w, classCount: palette.count)
            let out = GradMode.withoutGrad { network.forward(input) }

            var swiftViews: [String: Tensor] = ["fused": out.fused]
            if let g = out.global { swiftViews["global"] = g }
            if let l = out.local { swiftViews["local"] = l }
            if let wts = out.weights { swiftViews["weights"] = wts }
            if let classImages = out.classImages {
                for k in Set(indices.filter { $0 >= 0 }) {
                    swiftViews["class-" + palette.classes[k].name] = classImages.slice(axis: 1, 3 * k ..< 3 * k + 3)
                }
            }
            let expectedNames = expected.tensors.keys.filter { $0.hasPrefix("view.") }.map { String($0.dropFirst(5)) }
            XCTAssertEqual(Set(swiftViews.keys), Set(expectedNames), "\(name): the same views on both sides")
            var report: [String] = []
            for view in expectedNames.sorted() {
                guard let mine = swiftViews[view], let theirs = expected.tensors["view." + view] else { continue }
                XCTAssertEqual(mine.count, theirs.count, "\(name)/\(view): sizes")
                let a = mine.values, b = theirs.values
                var worst: Float = 0, spread: Float = 0
                for i in 0..<Swift.min(a.count, b.count) {
                    worst = Swift.max(worst, Swift.abs(a[i] - b[i]))
                    spread = Swift.max(spread, Swift.abs(b[i] - b[0]))
                }
                XCTAssertGreaterThan(spread, 1e-3, "\(name)/\(view) is not constant (the fixture tests something)")
                XCTAssertLessThanOrEqual(worst, Self.tolerance, "\(name)/\(view): max |Swift - PyTorch| = \(worst)")
                report.append("\(view) \(String(format: "%.2e", worst))")
            }
            print("parity \(name): " + report.joined(separator: ", "))
        }
    }

    /// The model file PyTorch wrote carries scenepaint's metadata and loads as a generator.
    func testPyTorchModelFileLoadsAsEditorGenerator() throws {
        let path = "\(Self.fixtureDirectory)/tiny.model.safetensors"
        let (network, palette, metadata) = try LGGANModelFile.read(path: path)
        XCTAssertEqual(metadata["format"], LGGANModelFile.format)
        XCTAssertEqual(metadata["version"], LGGANModelFile.version)
        XCTAssertEqual(palette.name, "parity")
        let generator = try LGGANGenerator(network: network, palette: palette, source: path)
        var labels = LabelMap(width: 20, height: 13)
        for y in 7..<13 { for x in 0..<20 { labels[x, y] = 1 } }
        let views = try generator.generate(labels, seed: 0, shouldCancel: { false })
        XCTAssertEqual(views.fused.width, 20)
        XCTAssertEqual(Set(views.classOutputs.keys), [0, 1])
    }
}
