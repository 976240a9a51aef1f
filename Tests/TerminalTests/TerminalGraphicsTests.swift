import Foundation
import Layouts
import Terminal
import XCTest

final class TerminalGraphicsTests: XCTestCase {
    func testDA1ReplyParsing() {
        XCTAssertEqual(TerminalCapabilities.parseDA1("\u{1B}[?63;1;2;4;6;9;15;22c").sixel, true)
        XCTAssertEqual(TerminalCapabilities.parseDA1("\u{1B}[?1;2c").sixel, false)       // tmux, plain xterm
        XCTAssertEqual(TerminalCapabilities.parseDA1("\u{1B}[?4;2c").sixel, false)       // 4 as the class is not the attribute
        XCTAssertEqual(TerminalCapabilities.parseDA1("\u{1B}[6;20;10t\u{1B}[?62;4c").sixel, true)
        XCTAssertFalse(TerminalCapabilities.parseDA1("").found)
        XCTAssertFalse(TerminalCapabilities.parseDA1("\u{1B}[?62;4").found, "unterminated reply")
        XCTAssertEqual(TerminalCapabilities.parseCellSize("\u{1B}[6;20;10t\u{1B}[?62;4c")?.width, 10)
        XCTAssertEqual(TerminalCapabilities.parseCellSize("\u{1B}[6;20;10t")?.height, 20)
        XCTAssertNil(TerminalCapabilities.parseCellSize("\u{1B}[?62;4c"))
    }

