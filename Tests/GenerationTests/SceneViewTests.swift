import Generation
import Layouts
import XCTest

/// The one vocabulary of views and the one palette rule.
final class SceneViewTests: XCTestCase {
    let palette = try! Palette(name: "test", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(110, 170, 235)),
                                                       PaletteClass(id: 1, name: "water", color: RGBColor(40, 90, 200))])

    func testNamesKeysAndOrder() {
        XCTAssertEqual(SceneView.lgganViews.map(\.name), ["fused", "global", "local", "weight-global", "weight-local", "class", "side-by-side"])
        XCTAssertEqual(SceneView.all, SceneView.lgganViews + [.edge, .attention, .coarse])
        XCTAssertEqual(Set(SceneView.all.map(\.name)).count, SceneView.all.count, "names are unique")
        XCTAssertEqual(SceneView.lgganViews.map(\.key), ["1", "2", "3", "4", "5", "6", "7"])
        // ECGAN's own list: its keys and v follow it.
        let ecgan = SceneView.ecganViews
        XCTAssertEqual(ecgan.map(\.name), ["fused", "coarse", "edge", "attention", "class", "side-by-side"])
        XCTAssertEqual(ecgan.map { $0.key(in: ecgan) }, ["1", "2", "3", "4", "5", "6"])
        XCTAssertEqual(SceneView.forKey("3", in: ecgan), .edge)
        XCTAssertNil(SceneView.forKey("7", in: ecgan))
        XCTAssertEqual(SceneView.sideBySide.next(in: ecgan), .fused)
        XCTAssertEqual(SceneView.global.next(in: ecgan), .fused, "a view the model lacks moves to its first")
        XCTAssertEqual(SceneView.named("I'"), .coarse)
        XCTAssertEqual(SceneView.named("I''"), .fused)
        XCTAssertEqual(SceneView.forKey("5"), .localWeight)
        XCTAssertNil(SceneView.forKey("0"))
        XCTAssertEqual(SceneView.sideBySide.next, .fused)
        XCTAssertEqual(SceneView.named("weights"), .localWeight, "the old name of the local weight view")
        XCTAssertNil(SceneView.named("nope"))
        XCTAssertEqual(SceneView.all.filter(\.isClassView), [.classView])
    }

    func testAModelsOwnViewShowsItsExtraImage() {
        let edge = SceneView.image(named: "edge", title: "edge map")
        let fused = RGBImage(width: 2, height: 2, fill: RGBColor(1, 1, 1))
        let labels = LabelMap(width: 2, height: 2)
        let without = ViewComposer.compose(edge, views: GeneratedViews(fused: fused), labels: labels, palette: palette, inspectedClass: nil)
        XCTAssertFalse(without.isAvailable)
        XCTAssertEqual(without.caption, "this model has no edge map")
        let map = RGBImage(width: 2, height: 2, fill: RGBColor(9, 9, 9))
        let with = ViewComposer.compose(edge, views: GeneratedViews(fused: fused, extra: ["edge": map]), labels: labels,
                                        palette: palette, inspectedClass: nil)
        XCTAssertTrue(with.isAvailable)
        XCTAssertEqual(with.image, map)
    }

    func testWeightViewsAreHeatMaps() {
        let fused = RGBImage(width: 2, height: 1)
        let views = GeneratedViews(fused: fused, globalWeight: [0.25, 1], localWeight: [0.75, 0])
        let labels = LabelMap(width: 2, height: 1)
        let local = ViewComposer.compose(.localWeight, views: views, labels: labels, palette: palette, inspectedClass: nil)
        XCTAssertEqual(local.image[0, 0], HeatMap.color(0.75))
        XCTAssertEqual(local.image[1, 0], HeatMap.color(0))
        let global = ViewComposer.compose(.globalWeight, views: views, labels: labels, palette: palette, inspectedClass: nil)
        XCTAssertEqual(global.image[1, 0], HeatMap.color(1))
    }

    func testPaletteRuleIsIdsAndNamesNotColours() throws {
        let recoloured = try Palette(name: "other", classes: palette.classes.map { PaletteClass(id: $0.id, name: $0.name, color: RGBColor(UInt8($0.id), 0, 0)) })
        XCTAssertTrue(PaletteCompatibility.compatible(recoloured, palette))
        let renamed = try Palette(name: "test", classes: [palette.classes[0], PaletteClass(id: 1, name: "lava", color: RGBColor(40, 90, 200))])
        XCTAssertFalse(PaletteCompatibility.compatible(renamed, palette))
        let shorter = try Palette(name: "test", classes: [palette.classes[0]])
        XCTAssertFalse(PaletteCompatibility.compatible(shorter, palette))
        XCTAssertThrowsError(try PaletteCompatibility.check(renamed, of: "a.png", against: palette, of: "model m.safetensors")) { error in
            XCTAssertEqual("\(error)", "a.png uses palette 'test' (2 classes) but model m.safetensors was trained on palette 'test' (2 classes): class 1 'lava' here is 1 'water' there")
        }
        XCTAssertNoThrow(try PaletteCompatibility.check(recoloured, of: "a.png", against: palette, of: "model m"))
    }
}
