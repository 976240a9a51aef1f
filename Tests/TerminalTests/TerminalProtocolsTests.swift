import Editor
import Foundation
import Layouts
import Terminal
import XCTest

/// Kitty and iTerm2 streams decoded back to pixels, the canvas image's exact
/// colours, text cells decoded back, the 8-colour class cells, and the
/// terminal's answers that choose a mode.
final class TerminalProtocolsTests: XCTestCase {
    private func gradient(_ width: Int, _ height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height { for x in 0..<width {
            image[x, y] = RGBColor(UInt8((x * 255) / max(1, width - 1)), UInt8((y * 37 + x * 11) % 256), UInt8((x ^ y) & 255))
        } }
        return image
    }

    private func decodePNG(_ data: Data) throws -> RGBImage {
        let decoded = try PNGCodec.decode(data, mode: .rgb8)
        return RGBImage(width: decoded.width, height: decoded.height, pixels: decoded.rgb)
    }

    func testKittyRawStreamDecodesToTheSourceInChunksOfAtMost4096() throws {
        let image = gradient(97, 61)  // 17,751 bytes: several chunks, the last one short
        let bytes = KittyGraphics.place(.rgb(image), id: 7)
        // Every APC payload is at most 4096 base64 bytes.
        var chunks = 0
        var i = 0
        while let start = (i..<bytes.count).first(where: { bytes[$0] == 0x1B && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x5F }) {
            let end = (start..<bytes.count - 1).first { bytes[$0] == 0x1B && bytes[$0 + 1] == 0x5C }!
            let semicolon = bytes[start..<end].firstIndex(of: 0x3B)!
            XCTAssertLessThanOrEqual(end - semicolon - 1, KittyGraphics.chunkSize)
            chunks += 1
            i = end + 2
        }
        XCTAssertEqual(chunks, Int((Double(image.pixels.count * 4 / 3) / 4096).rounded(.up)))
        let sent = KittyGraphics.transmissions(in: bytes)
        XCTAssertEqual(sent.count, 1)
        let keys = sent[0].keys
        XCTAssertEqual(keys["a"], "T")
        XCTAssertEqual(keys["f"], "24")
        XCTAssertEqual(keys["i"], "7")
        XCTAssertEqual(keys["q"], "2", "replies silenced")
        XCTAssertEqual(keys["C"], "1", "the cursor does not move (no scrolling)")
        XCTAssertEqual(keys["s"], "97")
        XCTAssertEqual(keys["v"], "61")
        XCTAssertEqual([UInt8](sent[0].data), image.pixels, "the pixels arrive exactly")
    }

    func testKittyAndITermLayoutsArriveAsExactIndexedPNGs() throws {
        let table = [RGBColor(135, 206, 235), RGBColor(34, 139, 34), RGBColor(30, 144, 255), RGBColor(139, 69, 19)]
        let (w, h) = (45, 30)
        let ids = (0..<(w * h)).map { UInt8(($0 % w / 7 + $0 / w / 5) % 4) }
        let image = TerminalImage(indices: ids, width: w, height: h, table: table)
        let kitty = KittyGraphics.transmissions(in: try image.encoded(mode: .kitty, imageID: 2))
        XCTAssertEqual(kitty.count, 1)
        XCTAssertEqual(kitty[0].keys["f"], "100")
        XCTAssertEqual(kitty[0].keys["i"], "2")
        let fromKitty = try decodePNG(kitty[0].data)
        XCTAssertEqual(fromKitty.pixels, image.rgb.pixels)
        let iterm = try image.encoded(mode: .iterm)
        XCTAssertEqual(Array(iterm.prefix(8)), Array("\u{1B}]1337;F".utf8))
        XCTAssertEqual(iterm.last, 0x07)
        let fromITerm = try decodePNG(try XCTUnwrap(ITermImage.png(in: iterm)))
        XCTAssertEqual(fromITerm.pixels, image.rgb.pixels)
    }

    func testITermPhotoDecodesToTheSource() throws {
        let image = gradient(64, 33)
        let decoded = try decodePNG(try XCTUnwrap(ITermImage.png(in: try ITermImage.encode(image))))
        XCTAssertEqual(decoded.width, 64)
        XCTAssertEqual(decoded.pixels, image.pixels)
    }