    func testModeChoiceFollowsCapabilities() {
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: true, truecolor: true)), .sixel)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: false, truecolor: true)), GraphicsMode.textCells)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: false, truecolor: false)), .ansi256)
        XCTAssertTrue(TerminalCapabilities.truecolorFromEnvironment(["COLORTERM": "truecolor"]))
        XCTAssertFalse(TerminalCapabilities.truecolorFromEnvironment(["TERM": "xterm"]))
    }

    func testHalfBlocksPairRowsAndPadOddHeight() {
        var image = RGBImage(width: 2, height: 3)
        image[0, 0] = RGBColor(255, 0, 0); image[1, 0] = RGBColor(255, 0, 0)
        image[0, 1] = RGBColor(0, 0, 255); image[1, 1] = RGBColor(0, 255, 0)
        image[0, 2] = RGBColor(9, 9, 9); image[1, 2] = RGBColor(9, 9, 9)
        let lines = HalfBlockRenderer(depth: .truecolor).lines(image)
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0], "\u{1B}[38;2;255;0;0m\u{1B}[48;2;0;0;255m\u{2580}\u{1B}[48;2;0;255;0m\u{2580}\u{1B}[0m")
        XCTAssertEqual(lines[1], "\u{1B}[38;2;9;9;9m\u{1B}[48;2;0;0;0m\u{2580}\u{2580}\u{1B}[0m")
    }

    func testXterm256Approximation() {
        XCTAssertEqual(ColorDepth.xterm256Index(RGBColor(0, 0, 0)), 16)
        XCTAssertEqual(ColorDepth.xterm256Index(RGBColor(255, 255, 255)), 231)
        XCTAssertEqual(ColorDepth.xterm256Index(RGBColor(255, 0, 0)), 196)
        XCTAssertEqual(ColorDepth.xterm256Index(RGBColor(128, 128, 128)), 244)
        // Every index maps back to a colour that maps to itself.
        for i in 16...255 {
            let c = ColorDepth.xterm256Color(i)
            let j = ColorDepth.xterm256Index(c)
            XCTAssertEqual(ColorDepth.xterm256Color(j), c, "index \(i)")
        }
    }

    func testImageFitKeepsAspectAndUsesWholeFactorsWhenEnlarging() {
        XCTAssertTrue(ImageFit.fit(width: 100, height: 50, into: 350, 1000) == (300, 150))
        XCTAssertTrue(ImageFit.fit(width: 400, height: 200, into: 200, 200) == (200, 100))
        XCTAssertTrue(ImageFit.fit(width: 10, height: 10, into: 5, 100) == (5, 5))
    }

    private func decodeSixel(_ bytes: [UInt8]) throws -> RGBImage {
        guard let tool = ["/usr/bin/sixel2png", "/usr/local/bin/sixel2png"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("sixel2png (libsixel-bin) is not installed; make test installs it")
        }
        let dir = NSTemporaryDirectory() + "sixel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/in.six"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-i", dir + "/in.six", "-o", dir + "/out.png"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return try RGBImage.read(path: dir + "/out.png")
    }

    func testLabelSixelDecodesToExactClassColours() throws {
        let classes = (0..<6).map { PaletteClass(id: $0, name: "c\($0)", color: RGBColor(UInt8(40 * $0), UInt8(200 - 30 * $0), UInt8(17 * $0))) }
        let palette = try Palette(name: "p", classes: classes)
        var labels = LabelMap(width: 23, height: 13)  // odd sizes: sixel bands are 6 rows
        for y in 0..<13 { for x in 0..<23 { labels[x, y] = UInt8((x / 4 + y / 3) % 6) } }
        let layout = Layout(labels: labels, palette: palette)
        let bytes = try TerminalImage(layout: layout).encoded(mode: .sixel)
        XCTAssertEqual(Array(bytes.prefix(2)), [0x1B, 0x50], "starts with DCS")
        let decoded = try decodeSixel(bytes)
        XCTAssertEqual(decoded.width, 23)
        XCTAssertEqual(decoded.height, 13)
        // Sixel colours are percentages (0-100), so a channel may move by up to
        // 255/200 levels; the class of every pixel must survive exactly.
        let expected = layout.colorized()
        XCTAssertLessThanOrEqual(maxChannelDifference(decoded, expected), 2)
        XCTAssertEqual(nearestClasses(decoded, palette), labels.ids, "every pixel decodes to its own class colour")
    }

    /// libsixel's decoder in-process (used by `bench cells`) agrees with sixel2png.
    func testSixelDecoderAgreesWithSixel2png() throws {
        var image = RGBImage(width: 37, height: 20)
        for y in 0..<20 { for x in 0..<37 { image[x, y] = RGBColor(UInt8(x * 7), UInt8(y * 12), UInt8((x * y) % 256)) } }
        let bytes = try TerminalImage(rgb: image).encoded(mode: .sixel)
        let inProcess = try SixelDecoder.decode(bytes)
        let tool = try decodeSixel(bytes)
        XCTAssertEqual(inProcess.width, tool.width)
        XCTAssertEqual(inProcess.height, tool.height)
        XCTAssertEqual(inProcess.pixels, tool.pixels)
    }

    func testPhotoSixelDecodesCloseToSource() throws {
        var image = RGBImage(width: 64, height: 40)
        for y in 0..<40 { for x in 0..<64 {
            image[x, y] = RGBColor(UInt8(x * 4), UInt8(y * 6), UInt8((x + y) * 2))
        } }
        let decoded = try decodeSixel(try TerminalImage(rgb: image).encoded(mode: .sixel))
        XCTAssertEqual(decoded.width, 64)
        XCTAssertEqual(decoded.height, 40)
        var total = 0.0
        for i in 0..<image.pixels.count { total += abs(Double(image.pixels[i]) - Double(decoded.pixels[i])) }
        let meanError = total / Double(image.pixels.count)
        // 256 colours with dithering: each pixel within a few levels on average.
        XCTAssertLessThan(meanError, 8, "mean absolute error \(meanError)")
    }

    private func maxChannelDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        precondition(a.pixels.count == b.pixels.count)
        var worst = 0
        for i in 0..<a.pixels.count { worst = max(worst, abs(Int(a.pixels[i]) - Int(b.pixels[i]))) }
        return worst
    }

    private func nearestClasses(_ image: RGBImage, _ palette: Palette) -> [UInt8] {
        (0..<(image.width * image.height)).map { i in
            let c = image[i % image.width, i / image.width]
            let best = palette.classes.min { a, b in
                func d(_ k: RGBColor) -> Int { let dr = Int(k.r) - Int(c.r), dg = Int(k.g) - Int(c.g), db = Int(k.b) - Int(c.b); return dr * dr + dg * dg + db * db }
                return d(a.color) < d(b.color)
            }!
            return UInt8(best.id)
        }
    }
}
