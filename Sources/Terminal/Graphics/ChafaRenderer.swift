import CChafa
import Foundation
import Layouts

/// Text cells drawn by libchafa: for every cell it picks a symbol (half
/// blocks, quadrants, sextants) and two colours that best match the pixels
/// under it. The symbols are limited to those `GlyphShape` knows, so a
/// rendering can be decoded back to pixels and measured.
public struct ChafaRenderer: Sendable {
    public let depth: ColorDepth
    /// libchafa's effort, 0...1. Its default, 0.5, measured 5% closer to the source
    /// than 0.1 at twice the time (docs/benchmarks.md#text-cells); the preview is live.
    public let workFactor: Float

    public init(depth: ColorDepth, workFactor: Float = 0.1) {
        self.depth = depth
        self.workFactor = workFactor
    }

    /// The image drawn into `columns` x `rows` cells whose pixels have the
    /// aspect `cellWidth` : `cellHeight`.
    public func grid(_ image: RGBImage, columns: Int, rows: Int, cellWidth: Int = 8, cellHeight: Int = 16) -> CellGrid {
        guard columns > 0, rows > 0, image.width > 0, image.height > 0 else { return CellGrid(columns: max(0, columns), rows: max(0, rows)) }
        let symbols = chafa_symbol_map_new()
        defer { chafa_symbol_map_unref(symbols) }
        let tags = CHAFA_SYMBOL_TAG_SPACE.rawValue | CHAFA_SYMBOL_TAG_SOLID.rawValue | CHAFA_SYMBOL_TAG_HALF.rawValue
            | CHAFA_SYMBOL_TAG_QUAD.rawValue | CHAFA_SYMBOL_TAG_SEXTANT.rawValue
        chafa_symbol_map_add_by_tags(symbols, ChafaSymbolTags(rawValue: tags))
        let config = chafa_canvas_config_new()
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
        chafa_canvas_config_set_cell_geometry(config, Int32(cellWidth), Int32(cellHeight))
        chafa_canvas_config_set_symbol_map(config, symbols)
        chafa_canvas_config_set_work_factor(config, workFactor)
        chafa_canvas_config_set_canvas_mode(config, canvasMode)
        let canvas = chafa_canvas_new(config)
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, $0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 3))
        }
        var grid = CellGrid(columns: columns, rows: rows)
        var fg: Int32 = 0, bg: Int32 = 0
        for row in 0..<rows {
            for column in 0..<columns {
                let c = chafa_canvas_get_char_at(canvas, Int32(column), Int32(row))
                chafa_canvas_get_raw_colors_at(canvas, Int32(column), Int32(row), &fg, &bg)
                grid[column, row] = CellGrid.Cell(Unicode.Scalar(c) ?? " ", foreground: color(fg), background: color(bg))
            }
        }
        return grid
    }

    private var canvasMode: ChafaCanvasMode {
        switch depth {
        case .truecolor: return CHAFA_CANVAS_MODE_TRUECOLOR
        case .ansi256: return CHAFA_CANVAS_MODE_INDEXED_240
        case .ansi16: return CHAFA_CANVAS_MODE_INDEXED_16
        case .ansi8: return CHAFA_CANVAS_MODE_INDEXED_8
        }
    }

    /// A raw colour: packed 0xRRGGBB in truecolor, else a palette index
    /// (negative: transparent, taken as black).
    private func color(_ raw: Int32) -> RGBColor {
        guard raw >= 0 else { return RGBColor(0, 0, 0) }
        switch depth {
        case .truecolor: return RGBColor(UInt8((raw >> 16) & 0xFF), UInt8((raw >> 8) & 0xFF), UInt8(raw & 0xFF))
        case .ansi256, .ansi16, .ansi8: return ColorDepth.xterm256Color(Int(raw))
        }
    }
}

extension ChafaRenderer {
    /// libchafa's own sixel encoder (its palette and dithering), for the
    /// comparison with libsixel in `bench cells`: the DCS bytes of `image` at its size.
    public static func sixel(_ image: RGBImage) -> [UInt8] {
        let config = chafa_canvas_config_new()
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SIXELS)
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        // One "cell" per pixel: the sixel image is exactly the image's size.
        chafa_canvas_config_set_cell_geometry(config, 1, 1)
        chafa_canvas_config_set_geometry(config, Int32(image.width), Int32(image.height))
        let canvas = chafa_canvas_new(config)
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, $0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 3))
        }
        // mlterm's entry in libchafa's terminal database speaks sixel.
        var environment: [UnsafeMutablePointer<CChar>?] = [strdup("TERM=mlterm"), nil]
        defer { environment.forEach { free($0) } }
        let info = environment.withUnsafeMutableBufferPointer { chafa_term_db_detect(chafa_term_db_get_default(), $0.baseAddress) }
        defer { chafa_term_info_unref(info) }
        guard let text = chafa_canvas_print(canvas, info) else { return [] }
        defer { g_string_free(text, 1) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(text.pointee.str).assumingMemoryBound(to: UInt8.self), count: Int(text.pointee.len)))
    }
}
