import Foundation
import Layouts

/// An image ready to be drawn: either photo-like pixels, or a label map whose
/// exact class colours should survive (sixel then uses a fixed palette, kitty
/// and iTerm2 an indexed PNG).
public struct TerminalImage: Sendable {
    public var rgb: RGBImage
    /// Class ids per pixel and the colour table, for exact (undithered) images.
    public var labels: (ids: [UInt8], table: [RGBColor])?

    public init(rgb: RGBImage) {
        self.rgb = rgb
        self.labels = nil
    }

    public init(layout: Layout) {
        let table = Array(layout.palette.colorTable.prefix(max(layout.palette.idLimit, (layout.labels.idsPresent.last ?? 0) + 1)))
        self.init(indices: layout.labels.ids, width: layout.width, height: layout.height, table: table)
    }

    /// An indexed image: every pixel is exactly one colour of `table`.
    public init(indices: [UInt8], width: Int, height: Int, table: [RGBColor]) {
        var rgb = RGBImage(width: width, height: height)
        for i in 0..<indices.count {
            let c = table[Int(indices[i])]
            rgb.pixels[3 * i] = c.r; rgb.pixels[3 * i + 1] = c.g; rgb.pixels[3 * i + 2] = c.b
        }
        self.rgb = rgb
        self.labels = (indices, table)
    }

    public var width: Int { rgb.width }
    public var height: Int { rgb.height }

    /// Nearest-neighbour resize that keeps label ids exact.
    public func resized(width: Int, height: Int) -> TerminalImage {
        guard width != self.width || height != self.height else { return self }
        if let labels {
            let map = LabelMap(width: self.width, height: self.height, ids: labels.ids).resized(width: width, height: height)
            return TerminalImage(indices: map.ids, width: width, height: height, table: labels.table)
        }
        return TerminalImage(rgb: rgb.resized(width: width, height: height))
    }

    /// PNG bytes: indexed (exact class colours, tiny for flat regions) or RGB.
    /// Level 1: these are sent once to a terminal, speed matters more than size.
    public func pngData() throws -> Data {
        if let labels {
            return try labels.ids.withUnsafeBytes {
                try PNGCodec.encode(pixels: $0, width: width, height: height, format: .indexed(palette: labels.table, name: nil), compressionLevel: 1)
            }
        }
        return try rgb.pngData(compressionLevel: 1)
    }

    /// The bytes that draw this image at the cursor in an image mode.
    /// Text modes: one text line per two pixel rows (half blocks; libchafa
    /// symbols for `.symbols`), separated by "\r\n", at `depth`.
    public func encoded(mode: GraphicsMode, depth: ColorDepth = .truecolor, imageID: Int = 1) throws -> [UInt8] {
        switch mode {
        case .sixel:
            if let labels {
                return try SixelEncoder.encode(indices: labels.ids, width: width, height: height, palette: labels.table)
            }
            return try SixelEncoder.encode(rgb)
        case .kitty:
            if labels != nil { return KittyGraphics.place(.png(try pngData(), width: width, height: height), id: imageID) }
            return KittyGraphics.place(.rgb(rgb), id: imageID)
        case .iterm:
            return ITermImage.encode(png: try pngData(), width: width, height: height)
        case .symbols, .truecolor, .ansi256, .ansi16:
            let grid = cells(columns: width, rows: (height + 1) / 2, mode: mode)
            return Array(grid.lines(depth: mode.colorDepth(detected: depth)).joined(separator: "\r\n").utf8)
        }
    }

    /// Text cells for the image drawn into `columns` x `rows` cells: libchafa
    /// for `.symbols`, else half blocks (two pixels a cell).
    public func cells(columns: Int, rows: Int, mode: GraphicsMode, depth: ColorDepth = .truecolor) -> CellGrid {
        if mode == .symbols {
            return ChafaRenderer(depth: mode.colorDepth(detected: depth)).grid(rgb, columns: columns, rows: rows)
        }
        return HalfBlockRenderer.grid(resized(width: columns, height: rows * 2).rgb)
    }
}