    /// The canvas image shows every layout pixel in its exact class colour
    /// at every zoom; only the brush outline differs, and only near the cursor.
    func testCanvasImageHasExactClassColoursAtEachZoom() throws {
        let classes = (0..<5).map { PaletteClass(id: $0 * 3, name: "c\($0)", color: RGBColor(UInt8(50 * $0), UInt8(250 - 45 * $0), UInt8(31 * $0 + 7))) }
        let palette = try Palette(name: "p", classes: classes)
        var labels = LabelMap(width: 40, height: 24)
        for y in 0..<24 { for x in 0..<40 { labels[x, y] = UInt8(((x / 3 + y / 2) % 5) * 3) } }
        var state = EditorState(layout: Layout(labels: labels, palette: palette))
        state.setCursor(PixelPoint(20, 12))
        let renderer = EditorCanvasRenderer(mode: .kitty, depth: .truecolor, cellWidth: 8, cellHeight: 16)
        let rect = EditorScreenLayout.Rect(x: 0, y: 1, width: 30, height: 12)
        for scale in [(1, 2), (1, 1), (2, 1), (3, 1), (4, 1), (8, 1)] {
            state.viewport = Viewport(zoom: Viewport.zoom(of: scale)!)
            guard case .image(let indices, let width, let height, let table) = renderer.canvasFrame(state, rect: rect) else {
                return XCTFail("an image mode draws the canvas as an image")
            }
            XCTAssertEqual(width, 240)
            XCTAssertEqual(height, 192)
            let cursor = state.viewport.dot(ofPixel: state.cursor)
            let margin = 3 * scale.0 / scale.1 + 3
            var checked = 0
            for dy in 0..<height {
                for dx in 0..<width {
                    let p = state.viewport.pixel(atDotX: dx, dotY: dy)
                    let colour = table[Int(indices[dy * width + dx])]
                    guard labels.contains(x: p.x, y: p.y) else {
                        XCTAssertEqual(colour, EditorCanvasRenderer.outsideColor)
                        continue
                    }
                    if abs(dx - cursor.x) <= margin && abs(dy - cursor.y) <= margin { continue }
                    XCTAssertEqual(colour, palette.color(id: Int(labels[p.x, p.y])), "zoom \(scale) dot (\(dx), \(dy))")
                    checked += 1
                }
            }
            // 1/2x shows the 40x24 layout on 20x12 dots; larger zooms fill the 240x192 dots.
            XCTAssertGreaterThan(checked, scale.0 < scale.1 ? 150 : 700, "zoom \(scale)")
            // The same pixels arrive through the kitty stream.
            let bytes = try renderer.bytes(.image(indices: indices, width: width, height: height, table: table), at: (0, 1), imageID: 2)
            let sent = KittyGraphics.transmissions(in: bytes)
            XCTAssertEqual(sent.count, 1)
            XCTAssertEqual(try decodePNG(sent[0].data).pixels, TerminalImage(indices: indices, width: width, height: height, table: table).rgb.pixels)
        }
    }

    func testBrushOutlineIsDrawnAroundTheCursor() throws {
        let palette = try Palette(name: "p", classes: [PaletteClass(id: 0, name: "a", color: RGBColor(10, 200, 10))])
        var state = EditorState(layout: Layout(labels: LabelMap(width: 20, height: 20), palette: palette))
        state.setCursor(PixelPoint(10, 10))
        state.viewport = Viewport(zoom: Viewport.zoom(of: (4, 1))!)
        let renderer = EditorCanvasRenderer(mode: .sixel, depth: .truecolor, cellWidth: 8, cellHeight: 16)
        guard case .image(let indices, let width, _, let table) = renderer.canvasFrame(state, rect: .init(x: 0, y: 0, width: 12, height: 6)) else {
            return XCTFail("image expected")
        }
        let marked = indices.enumerated().filter { table[Int($0.element)] == RGBColor(0, 0, 0) || table[Int($0.element)] == RGBColor(255, 255, 255) }
        XCTAssertGreaterThan(marked.count, 20)
        let cursor = state.viewport.dot(ofPixel: state.cursor)
        for entry in marked {
            let x: Int = entry.offset % width
            let y: Int = entry.offset / width
            // A 3-brush at 4x spans dots cursor-4 ... cursor+8; the ring adds two.
            XCTAssertTrue((cursor.x - 6)...(cursor.x + 10) ~= x && (cursor.y - 6)...(cursor.y + 10) ~= y, "outline dot (\(x), \(y)) far from the cursor")
        }
    }

