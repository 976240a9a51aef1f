import Editor
import Foundation
import Layouts

/// Draws the canvas and the palette swatches with the editor's graphics mode,
/// as bytes written after ncurses' refresh into cells ncurses leaves blank
/// (like the preview). In an image mode the canvas is an indexed image at the
/// terminal's pixel resolution (exact class colours, brush outline and shape
/// preview drawn in); in text modes it is cells at the detected colour depth
/// (24-bit colour even where terminfo says 8, when the terminal answered so),
/// and with 8 or 16 colours one class per cell with a glyph where colours collide.
public struct EditorCanvasRenderer {
    public typealias Rect = EditorScreenLayout.Rect

    public let mode: GraphicsMode
    /// Colours of text cells (also the swatches' in text modes).
    public let depth: ColorDepth
    public var cellWidth: Int
    public var cellHeight: Int

    public init(mode: GraphicsMode, depth: ColorDepth, cellWidth: Int, cellHeight: Int) {
        self.mode = mode
        self.depth = depth
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    /// Kitty image ids (the preview is 1).
    public static let canvasImageID = 2, swatchImageID = 3
    public static let outsideColor = RGBColor(28, 28, 28)

    /// Viewport dots per cell: pixels in image modes, two stacked half blocks
    /// in 24-bit / 256-colour text, one glyph cell with 8 or 16 colours.
    public var dotsPerCell: (x: Int, y: Int) {
        if mode.isImage { return (cellWidth, cellHeight) }
        return depth == .ansi16 || depth == .ansi8 ? (1, 1) : (1, 2)
    }

    /// The dots of the canvas rectangle (sixel images stay within whole 6-pixel bands).
    public func dots(in rect: Rect) -> (wide: Int, high: Int) {
        let perCell = dotsPerCell
        let high = rect.height * perCell.y
        return (rect.width * perCell.x, mode == .sixel ? high / 6 * 6 : high)
    }

    /// The dot a mouse click in a canvas cell points at (the middle of the cell's top half in text).
    public func dot(column: Int, row: Int) -> (x: Int, y: Int) {
        let perCell = dotsPerCell
        return (column * perCell.x + perCell.x / 2, row * perCell.y + (mode.isImage ? perCell.y / 2 : 0))
    }

    /// What the canvas shows, before it becomes bytes (compared with the last
    /// frame so an unchanged canvas is not sent again).
    public enum Frame: Equatable {
        case image(indices: [UInt8], width: Int, height: Int, table: [RGBColor])
        case cells(CellGrid)
    }

    // MARK: canvas

    public func canvasFrame(_ state: EditorState, rect: Rect) -> Frame {
        let labels = state.labels
        let palette = state.palette
        var overlay: [Bool]? = nil
        if !state.shapePreview.isEmpty {
            var marks = [Bool](repeating: false, count: labels.ids.count)
            for i in state.shapePreview { marks[i] = true }
            overlay = marks
        }
        let (wide, high) = dots(in: rect)
        let viewport = state.viewport
        // Layout column / row under every dot (-1 outside the layout).
        let xs = (0..<wide).map { dx -> Int in let x = viewport.pixel(atDotX: dx, dotY: 0).x; return x >= 0 && x < labels.width ? x : -1 }
        let ys = (0..<high).map { dy -> Int in let y = viewport.pixel(atDotX: 0, dotY: dy).y; return y >= 0 && y < labels.height ? y : -1 }

        if mode.isImage {
            // Local colour table: classes, then outside, black, white.
            var slot = [UInt8](repeating: 0, count: 256)
            var table: [RGBColor] = []
            for cls in palette.classes where table.count < 253 {
                slot[cls.id] = UInt8(table.count)
                table.append(cls.color)
            }
            let outside = UInt8(table.count), black = outside + 1, white = outside + 2
            table += [Self.outsideColor, RGBColor(0, 0, 0), RGBColor(255, 255, 255)]
            let current = slot[state.currentClass]
            var indices = [UInt8](repeating: outside, count: wide * high)
            labels.ids.withUnsafeBufferPointer { ids in
                indices.withUnsafeMutableBufferPointer { out in
                    for dy in 0..<high {
                        let y = ys[dy]
                        guard y >= 0 else { continue }
                        let row = y * labels.width, base = dy * wide
                        for dx in 0..<wide {
                            let x = xs[dx]
                            guard x >= 0 else { continue }
                            out[base + dx] = overlay?[row + x] == true ? current : slot[Int(ids[row + x])]
                        }
                    }
                }
            }
            drawBrushOutline(state, into: &indices, wide: wide, high: high, black: black, white: white)
            return .image(indices: indices, width: wide, height: high, table: table)
        }

        let cells = ClassCells(palette: palette, depth: depth)
        let perCell = dotsPerCell
        func id(_ dx: Int, _ dy: Int) -> Int? {
            let x = xs[dx], y = ys[min(dy, high - 1)]
            guard x >= 0, y >= 0 else { return nil }
            let i = y * labels.width + x
            return overlay?[i] == true ? state.currentClass : Int(labels.ids[i])
        }
        let outsideCell = CellGrid.Cell(perCell.y == 1 ? "\u{00B7}" : "\u{2580}", foreground: perCell.y == 1 ? RGBColor(127, 127, 127) : Self.outsideColor,
                                        background: perCell.y == 1 ? RGBColor(0, 0, 0) : Self.outsideColor)
        var grid = CellGrid(columns: rect.width, rows: rect.height, fill: outsideCell)
        let cursorDot = viewport.dot(ofPixel: state.cursor)
        for row in 0..<rect.height {
            for column in 0..<rect.width {
                if perCell.y == 1 {
                    grid[column, row] = id(column, row).map { cells.cell($0) } ?? outsideCell
                } else {
                    let top = id(column, 2 * row).map { palette.color(id: $0) } ?? Self.outsideColor
                    let bottom = id(column, 2 * row + 1).map { palette.color(id: $0) } ?? Self.outsideColor
                    grid[column, row] = CellGrid.Cell("\u{2580}", foreground: top, background: bottom)
                }
            }
        }
        // The brush cursor: a cross (pen down: a dot; shape started: a diamond) in black or white.
        let cursorCell = (x: cursorDot.x, y: cursorDot.y / perCell.y)
        if cursorCell.x >= 0, cursorCell.x < rect.width, cursorCell.y >= 0, cursorCell.y < rect.height {
            let under = palette.color(id: Int(labels[state.cursor.x, state.cursor.y]))
            let background = perCell.y == 1 ? cells.cell(Int(labels[state.cursor.x, state.cursor.y])).background : grid[cursorCell.x, cursorCell.y].foreground
            let marker: Unicode.Scalar = state.penDown ? "\u{25CF}" : (state.shapeAnchor != nil ? "\u{25C7}" : "\u{253C}")
            grid[cursorCell.x, cursorCell.y] = CellGrid.Cell(marker, foreground: ClassCells.contrasting(perCell.y == 1 ? background : under), background: background)
        }
        return .cells(grid)
    }

    /// The outline of the brush around the cursor (dashed black and white so
    /// it shows on every class colour; solid while the pen is down), and the
    /// start of a shape in progress.
    private func drawBrushOutline(_ state: EditorState, into indices: inout [UInt8], wide: Int, high: Int,
                                  black: UInt8, white: UInt8) {
        let brush = BrushFootprint(size: state.brushSize)
        let low = -(brush.size / 2)
        var inside = Set<Int>()
        for o in brush.offsets { inside.insert((state.cursor.y + o.y) * 65536 + (state.cursor.x + o.x)) }
        var marks = [(x: Int, y: Int, inside: (Int, Int) -> Bool)]()
        marks.append((state.cursor.x + low, state.cursor.y + low, { x, y in inside.contains(y * 65536 + x) }))
        if let anchor = state.shapeAnchor {
            marks.append((anchor.x, anchor.y, { x, y in x == anchor.x && y == anchor.y }))
        }
        let viewport = state.viewport
        for (index, mark) in marks.enumerated() {
            // Screen box of the mark's pixels, two dots of margin.
            let span = index == 0 ? brush.size : 1
            let start = viewport.dot(ofPixel: PixelPoint(mark.x, mark.y))
            let end = viewport.dot(ofPixel: PixelPoint(mark.x + span, mark.y + span))
            let x0 = max(0, start.x - 2), x1 = min(wide - 1, end.x + 1), y0 = max(0, start.y - 2), y1 = min(high - 1, end.y + 1)
            guard x0 <= x1, y0 <= y1 else { continue }
            func member(_ dx: Int, _ dy: Int) -> Bool {
                guard dx >= 0, dx < wide, dy >= 0, dy < high else { return false }
                // Dots outside the layout still count by their (virtual) pixel, so the outline stays whole at edges.
                let p = viewport.pixel(atDotX: dx, dotY: dy)
                return mark.inside(p.x, p.y)
            }
            // A ring two dots wide just outside the mark.
            let under = state.palette.color(id: Int(state.labels[state.cursor.x, state.cursor.y]))
            let solid: UInt8 = ClassCells.contrasting(under) == RGBColor(0, 0, 0) ? black : white
            for dy in y0...y1 {
                for dx in x0...x1 where !member(dx, dy) {
                    var near = false
                    for d in 1...2 where !near {
                        near = member(dx - d, dy) || member(dx + d, dy) || member(dx, dy - d) || member(dx, dy + d)
                    }
                    guard near else { continue }
                    indices[dy * wide + dx] = state.penDown && index == 0 ? solid : ((dx + dy) / 3) % 2 == 0 ? white : black
                }
            }
        }
    }

    // MARK: swatches

    /// The colour swatches of the palette rows shown (two cells wide).
    public func swatchFrame(_ classes: [PaletteClass], palette: Palette) -> Frame {
        if mode.isImage {
            let width = 2 * cellWidth, height = classes.count * cellHeight
            var indices = [UInt8](repeating: UInt8(classes.count), count: width * height)
            for (row, _) in classes.enumerated() {
                // One pixel row of background between swatches keeps equal neighbours apart.
                for y in (row * cellHeight)..<((row + 1) * cellHeight - 1) {
                    for x in 1..<(width - 1) { indices[y * width + x] = UInt8(row) }
                }
            }
            return .image(indices: indices, width: width, height: max(1, height), table: classes.map(\.color) + [RGBColor(0, 0, 0)])
        }
        let cells = ClassCells(palette: palette, depth: depth)
        var grid = CellGrid(columns: 2, rows: classes.count)
        for (row, cls) in classes.enumerated() {
            let cell = depth == .ansi16 || depth == .ansi8 ? cells.cell(cls.id) : CellGrid.Cell("\u{2588}", foreground: cls.color, background: cls.color)
            grid[0, row] = cell
            grid[1, row] = cell
        }
        return .cells(grid)
    }

    // MARK: bytes

    /// Positioned bytes for a frame at `origin` (cell column, row), wrapped in
    /// save / restore cursor.
    public func bytes(_ frame: Frame, at origin: (column: Int, row: Int), imageID: Int) throws -> [UInt8] {
        var out = Array("\u{1B}7".utf8)
        switch frame {
        case .image(let indices, let width, let height, let table):
            out += EditorPreviewPane.cursorPosition(row: origin.row, column: origin.column)
            out += try TerminalImage(indices: indices, width: width, height: height, table: table)
                .encoded(mode: mode, depth: depth, imageID: imageID)
        case .cells(let grid):
            for (i, line) in grid.lines(depth: depth).enumerated() {
                out += EditorPreviewPane.cursorPosition(row: origin.row + i, column: origin.column)
                out += Array(line.utf8)
            }
        }
        out += Array("\u{1B}8".utf8)
        return out
    }
}
