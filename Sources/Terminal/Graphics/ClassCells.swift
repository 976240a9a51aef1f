import Layouts

/// How each class of a palette is drawn in text cells. With 24-bit or 256
/// colours a class is its colour; with 8 or 16 colours several classes share
/// the nearest basic colour, so all but the first of them also get a letter
/// (from their name where it is free): no two classes share both colour and
/// glyph. The palette column shows the same cell next to the class name.
public struct ClassCells: Sendable {
    public let depth: ColorDepth
    private var styles: [Int: CellGrid.Cell] = [:]

    public init(palette: Palette, depth: ColorDepth) {
        self.depth = depth
        var usedGlyphs: [Int: Set<Character>] = [:]  // per basic colour
        for cls in palette.classes {
            guard depth == .ansi16 || depth == .ansi8 else {
                styles[cls.id] = CellGrid.Cell(" ", foreground: cls.color, background: cls.color)
                continue
            }
            let index = depth.basicIndex(cls.color)
            let background = ColorDepth.basicColors[index]
            var used = usedGlyphs[index] ?? []
            let glyph: Character
            if used.isEmpty {
                glyph = " "
            } else {
                let candidates = Array(cls.name.lowercased().filter { $0.isLetter && $0.isASCII })
                    + Array(cls.name.uppercased().filter { $0.isLetter && $0.isASCII })
                    + Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#%&@$+=*")
                glyph = candidates.first { !used.contains($0) } ?? "?"
            }
            used.insert(glyph)
            usedGlyphs[index] = used
            styles[cls.id] = CellGrid.Cell(glyph.unicodeScalars.first!, foreground: Self.contrasting(background), background: background)
        }
    }

    /// The cell that shows class `id` (unknown ids: black).
    public func cell(_ id: Int) -> CellGrid.Cell {
        styles[id] ?? CellGrid.Cell(" ", foreground: RGBColor(255, 255, 255), background: RGBColor(0, 0, 0))
    }

    /// True when each class's cell differs from every other's in colour or glyph.
    public var distinguishable: Bool {
        let keys = styles.values.map { "\(depth.shown($0.background)) \($0.character)" }
        return Set(keys).count == keys.count
    }

    /// Black on light colours, white on dark ones.
    public static func contrasting(_ c: RGBColor) -> RGBColor {
        Int(c.r) * 3 + Int(c.g) * 6 + Int(c.b) > 1280 ? RGBColor(0, 0, 0) : RGBColor(255, 255, 255)
    }
}