    /// Every pair among each bundled palette's first 16 classes differs in
    /// colour or glyph with 8 colours (and with 16).
    func testClassesStayDistinguishableWithEightColours() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("palettes").path
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for file in files {
            let full = try Palette.load(path: directory + "/" + file)
            for depth in [ColorDepth.ansi8, .ansi16] {
                let cells = ClassCells(palette: full, depth: depth)
                let first = Array(full.classes.prefix(16))
                for (i, a) in first.enumerated() {
                    for b in first[(i + 1)...] {
                        let ca = cells.cell(a.id), cb = cells.cell(b.id)
                        XCTAssertTrue(depth.shown(ca.background) != depth.shown(cb.background) || ca.character != cb.character,
                                      "\(full.name) \(depth): \(a.name) and \(b.name) look the same")
                    }
                }
                XCTAssertTrue(cells.distinguishable, "\(full.name) \(depth): all classes")
            }
            // The glyph is only there where colours collide: the first class of each colour is plain.
            let landscape = ClassCells(palette: full, depth: .ansi8)
            XCTAssertEqual(landscape.cell(full.classes[0].id).character, " ")
        }
    }

    func testHalfBlocksDecodeBackExactly() {
        let image = gradient(12, 8)
        let grid = HalfBlockRenderer.grid(image)
        XCTAssertEqual(grid.decoded(cellWidth: 1, cellHeight: 2, depth: .truecolor).pixels, image.pixels)
    }

    func testGlyphShapesOfQuadrantsAndSextants() throws {
        let lowerLeft = try XCTUnwrap(GlyphShape("\u{2596}"))
        XCTAssertTrue(lowerLeft.covers(0.2, 0.8))
        XCTAssertFalse(lowerLeft.covers(0.8, 0.8))
        XCTAssertFalse(lowerLeft.covers(0.2, 0.2))
        // U+1FB00 is the top-left sextant, U+1FB3B all but the top-left... (pattern 62).
        let first = try XCTUnwrap(GlyphShape("\u{1FB00}"))
        XCTAssertTrue(first.covers(0.2, 0.1))
        XCTAssertFalse(first.covers(0.7, 0.1))
        XCTAssertFalse(first.covers(0.2, 0.5))
        let last = try XCTUnwrap(GlyphShape("\u{1FB3B}"))
        XCTAssertFalse(last.covers(0.2, 0.1))
        XCTAssertTrue(last.covers(0.7, 0.1))
        XCTAssertTrue(last.covers(0.2, 0.9))
        // U+1FB13 is SEXTANT-35 (pattern 20), U+1FB14 SEXTANT-235 (pattern 22: 21, SEXTANT-135, is the left half block).
        let s35 = try XCTUnwrap(GlyphShape("\u{1FB13}")), s235 = try XCTUnwrap(GlyphShape("\u{1FB14}"))
        XCTAssertEqual([s35.covers(0.2, 0.1), s35.covers(0.7, 0.1), s35.covers(0.2, 0.5), s35.covers(0.7, 0.5), s35.covers(0.2, 0.9), s35.covers(0.7, 0.9)],
                       [false, false, true, false, true, false])
        XCTAssertEqual([s235.covers(0.2, 0.1), s235.covers(0.7, 0.1), s235.covers(0.2, 0.5), s235.covers(0.7, 0.5), s235.covers(0.2, 0.9), s235.covers(0.7, 0.9)],
                       [false, true, true, false, true, false])
        XCTAssertNil(GlyphShape("A"))
    }

    /// libchafa's cells decoded back to pixels are close to a sharp two-colour
    /// image whose edge falls inside the cells (where half blocks must blur or jump).
    func testChafaSymbolsFollowAnEdgeInsideCells() {
        let (cw, ch) = (8, 16)
        var image = RGBImage(width: 10 * cw, height: 6 * ch)
        for y in 0..<image.height { for x in 0..<image.width {
            image[x, y] = x < 3 * cw + cw / 2 ? RGBColor(200, 30, 30) : RGBColor(20, 40, 220)
        } }
        let grid = ChafaRenderer(depth: .truecolor).grid(image, columns: 10, rows: 6, cellWidth: cw, cellHeight: ch)
        let decoded = grid.decoded(cellWidth: cw, cellHeight: ch, depth: .truecolor)
        var error = 0.0
        for i in 0..<image.pixels.count { error += abs(Double(image.pixels[i]) - Double(decoded.pixels[i])) }
        XCTAssertLessThan(error / Double(image.pixels.count), 3, "the edge falls on a half-cell boundary: chafa draws it")
        XCTAssertTrue(grid.cells.contains { $0.character != " " && $0.character != "\u{2588}" }, "some cell uses a symbol")
    }

    func testTerminalAnswersChooseTheMode() {
        XCTAssertTrue(KittyGraphics.answeredOK("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;c"))
        XCTAssertFalse(KittyGraphics.answeredOK("\u{1B}_Gi=31;ENOENT:bad\u{1B}\\"))
        XCTAssertFalse(KittyGraphics.answeredOK("\u{1B}[?62;4c"))
        XCTAssertEqual(TerminalCapabilities.parseVersion("\u{1B}P>|XTerm(379)\u{1B}\\\u{1B}[?64;4c"), "XTerm(379)")
        XCTAssertTrue(TerminalCapabilities.echoesDirectColor("\u{1B}P1$r0;48:2::1:2:3m\u{1B}\\"))
        XCTAssertTrue(TerminalCapabilities.echoesDirectColor("\u{1B}P1$r48;2;1;2;3m\u{1B}\\"))
        XCTAssertFalse(TerminalCapabilities.echoesDirectColor("\u{1B}P1$r0;48;5;16m\u{1B}\\"))
        XCTAssertFalse(TerminalCapabilities.echoesDirectColor("\u{1B}P0$r\u{1B}\\"))
        XCTAssertTrue(TerminalCapabilities.advertisesRGB("\u{1B}P1+r524742=382F382F38\u{1B}\\"))
        XCTAssertFalse(TerminalCapabilities.advertisesRGB("\u{1B}P0+r524742\u{1B}\\"))
        XCTAssertEqual(TerminalCapabilities.itermProgram(environment: ["TERM_PROGRAM": "iTerm.app"], version: nil), "iTerm2")
        XCTAssertEqual(TerminalCapabilities.itermProgram(environment: [:], version: "WezTerm 20240203"), "WezTerm")
        XCTAssertNil(TerminalCapabilities.itermProgram(environment: [:], version: "XTerm(379)"))

        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: true, truecolor: true, kitty: true)), .kitty)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: true, truecolor: true, itermProgram: "iTerm2")), .iterm)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(sixel: true)), .sixel)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities(truecolor: true)), GraphicsMode.textCells)
        XCTAssertEqual(GraphicsMode.best(for: TerminalCapabilities()), .ansi256)
        var eight = TerminalCapabilities()
        eight.colorDepth = .ansi8
        XCTAssertEqual(GraphicsMode.best(for: eight), .ansi16)
        XCTAssertEqual(GraphicsMode.ansi16.colorDepth(detected: .ansi8), .ansi8)
        XCTAssertEqual(GraphicsMode.ansi16.colorDepth(detected: .truecolor), .ansi16)
    }

    func testBasicColoursRoundTripAndSGR() {
        for i in 0..<16 { XCTAssertEqual(ColorDepth.ansi16.basicIndex(ColorDepth.basicColors[i]), i) }
        for i in 0..<8 { XCTAssertEqual(ColorDepth.ansi8.basicIndex(ColorDepth.basicColors[i]), i) }
        XCTAssertLessThan(ColorDepth.ansi8.basicIndex(RGBColor(255, 255, 255)), 8)
        XCTAssertEqual(ColorDepth.ansi16.sgr(RGBColor(255, 0, 0), foreground: true), "\u{1B}[91m")
        XCTAssertEqual(ColorDepth.ansi8.sgr(RGBColor(255, 0, 0), foreground: false), "\u{1B}[41m")
    }
}
