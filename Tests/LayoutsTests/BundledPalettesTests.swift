import Foundation
import XCTest
import Layouts

/// The standard-dataset palettes shipped in palettes/: they must load through
/// the normal validation and carry the tables documented in docs/palettes.md.
final class BundledPalettesTests: XCTestCase {
    /// palettes/ of this checkout (this file is Tests/LayoutsTests/<file>).
    private var palettesDirectory: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("palettes").path
    }

    private func load(_ name: String) throws -> Palette {
        try Palette.load(path: palettesDirectory + "/" + name + ".json")
    }

    private func assertClass(_ palette: Palette, _ id: Int, _ name: String, _ color: RGBColor,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let cls = palette.class(id: id) else {
            return XCTFail("\(palette.name) has no id \(id)", file: file, line: line)
        }
        XCTAssertEqual(cls.name, name, "\(palette.name) id \(id)", file: file, line: line)
        XCTAssertEqual(cls.color, color, "\(palette.name) id \(id) \(name)", file: file, line: line)
    }

    func testEveryBundledPaletteFileLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: palettesDirectory)
            .filter { $0.hasSuffix(".json") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let palette = try Palette.load(path: palettesDirectory + "/" + file)
            XCTAssertEqual(palette.name + ".json", file, "a palette's name matches its file name")
        }
        let library = try PaletteLibrary(directory: palettesDirectory)
        for name in ["cityscapes", "ade20k", "coco-stuff"] {
            XCTAssertNoThrow(try library.named(name))
        }
    }

    func testCityscapesHasTheOfficialLabelIDs() throws {
        let palette = try load("cityscapes")
        XCTAssertEqual(palette.count, 34)
        XCTAssertEqual(palette.classes.map(\.id), Array(0...33))
        XCTAssertNil(palette.ignoreID)
        assertClass(palette, 0, "unlabeled", RGBColor(0, 0, 0))
        assertClass(palette, 5, "dynamic", RGBColor(111, 74, 0))
        assertClass(palette, 7, "road", RGBColor(128, 64, 128))
        assertClass(palette, 17, "pole", RGBColor(153, 153, 153))
        assertClass(palette, 23, "sky", RGBColor(70, 130, 180))
        assertClass(palette, 24, "person", RGBColor(220, 20, 60))
        assertClass(palette, 26, "car", RGBColor(0, 0, 142))
        assertClass(palette, 33, "bicycle", RGBColor(119, 11, 32))
        // Officially black / pole grey; made distinct (see docs/palettes.md).
        assertClass(palette, 1, "ego vehicle", RGBColor(12, 12, 12))
        assertClass(palette, 4, "static", RGBColor(48, 48, 48))
        assertClass(palette, 18, "polegroup", RGBColor(163, 163, 163))
    }

    func testADE20KHasOtherPlusTheSceneParsingClasses() throws {
        let palette = try load("ade20k")
        XCTAssertEqual(palette.count, 151)
        XCTAssertEqual(palette.classes.map(\.id), Array(0...150))
        XCTAssertEqual(palette.ignoreID, 0)
        assertClass(palette, 0, "other", RGBColor(0, 0, 0))
        assertClass(palette, 1, "wall", RGBColor(120, 120, 120))
        assertClass(palette, 2, "building", RGBColor(180, 120, 120))
        assertClass(palette, 3, "sky", RGBColor(6, 230, 230))
        assertClass(palette, 7, "road", RGBColor(140, 140, 140))
        assertClass(palette, 13, "person", RGBColor(150, 5, 61))
        assertClass(palette, 21, "car", RGBColor(0, 102, 200))
        assertClass(palette, 150, "flag", RGBColor(92, 0, 255))
        // Officially (140,140,140) like road; made distinct (see docs/palettes.md).
        assertClass(palette, 49, "skyscraper", RGBColor(150, 150, 150))
    }

    func testCOCOStuffHasTheStuffThingMapIDs() throws {
        let palette = try load("coco-stuff")
        XCTAssertEqual(palette.count, 183)
        XCTAssertEqual(palette.classes.map(\.id), Array(0...181) + [255])
        XCTAssertEqual(palette.ignoreID, 255)
        assertClass(palette, 255, "unlabeled", RGBColor(0, 0, 0))
        assertClass(palette, 0, "person", RGBColor(128, 0, 0))
        assertClass(palette, 1, "bicycle", RGBColor(0, 128, 0))
        assertClass(palette, 11, "street sign", RGBColor(64, 0, 128))
        assertClass(palette, 90, "hair brush", RGBColor(224, 192, 0))
        assertClass(palette, 91, "banner", RGBColor(96, 64, 128))
        assertClass(palette, 181, "wood", RGBColor(0, 224, 192))
        // SPADE's hand-picked natural colours.
        assertClass(palette, 105, "clouds", RGBColor(170, 170, 170))
        assertClass(palette, 123, "grass", RGBColor(29, 195, 49))
        assertClass(palette, 154, "sea", RGBColor(54, 62, 167))
        assertClass(palette, 156, "sky-other", RGBColor(95, 219, 255))
        assertClass(palette, 168, "tree", RGBColor(140, 104, 47))
    }
}
