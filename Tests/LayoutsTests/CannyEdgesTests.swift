import Layouts
import XCTest

final class CannyEdgesTests: XCTestCase {
    /// A filled square on a flat background: its outline, one pixel wide, and nothing inside or far outside.
    func testSquareGivesItsOnePixelOutlineAndNothingInside() {
        let (size, lo, hi) = (48, 14, 34) // square covers lo..<hi in x and y
        var image = RGBImage(width: size, height: size, fill: RGBColor(20, 20, 20))
        for y in lo..<hi { for x in lo..<hi { image[x, y] = RGBColor(230, 230, 230) } }
        let edges = CannyEdges().detect(image)
        func edge(_ x: Int, _ y: Int) -> Bool { edges[y * size + x] != 0 }
        // Distance (in pixels) from the boundary between square and background.
        for y in 0..<size {
            for x in 0..<size where edge(x, y) {
                let inside = x >= lo && x < hi && y >= lo && y < hi
                let dx = inside ? Swift.min(x - lo, hi - 1 - x) : Swift.max(lo - 1 - x, x - hi, 0)
                let dy = inside ? Swift.min(y - lo, hi - 1 - y) : Swift.max(lo - 1 - y, y - hi, 0)
                let distance = inside ? Swift.min(dx, dy) : Swift.max(dx, dy)
                XCTAssertEqual(distance, 0, "edge at (\(x), \(y)) is \(distance) pixels from the square's outline")
            }
        }
        // Away from the corners, every row and column crossing a side has exactly one edge pixel at each side.
        for t in (lo + 3)..<(hi - 3) {
            let rowLeft = (lo - 3...lo + 2).filter { edge($0, t) }.count, rowRight = (hi - 3...hi + 2).filter { edge($0, t) }.count
            let colTop = (lo - 3...lo + 2).filter { edge(t, $0) }.count, colBottom = (hi - 3...hi + 2).filter { edge(t, $0) }.count
            XCTAssertEqual([rowLeft, rowRight, colTop, colBottom], [1, 1, 1, 1], "line \(t) crosses the outline once per side")
        }
        // Nothing inside the square.
        XCTAssertEqual((lo + 2..<hi - 2).flatMap { y in (lo + 2..<hi - 2).filter { edge($0, y) } }.count, 0)
    }

    func testFlatImageHasNoEdgesAndOutputMatchesSize() {
        let image = RGBImage(width: 17, height: 9, fill: RGBColor(100, 150, 200))
        let edges = CannyEdges().detect(image)
        XCTAssertEqual(edges.count, 17 * 9)
        XCTAssertTrue(edges.allSatisfy { $0 == 0 })
    }

    /// A diagonal step (45 degrees) is also found as a thin line.
    func testDiagonalStepIsOneLine() {
        let size = 40
        var image = RGBImage(width: size, height: size, fill: RGBColor(0, 0, 0))
        for y in 0..<size { for x in 0..<size where x > y { image[x, y] = RGBColor(255, 255, 255) } }
        let edges = CannyEdges().detect(image)
        for y in 5..<(size - 5) {
            let row = (0..<size).filter { edges[y * size + $0] != 0 }
            XCTAssertFalse(row.isEmpty, "row \(y) has an edge")
            XCTAssertTrue(row.allSatisfy { abs($0 - y) <= 1 }, "row \(y) edges \(row) lie on the diagonal")
            XCTAssertLessThanOrEqual(row.count, 2)
        }
    }
}
