import Layouts

/// An image ready to be drawn: either photo-like pixels, or a label map whose
/// exact class colours should survive (sixel then uses a fixed palette).
public struct TerminalImage: Sendable {
    public var rgb: RGBImage
    /// Class ids per pixel and the colour table, for exact (undithered) sixel.
    public var labels: (ids: [UInt8], table: [RGBColor])?

    public init(rgb: RGBImage) {
        self.rgb = rgb
        self.labels = nil
    }

    public init(layout: Layout) {
        self.rgb = layout.colorized()
        let table = Array(layout.palette.colorTable.prefix(max(layout.palette.idLimit, (layout.labels.idsPresent.last ?? 0) + 1)))
        self.labels = (layout.labels.ids, table)
    }

    public var width: Int { rgb.width }
    public var height: Int { rgb.height }

    /// Nearest-neighbour resize that keeps label ids exact.
    public func resized(width: Int, height: Int) -> TerminalImage {
        guard width != self.width || height != self.height else { return self }
        var out = TerminalImage(rgb: rgb.resized(width: width, height: height))
        if let labels {
            let map = LabelMap(width: self.width, height: self.height, ids: labels.ids).resized(width: width, height: height)
            out.labels = (map.ids, labels.table)
            // Keep the RGB view consistent with the labels (no blended edges).
            var rgb = RGBImage(width: width, height: height)
            for i in 0..<map.ids.count {
                let c = labels.table[Int(map.ids[i])]
                rgb.pixels[3 * i] = c.r; rgb.pixels[3 * i + 1] = c.g; rgb.pixels[3 * i + 2] = c.b
            }
            out.rgb = rgb
        }
        return out
    }

    /// The bytes that draw this image at the cursor in the given mode. Half-block
    /// output is one text line per two pixel rows, separated by "\r\n".
    public func encoded(mode: GraphicsMode) throws -> [UInt8] {
        switch mode {
        case .sixel:
            if let labels {
                return try SixelEncoder.encode(indices: labels.ids, width: width, height: height, palette: labels.table)
            }
            return try SixelEncoder.encode(rgb)
        case .truecolor:
            return Array(HalfBlockRenderer(palette: .truecolor).lines(rgb).joined(separator: "\r\n").utf8)
        case .ansi256:
            return Array(HalfBlockRenderer(palette: .ansi256).lines(rgb).joined(separator: "\r\n").utf8)
        }
    }
}
