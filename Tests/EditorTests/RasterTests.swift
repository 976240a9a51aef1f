import Editor
import XCTest

final class RasterTests: XCTestCase {
    func testBrushFootprintsHaveExactShapes() {
        XCTAssertEqual(BrushFootprint(size: 1).offsets, [PixelPoint(0, 0)])
        XCTAssertEqual(Set(BrushFootprint(size: 2).offsets), [PixelPoint(-1, -1), PixelPoint(0, -1), PixelPoint(-1, 0), PixelPoint(0, 0)])
        XCTAssertEqual(BrushFootprint(size: 3).offsets.count, 9)
        XCTAssertEqual(Fixture.grid(BrushFootprint(size: 4).offsets, 4, 4, dx: 2, dy: 2),
                       [".##.", "####", "####", ".##."])
        XCTAssertEqual(Fixture.grid(BrushFootprint(size: 5).offsets, 5, 5, dx: 2, dy: 2),
                       [".###.", "#####", "#####", "#####", ".###."])
        XCTAssertEqual(Fixture.grid(BrushFootprint(size: 7).offsets, 7, 7, dx: 3, dy: 3),
                       ["..###..", ".#####.", "#######", "#######", "#######", ".#####.", "..###.."])
    }

    func testBrushSizeIsClampedTo1Through32() {
        XCTAssertEqual(BrushFootprint(size: 0).size, 1)
        XCTAssertEqual(BrushFootprint(size: 99).size, 32)
        // A 32 disc is symmetric and fits its 32x32 box.
        let offsets = BrushFootprint(size: 32).offsets
        XCTAssertEqual(offsets.map(\.x).min(), -16)
        XCTAssertEqual(offsets.map(\.x).max(), 15)
        XCTAssertLessThan(offsets.count, 32 * 32)
        XCTAssertGreaterThan(offsets.count, Int(Double.pi * 15 * 15))
    }

    func testLineIsGaplessBresenham() {
        XCTAssertEqual(LineRaster.pixels(from: PixelPoint(0, 0), to: PixelPoint(4, 2)),
                       [PixelPoint(0, 0), PixelPoint(1, 1), PixelPoint(2, 1), PixelPoint(3, 2), PixelPoint(4, 2)])
        XCTAssertEqual(LineRaster.pixels(from: PixelPoint(2, 3), to: PixelPoint(2, 0)),
                       [PixelPoint(2, 3), PixelPoint(2, 2), PixelPoint(2, 1), PixelPoint(2, 0)])
        XCTAssertEqual(LineRaster.pixels(from: PixelPoint(1, 1), to: PixelPoint(1, 1)), [PixelPoint(1, 1)])
        let steep = LineRaster.pixels(from: PixelPoint(5, 0), to: PixelPoint(0, 9))
        XCTAssertEqual(steep.count, 10)
        for (a, b) in zip(steep, steep.dropFirst()) {
            XCTAssertLessThanOrEqual(max(abs(a.x - b.x), abs(a.y - b.y)), 1)
        }
    }

    func testRectangles() {
        XCTAssertEqual(Fixture.grid(ShapeRaster.rectangleOutline(PixelPoint(4, 3), PixelPoint(1, 0)), 6, 4),
                       [".####.", ".#..#.", ".#..#.", ".####."])
        XCTAssertEqual(ShapeRaster.rectangleOutline(PixelPoint(1, 0), PixelPoint(4, 3)).count, 12)
        XCTAssertEqual(ShapeRaster.rectangleOutline(PixelPoint(2, 0), PixelPoint(2, 3)).count, 4)
        XCTAssertEqual(Fixture.grid(ShapeRaster.filledRectangle(PixelPoint(1, 1), PixelPoint(3, 2)), 5, 4),
                       [".....", ".###.", ".###.", "....."])
    }

    func testEllipses() {
        XCTAssertEqual(Fixture.grid(ShapeRaster.filledEllipse(PixelPoint(0, 0), PixelPoint(6, 4)), 7, 5),
                       [".#####.", "#######", "#######", "#######", ".#####."])
        XCTAssertEqual(Fixture.grid(ShapeRaster.ellipseOutline(PixelPoint(0, 0), PixelPoint(6, 4)), 7, 5),
                       [".#####.", "#.....#", "#.....#", "#.....#", ".#####."])
        XCTAssertEqual(ShapeRaster.filledEllipse(PixelPoint(3, 3), PixelPoint(3, 3)), [PixelPoint(3, 3)])
    }

    func testFloodFillConnectivityOnDiagonals() {
        let layout = Fixture.layout([
            "1000",
            "0100",
            "0010",
            "0001",
        ])
        XCTAssertEqual(FloodFill.region(in: layout.labels, from: PixelPoint(0, 0), connectivity: .four).count, 1)
        XCTAssertEqual(Set(FloodFill.region(in: layout.labels, from: PixelPoint(0, 0), connectivity: .eight)), [0, 5, 10, 15])
        // The 0s are split by the diagonal for 4-connectivity, joined for 8.
        XCTAssertEqual(FloodFill.region(in: layout.labels, from: PixelPoint(1, 0), connectivity: .four).count, 6)
        XCTAssertEqual(FloodFill.region(in: layout.labels, from: PixelPoint(1, 0), connectivity: .eight).count, 12)
        XCTAssertEqual(FloodFill.region(in: layout.labels, from: PixelPoint(9, 9), connectivity: .four), [])
    }

    func testFloodFillFollowsASpiralAndSkipsAnEnclosedHole() {
        let layout = Fixture.layout([
            "2222222",
            "0000002",
            "2222202",
            "2000202",
            "2020202",
            "2022202",
            "2000002",
        ])
        let region = Set(FloodFill.region(in: layout.labels, from: PixelPoint(0, 1), connectivity: .four))
        let zeros = Set(layout.labels.ids.indices.filter { layout.labels.ids[$0] == 0 })
        XCTAssertEqual(region, zeros, "the spiral corridor is one 4-connected region")
        let ring = Fixture.layout([
            "11111",
            "10001",
            "10201",
            "10001",
            "11111",
        ])
        let inner = FloodFill.region(in: ring.labels, from: PixelPoint(1, 1), connectivity: .eight)
        XCTAssertEqual(inner.count, 8)
        XCTAssertFalse(inner.contains(12), "the enclosed 2 is not part of the 0 region")
        XCTAssertEqual(FloodFill.region(in: ring.labels, from: PixelPoint(0, 0), connectivity: .four).count, 16)
    }
}
