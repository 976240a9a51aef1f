import Editor
import XCTest

final class ViewportTests: XCTestCase {
    func zoom(_ n: Int, _ d: Int) -> Int { Viewport.zoom(of: (n, d))! }

    func testDotToPixelAtEachZoom() {
        XCTAssertEqual(Viewport().pixel(atDotX: 5, dotY: 7), PixelPoint(5, 7))
        XCTAssertEqual(Viewport(zoom: zoom(4, 1)).pixel(atDotX: 5, dotY: 7), PixelPoint(1, 1))
        XCTAssertEqual(Viewport(zoom: zoom(1, 2), originX: 10, originY: 0).pixel(atDotX: 5, dotY: 7), PixelPoint(20, 14))
        XCTAssertEqual(Viewport(zoom: zoom(2, 3)).pixel(atDotX: 2, dotY: 3), PixelPoint(3, 4))
        XCTAssertEqual(Viewport(zoom: zoom(3, 2)).pixel(atDotX: 2, dotY: 3), PixelPoint(1, 2))
        let v = Viewport(zoom: zoom(2, 1), originX: 3, originY: 4)
        XCTAssertEqual(v.pixel(atDotX: -1, dotY: 0), PixelPoint(2, 4))
        XCTAssertTrue(v.dot(ofPixel: PixelPoint(5, 6)) == (4, 4))
        XCTAssertEqual(Viewport(zoom: zoom(2, 1)).zoomLabel, "2x")
        XCTAssertEqual(Viewport(zoom: zoom(1, 4)).zoomLabel, "1/4x")
        XCTAssertEqual(Viewport(zoom: zoom(2, 3)).zoomLabel, "2/3x")
    }

    func testEveryDotOfAPixelMapsBackToIt() {
        for z in 0..<Viewport.scales.count {
            let v = Viewport(zoom: z, originX: 7, originY: 3)
            for x in 7..<40 {
                let d = v.dot(ofPixel: PixelPoint(x, 3))
                // The first dot of a pixel shows that pixel (when the pixel gets a dot at all).
                let back = v.pixel(atDotX: d.x, dotY: d.y)
                if Viewport.scales[z].0 >= Viewport.scales[z].1 {
                    XCTAssertEqual(back, PixelPoint(x, 3), "zoom \(v.zoomLabel) pixel \(x)")
                } else {
                    XCTAssertGreaterThanOrEqual(back.x, x)
                }
            }
        }
    }

    func testFittingPicksTheLargestZoomThatShowsEverything() {
        XCTAssertEqual(Viewport.fitting(layoutWidth: 64, layoutHeight: 32, dotsWide: 130, dotsHigh: 70).zoomLabel, "2x")
        XCTAssertEqual(Viewport.fitting(layoutWidth: 256, layoutHeight: 128, dotsWide: 80, dotsHigh: 40).zoomLabel, "1/4x")
        XCTAssertEqual(Viewport.fitting(layoutWidth: 256, layoutHeight: 256, dotsWide: 90, dotsHigh: 90).zoomLabel, "1/3x")
        XCTAssertEqual(Viewport.fitting(layoutWidth: 100, layoutHeight: 100, dotsWide: 100, dotsHigh: 100).zoomLabel, "1x")
    }

    func testZoomKeepsTheAnchorAndClampStopsAtTheEdges() {
        var v = Viewport()
        let anchor = PixelPoint(40, 20)
        let before = v.dot(ofPixel: anchor)
        v.setZoom(zoom(4, 1), keeping: anchor)
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
