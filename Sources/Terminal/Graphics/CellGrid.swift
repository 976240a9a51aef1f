import Layouts

/// Text cells as a terminal shows them: a character drawn in the foreground
/// colour over the background colour. Half blocks, libchafa's symbols and the
/// 8-colour class glyphs all end up here, and only here become escape codes.
public struct CellGrid: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var character: Unicode.Scalar
        public var foreground: RGBColor
        public var background: RGBColor
        public init(_ character: Unicode.Scalar, foreground: RGBColor, background: RGBColor) {
            self.character = character
            self.foreground = foreground
            self.background = background
        }
    }

    public let columns: Int
    public let rows: Int
    public var cells: [Cell]

    public init(columns: Int, rows: Int, fill: Cell = Cell(" ", foreground: RGBColor(0, 0, 0), background: RGBColor(0, 0, 0))) {
        self.columns = columns
        self.rows = rows
        self.cells = [Cell](repeating: fill, count: columns * rows)
    }

    public subscript(column: Int, row: Int) -> Cell {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    /// One string per row: SGR codes at `depth` (only where the colour changes),
    /// the characters, and a reset at the end of the row.
    public func lines(depth: ColorDepth) -> [String] {
        (0..<rows).map { row in
            var line = ""
            line.reserveCapacity(columns * 24)
            var lastFG = "", lastBG = ""
            for column in 0..<columns {
                let cell = self[column, row]
                let fg = depth.sgr(cell.foreground, foreground: true)
                let bg = depth.sgr(cell.background, foreground: false)
                if fg != lastFG { line += fg; lastFG = fg }
                if bg != lastBG { line += bg; lastBG = bg }
                line.unicodeScalars.append(cell.character)
            }
            return line + "\u{1B}[0m"
        }
    }

    /// The pixels the terminal would show with cells of `cellWidth` x
    /// `cellHeight` pixels, colours as `depth` shows them (tests and the
    /// rendering-error benchmark). Characters without a known shape count as
    /// their background.
    public func decoded(cellWidth: Int, cellHeight: Int, depth: ColorDepth) -> RGBImage {
        var image = RGBImage(width: columns * cellWidth, height: rows * cellHeight)
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = self[column, row]
                let fg = depth.shown(cell.foreground), bg = depth.shown(cell.background)
                let shape = GlyphShape(cell.character)
                for y in 0..<cellHeight {
                    for x in 0..<cellWidth {
                        let inked = shape?.covers((Double(x) + 0.5) / Double(cellWidth), (Double(y) + 0.5) / Double(cellHeight)) ?? false
                        image[column * cellWidth + x, row * cellHeight + y] = inked ? fg : bg
                    }
                }
            }
        }
        return image
    }
}
