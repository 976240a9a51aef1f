import Foundation
import Generation
import Layouts
import Models
import Support

/// The figure of a training run: one row per sample, columns
/// layout | global | local | weight map | fused | real (paper Fig. 4 style).
/// The weight column is the local weight map drawn as every weight map is (`HeatMap`, the `weight-local` view).
public enum SampleSheet {
    public static let columns = ["layout", "global", "local", "weights", "fused", "real"]

    public static func render(generator: LGGANGenerator, samples: [(labels: LabelMap, image: RGBImage)],
                              cellSize: Int? = nil, seed: UInt64 = 0) throws -> RGBImage {
        invariant(!samples.isEmpty, "a sample sheet needs samples")
        let rows = try samples.map { sample -> [RGBImage] in
            let views = try generator.generate(sample.labels, seed: seed, shouldCancel: { false })
            let (w, h) = (sample.labels.width, sample.labels.height)
            let blank = RGBImage(width: w, height: h, fill: RGBColor(235, 235, 235))
            let weights = views.localWeight.map { HeatMap.image($0, width: w, height: h) } ?? blank
            return [sample.labels.colorized(with: generator.palette), views.global ?? blank, views.local ?? blank,
                    weights, views.fused, sample.image]
        }
        return grid(columns: columns, rows: rows, cellSize: cellSize)
    }

    /// Images in a grid under column titles, each scaled to `cellSize` wide (default: the first image's width).
    public static func grid(columns: [String], rows: [[RGBImage]], cellSize: Int? = nil) -> RGBImage {
        invariant(!rows.isEmpty && !rows[0].isEmpty, "a sample sheet needs images")
        let cell = cellSize ?? rows[0][0].width
        let gap = 4, header = 16
        let cellHeight = rows.map { cell * $0[0].height / $0[0].width }.max()!
        var sheet = RGBImage(width: columns.count * (cell + gap) + gap,
                             height: header + rows.count * (cellHeight + gap) + gap, fill: RGBColor(255, 255, 255))
        for (c, name) in columns.enumerated() {
            PixelFont.draw(name, into: &sheet, x: gap + c * (cell + gap), y: 4, scale: 2, color: RGBColor(30, 30, 30))
        }
        for (r, row) in rows.enumerated() {
            let height = cell * row[0].height / row[0].width
            for (c, image) in row.enumerated() {
                sheet.paste(image.resized(width: cell, height: height), x: gap + c * (cell + gap),
                            y: header + r * (cellHeight + gap))
            }
        }
        return sheet
    }
}
