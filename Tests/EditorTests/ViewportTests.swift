import Editor
import XCTest

final class ViewportTests: XCTestCase {
    func testDotToPixelAtEachZoom() {
        XCTAssertEqual(Viewport(zoom: 0).pixel(atDotX: 5, dotY: 7), PixelPoint(5, 7))
        XCTAssertEqual(Viewport(zoom: 2).pixel(atDotX: 5, dotY: 7), PixelPoint(1, 1))
        XCTAssertEqual(Viewport(zoom: -1, originX: 10, originY: 0).pixel(atDotX: 5, dotY: 7), PixelPoint(20, 14))
        let v = Viewport(zoom: 1, originX: 3, originY: 4)
        XCTAssertEqual(v.pixel(atDotX: -1, dotY: 0), PixelPoint(2, 4))
        XCTAssertTrue(v.dot(ofPixel: PixelPoint(5, 6)) == (4, 4))
        XCTAssertEqual(Viewport(zoom: 1).zoomLabel, "2x")
        XCTAssertEqual(Viewport(zoom: -2).zoomLabel, "1/4x")
    }

    func testFittingPicksTheLargestZoomThatShowsEverything() {
        XCTAssertEqual(Viewport.fitting(layoutWidth: 64, layoutHeight: 32, dotsWide: 130, dotsHigh: 70).zoom, 1)
        XCTAssertEqual(Viewport.fitting(layoutWidth: 256, layoutHeight: 128, dotsWide: 80, dotsHigh: 40).zoom, -2)
        XCTAssertEqual(Viewport.fitting(layoutWidth: 100, layoutHeight: 100, dotsWide: 100, dotsHigh: 100).zoom, 0)
    }

    func testZoomKeepsTheAnchorAndClampStopsAtTheEdges() {
        var v = Viewport(zoom: 0)
        let anchor = PixelPoint(40, 20)
        let before = v.dot(ofPixel: anchor)
        v.setZoom(2, keeping: anchor)
        let after = v.dot(ofPixel: anchor)
        XCTAssertEqual(before.x, after.x)
        XCTAssertEqual(before.y, after.y)
        v.originX = -30
        v.originY = 1000
        v.clamp(layoutWidth: 100, layoutHeight: 100, dotsWide: 80, dotsHigh: 80)
        XCTAssertEqual(v.originX, 0)
        XCTAssertEqual(v.originY, 80)
        v.reveal(PixelPoint(0, 0), dotsWide: 80, dotsHigh: 80)
        XCTAssertEqual(v.originY, 0)
    }
}
