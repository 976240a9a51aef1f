/// Where each part of the editor goes on a terminal of a given size, in cells:
///
///     row 0            titles of canvas, preview and palette
///     rows 1...n-3     canvas | preview | palette, separated by a vertical rule
///     row n-2          messages and prompts
///     row n-1          status line
///
/// The preview rectangle is never written by ncurses (the image goes there)
/// and never touches the last row, where a sixel image would scroll the screen.
public struct EditorScreenLayout: Equatable, Sendable {
    public struct Rect: Equatable, Sendable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
        public func contains(column: Int, row: Int) -> Bool {
            column >= x && column < x + width && row >= y && row < y + height
        }
    }

    public static let minColumns = 60
    public static let minRows = 14
    public static let paletteWidth = 22

    public let columns: Int
    public let rows: Int
    public let canvas: Rect
    public let preview: Rect
    public let palette: Rect
    /// Columns of the two vertical rules (between canvas|preview and preview|palette).
    public let separators: [Int]
    public var messageRow: Int { rows - 2 }
    public var statusRow: Int { rows - 1 }

    /// Nil when the terminal is too small to paint in.
    public init?(columns: Int, rows: Int) {
        guard columns >= Self.minColumns, rows >= Self.minRows else { return nil }
        self.columns = columns
        self.rows = rows
        let contentRows = rows - 3
        let paletteX = columns - Self.paletteWidth
        let shared = paletteX - 2  // two rule columns
        let canvasWidth = shared / 2
        canvas = Rect(x: 0, y: 1, width: canvasWidth, height: contentRows)
        preview = Rect(x: canvasWidth + 1, y: 1, width: shared - canvasWidth, height: contentRows)
        palette = Rect(x: paletteX, y: 1, width: Self.paletteWidth, height: contentRows)
        separators = [canvasWidth, paletteX - 1]
    }

    public static func tooSmallMessage(columns: Int, rows: Int) -> String {
        "terminal too small: \(columns)x\(rows), the editor needs at least \(minColumns)x\(minRows)"
    }
}
