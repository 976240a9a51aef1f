import Foundation
import Layouts
import Support

/// A contact sheet of a dataset: each pair as layout (class colours) beside its image.
public enum ContactSheet {
    /// Tile heights a sheet may ask for: a sheet is a few tiles across, so
    /// taller tiles would only make an image too large to write or view.
    public static let tileHeights = 8...2048

    /// Pairs 0..<count of `dataset`, `columns` pairs per row, each tile
    /// `tileHeight` pixels high (default: the dataset's own size).
    public static func make(dataset: PairedDataset, count: Int = 16, columns: Int = 4, tileHeight: Int? = nil) throws -> RGBImage {
        let tiles = try (0..<min(max(1, count), dataset.count)).map { index in
            let (layout, image) = try dataset.read(index)
            return (layout.colorized(), image)
        }
        return try sheet(pairs: tiles, columns: columns, tileHeight: tileHeight)
    }

    /// Lays out (left, right) pairs in a grid on a dark background.
    public static func sheet(pairs: [(RGBImage, RGBImage)], columns: Int, tileHeight: Int? = nil) throws -> RGBImage {
        let first = pairs[0].1
        let th = tileHeight ?? first.height
        let tw = max(1, first.width * th / first.height)
        let gap = max(2, th / 64), pairGap = gap * 3
        let cols = max(1, min(columns, pairs.count))
        let rows = (pairs.count + cols - 1) / cols
        let width = cols * (2 * tw + gap) + (cols + 1) * pairGap
        let height = rows * th + (rows + 1) * pairGap
        // Refused before allocating: a side over what scenepaint's own PNG reader takes.
        guard width <= PNGCodec.defaultMaxSide && height <= PNGCodec.defaultMaxSide else {
            throw Failure("the contact sheet would be \(width)x\(height) pixels, over \(PNGCodec.defaultMaxSide) per side: "
                + "ask for fewer pairs (--count), fewer --columns or a smaller --tile")
        }
        var sheet = RGBImage(width: width, height: height, fill: RGBColor(32, 32, 36))
        for (i, pair) in pairs.enumerated() {
            let x = pairGap + (i % cols) * (2 * tw + gap + pairGap)
            let y = pairGap + (i / cols) * (th + pairGap)
            sheet.paste(pair.0.resized(width: tw, height: th), x: x, y: y)
            sheet.paste(pair.1.resized(width: tw, height: th), x: x + tw + gap, y: y)
        }
        return sheet
    }
}
