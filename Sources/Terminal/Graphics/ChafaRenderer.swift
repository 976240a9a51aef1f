import CChafa
import Layouts

/// Text cells drawn by libchafa: for every cell it picks a symbol (half
/// blocks, quadrants, sextants) and two colours that best match the pixels
/// under it. The symbols are limited to those `GlyphShape` knows, so a
/// rendering can be decoded back to pixels and measured.
public struct ChafaRenderer: Sendable {
    public let depth: ColorDepth
    /// libchafa's effort, 0...1 (its default is 0.5).
    public let workFactor: Float

    public init(depth: ColorDepth, workFactor: Float = 0.5) {
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
