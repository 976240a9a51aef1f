import Foundation
import Layouts
import XCTest

final class LayoutFileTests: XCTestCase {
    private func sampleLayout(_ palette: Palette) -> Layout {
        var labels = LabelMap(width: 9, height: 6)
        for y in 0..<6 { for x in 0..<9 { labels[x, y] = UInt8((x * 3 + y * 5) % palette.count) } }
        return Layout(labels: labels, palette: palette)
    }

    func testThreeEncodingsRoundTripExactly() throws {
        let palette = testPalette()
        let library = PaletteLibrary(palettes: [palette, testPalette(count: 3, name: "other")])
        let layout = sampleLayout(palette)
        let dir = temporaryDirectory()
        for encoding in LayoutEncoding.allCases {
            let path = dir + "/l-\(encoding.rawValue).png"
            try LayoutFile.write(layout, to: path, as: encoding)
            let explicit = encoding == .ids ? palette : nil
            let back = try LayoutFile.read(path: path, palette: explicit, library: library)
            XCTAssertEqual(back, layout, "\(encoding)")
        }
    }

    func testIndexedFileShowsClassColoursToOtherPrograms() throws {
        let palette = testPalette()
        let layout = sampleLayout(palette)
        let dir = temporaryDirectory()
        try LayoutFile.write(layout, to: dir + "/l.png")
        // Read as a plain image: a person sees the class colours.
        XCTAssertEqual(try RGBImage.read(path: dir + "/l.png"), layout.colorized())
        // The palette is found from the tEXt chunk, even with other palettes around.
        let back = try LayoutFile.read(path: dir + "/l.png", library: PaletteLibrary(palettes: [testPalette(count: 3, name: "a"), palette]))
        XCTAssertEqual(back.palette.name, "test")
    }

    func testSixteenBitLabelIDs() throws {
        let palette = testPalette()
        var samples: [UInt16] = (0..<12).map { UInt16($0 % 5) }
        let dir = temporaryDirectory()
        let data = try samples.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: 4, height: 3, format: .grey16) }
        try data.write(to: URL(fileURLWithPath: dir + "/ids16.png"))
        let layout = try LayoutFile.read(path: dir + "/ids16.png", palette: palette)
        XCTAssertEqual(layout.labels.ids, samples.map { UInt8($0) })
        samples[7] = 300
        let bad = try samples.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: 4, height: 3, format: .grey16) }
        try bad.write(to: URL(fileURLWithPath: dir + "/bad16.png"))
        XCTAssertThrowsError(try LayoutFile.read(path: dir + "/bad16.png", palette: palette)) {
            XCTAssertEqual("\($0)", "\(dir)/bad16.png: pixel (3, 1) has class id 300, which palette test does not have")
        }
    }

    func testGreyscaleWithoutPaletteAsksForOne() throws {
        let dir = temporaryDirectory()
        try LayoutFile.write(sampleLayout(testPalette()), to: dir + "/ids.png", as: .ids)
        XCTAssertThrowsError(try LayoutFile.read(path: dir + "/ids.png", library: PaletteLibrary(palettes: [testPalette()]))) {
            XCTAssertTrue("\($0)".contains("--palette"), "\($0)")
        }
    }

    func testUnknownClassIDIsRejectedWithPixel() throws {
        let dir = temporaryDirectory()
        let big = testPalette(count: 8, name: "big")
        var layout = Layout(labels: sampleLayout(testPalette()).labels, palette: big)
        layout.labels[2, 4] = 7
        try LayoutFile.write(layout, to: dir + "/l.png")
        XCTAssertThrowsError(try LayoutFile.read(path: dir + "/l.png", palette: testPalette())) {
            XCTAssertEqual("\($0)", "\(dir)/l.png: pixel (2, 4) has class id 7, which palette test does not have")
        }
    }

    func testUnmatchedColourNamesFirstPixelAndColour() throws {
        let palette = testPalette()
        var image = sampleLayout(palette).colorized()
        image[4, 2] = RGBColor(1, 2, 3)
        image[8, 5] = RGBColor(9, 9, 9)
        let dir = temporaryDirectory()
        try image.write(path: dir + "/c.png")
        XCTAssertThrowsError(try LayoutFile.read(path: dir + "/c.png", palette: palette)) {
            XCTAssertEqual("\($0)", "\(dir)/c.png: pixel (4, 2) has colour (1, 2, 3), which is no class of palette test")
        }
    }

    /// GIMP and ImageMagick save a few-colour picture as a palette PNG whose
    /// indices are in their own order: it is read by its colours, like the
    /// same picture saved as RGB, not refused or read as wrong class ids.
    func testPalettePNGFromAnImageEditorIsReadByItsColours() throws {
        let palette = testPalette()
        let layout = sampleLayout(palette)
        let editorOrder = (0..<palette.count).reversed().map { palette.classes[$0].color }  // index i = class count-1-i
        let indices = layout.labels.ids.map { UInt8(palette.count - 1 - Int($0)) }
        let png = try indices.withUnsafeBytes {
            try PNGCodec.encode(pixels: $0, width: layout.width, height: layout.height, format: .indexed(palette: editorOrder, name: nil))
        }
        let dir = temporaryDirectory()
        try png.write(to: URL(fileURLWithPath: dir + "/gimp.png"))
        let library = PaletteLibrary(palettes: [palette, testPalette(count: 3, name: "other")])
        XCTAssertEqual(try LayoutFile.read(path: dir + "/gimp.png", library: library), layout, "palette found from the colours")
        XCTAssertEqual(try LayoutFile.read(path: dir + "/gimp.png", palette: palette), layout, "with --palette too")
    }

    func testAJPEGGivenAsALayoutIsNamedAsJPEG() throws {
        let palette = testPalette()
        let dir = temporaryDirectory()
        try JPEGCodec.encode(sampleLayout(palette).colorized()).write(to: URL(fileURLWithPath: dir + "/layout.png"))
        XCTAssertThrowsError(try LayoutFile.read(path: dir + "/layout.png", library: PaletteLibrary(palettes: [palette]))) {
            XCTAssertEqual("\($0)", "\(dir)/layout.png: is a JPEG image, not a layout PNG: JPEG compression blurs class colours, save the layout as PNG")
        }
    }

    func testLabelMapResizeIsNearestNeighbour() {
        var labels = LabelMap(width: 2, height: 2)
        labels.ids = [0, 1, 2, 3]
        let big = labels.resized(width: 4, height: 4)
        XCTAssertEqual(big.ids, [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3])
        XCTAssertEqual(big.resized(width: 2, height: 2), labels)
    }
}
