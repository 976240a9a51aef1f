import Foundation
import Landscapes
import Layouts
import XCTest

final class LandscapePaletteTests: XCTestCase {
    func testBundledPaletteFileMatchesTheBuiltInTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try Palette.load(path: root.appendingPathComponent("palettes/landscape.json").path)
        XCTAssertEqual(file, LandscapeClass.palette)
    }

    func testIdsAreContiguousAndColoursDistinct() {
        let palette = LandscapeClass.palette
        XCTAssertGreaterThanOrEqual(palette.count, 15)
        XCTAssertEqual(palette.classes.map(\.id), Array(0..<palette.count))
        XCTAssertEqual(Set(palette.classes.map(\.color.packed)).count, palette.count)
        for name in ["sky", "cloud", "mountain", "snow", "rock", "grass", "tree", "bush", "flower", "water", "sand",
                     "road", "house", "fence", "boat"] {
            XCTAssertNotNil(palette.class(named: name), name)
        }
    }

    func testColoursAreFarEnoughApartToPaint() {
        // The editor shows classes by colour: no two may be near-identical.
        let colors = LandscapeClass.allCases.map(\.color)
        for i in 0..<colors.count {
            for j in (i + 1)..<colors.count {
                let d = abs(Int(colors[i].r) - Int(colors[j].r)) + abs(Int(colors[i].g) - Int(colors[j].g))
                    + abs(Int(colors[i].b) - Int(colors[j].b))
                XCTAssertGreaterThan(d, 40, "\(LandscapeClass.allCases[i]) vs \(LandscapeClass.allCases[j])")
            }
        }
    }
}
