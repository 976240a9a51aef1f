import Layouts

/// Draws an image with the upper-half-block character: the foreground colour
/// paints the top pixel of a cell, the background the bottom one, so a cell
/// shows two vertically stacked pixels.
public struct HalfBlockRenderer: Sendable {
    public let depth: ColorDepth

    public init(depth: ColorDepth) { self.depth = depth }

    /// Cells for the image, one row per two pixel rows; an odd height is padded with black.
    public static func grid(_ image: RGBImage) -> CellGrid {
        var grid = CellGrid(columns: image.width, rows: (image.height + 1) / 2)
        for row in 0..<grid.rows {
            for x in 0..<image.width {
                let y = 2 * row
                let bottom = y + 1 < image.height ? image[x, y + 1] : RGBColor(0, 0, 0)
                grid[x, row] = CellGrid.Cell("\u{2580}", foreground: image[x, y], background: bottom)
            }
        }
        return grid
    }

    /// Escape sequences for the image, one text line per two pixel rows, each
    /// ending with an SGR reset.
    public func lines(_ image: RGBImage) -> [String] {
        Self.grid(image).lines(depth: depth)
    }
}
