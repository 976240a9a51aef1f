import Editor
import Generation
import Layouts
import XCTest

final class ViewTests: XCTestCase {
    let layout = Fixture.layout(["0011", "0011", "2222"])

    func views() throws -> GeneratedViews {
        try StubGenerator().generate(layout.labels, seed: 1, shouldCancel: { false })
    }

    func testEachViewShowsItsOwnImage() throws {
        let v = try views()
        func compose(_ view: SceneView, _ cls: Int? = nil) -> ComposedView {
            ViewComposer.compose(view, views: v, labels: layout.labels, palette: layout.palette, inspectedClass: cls)
        }
        XCTAssertEqual(compose(.fused).image[0, 0], RGBColor(1, 1, 1))
        XCTAssertEqual(compose(.global).image[0, 0], RGBColor(2, 2, 2))
        XCTAssertEqual(compose(.local).image[0, 0], RGBColor(3, 3, 3))
        XCTAssertEqual(compose(.globalWeight).image[0, 0], HeatMap.color(0.25))
        XCTAssertEqual(compose(.localWeight).image[0, 0], HeatMap.color(0.75))
        XCTAssertEqual(compose(.localWeight).caption, "mean 0.75")
        let side = compose(.sideBySide).image
        XCTAssertEqual(side.width, 8)
        XCTAssertEqual(side[2, 0], RGBColor(20, 60, 200), "left half is the layout in class colours")
        XCTAssertEqual(side[4, 0], RGBColor(1, 1, 1), "right half is the fused image")
        let images = SceneView.lgganViews.filter { $0 != .classView && $0 != .sideBySide }.map { compose($0).image }
        XCTAssertEqual(Set(images.map { $0.pixels }).count, images.count, "views differ")
    }

    func testClassViewShowsOutputMaskAndWeightInsideTheClass() throws {
        let composed = ViewComposer.compose(.classView, views: try views(), labels: layout.labels,
                                            palette: layout.palette, inspectedClass: 1)
        XCTAssertTrue(composed.isAvailable)
        XCTAssertEqual(composed.image.width, 12)
        XCTAssertEqual(composed.image[2, 0], RGBColor(50, 9, 9), "class output inside its mask")
        XCTAssertEqual(composed.image[0, 0], RGBColor(15, 2, 2), "dimmed to 30% outside")
        XCTAssertEqual(composed.image[4 + 2, 0], RGBColor(255, 255, 255), "mask panel: white inside")
        XCTAssertEqual(composed.image[4 + 0, 0], RGBColor(0, 0, 0), "mask panel: black outside")
        XCTAssertEqual(composed.image[8 + 3, 1], HeatMap.color(0.75), "weight panel inside the mask")
        XCTAssertEqual(composed.image[8 + 0, 2], RGBColor(0, 0, 0), "weight panel outside is black")
        XCTAssertEqual(composed.caption, "water: 33.33% of pixels, local weight 0.75 (global 0.25)")
        let absent = ViewComposer.compose(.classView, views: try views(), labels: layout.labels,
                                          palette: layout.palette, inspectedClass: 3)
        XCTAssertFalse(absent.isAvailable)
        XCTAssertEqual(absent.caption, "class house: not in the layout")
    }

    func testViewsAModelLacksAreMarkedUnavailable() {
        let bare = GeneratedViews(fused: RGBImage(width: 4, height: 3))
        let composed = ViewComposer.compose(.global, views: bare, labels: layout.labels, palette: layout.palette, inspectedClass: nil)
        XCTAssertFalse(composed.isAvailable)
        XCTAssertEqual(composed.caption, "this model has no global output")
    }

    func testClassTableListsSharesAndMeanLocalWeight() {
        var weights = [Float](repeating: 0.5, count: 12)
        weights[2] = 1; weights[3] = 1
        let rows = ClassTable.rows(labels: layout.labels, palette: layout.palette, localWeight: weights)
        XCTAssertEqual(rows.map(\.name), ["sky", "water", "grass"], "equal shares: by id")
        XCTAssertEqual(rows[0].pixelShare, 4.0 / 12, accuracy: 1e-9)
        XCTAssertEqual(rows[1].meanLocalWeight!, 0.75, accuracy: 1e-9)
        XCTAssertEqual(rows[2].meanLocalWeight!, 0.5, accuracy: 1e-9)
        let uneven = ClassTable.rows(labels: Fixture.layout(["0111"]).labels, palette: Fixture.palette, localWeight: nil)
        XCTAssertEqual(uneven.map(\.name), ["water", "sky"], "largest share first")
        XCTAssertNil(ClassTable.rows(labels: layout.labels, palette: layout.palette, localWeight: nil)[0].meanLocalWeight)
    }

    func testHeatMapEndsAndMonotoneBrightness() {
        XCTAssertEqual(HeatMap.color(0), RGBColor(0, 0, 4))
        XCTAssertEqual(HeatMap.color(1), RGBColor(252, 255, 164))
        XCTAssertEqual(HeatMap.color(-3), HeatMap.color(0))
        XCTAssertEqual(HeatMap.color(.nan), HeatMap.color(0))
        var last = -1
        for i in 0...20 {
            let c = HeatMap.color(Float(i) / 20)
            let brightness = Int(c.r) + Int(c.g) + Int(c.b)
            XCTAssertGreaterThan(brightness, last)
            last = brightness
        }
    }

    func testStandInGeneratorFillsEveryViewAndFollowsTheSeed() throws {
        let big = Fixture.layout(["00001111", "00001111", "22223333", "22223333"])
        let generator = ShadedLayoutGenerator(palette: Fixture.palette)
        let a = try generator.generate(big.labels, seed: 1, shouldCancel: { false })
        XCTAssertNotNil(a.global); XCTAssertNotNil(a.local); XCTAssertNotNil(a.localWeight)
        XCTAssertEqual(Set(a.classOutputs.keys), [0, 1, 2, 3])
        XCTAssertEqual(a.fused.width, 8)
        let b = try generator.generate(big.labels, seed: 2, shouldCancel: { false })
        XCTAssertNotEqual(a.local!.pixels, b.local!.pixels)
        XCTAssertThrowsError(try generator.generate(big.labels, seed: 1, shouldCancel: { true })) {
            XCTAssertTrue($0 is GenerationCancelled)
        }
    }
}
