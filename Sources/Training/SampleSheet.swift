import Foundation
import Generation
import Layouts
import Models

/// The figure of a training run: one row per sample, columns
/// layout | global | local | weight map | fused | real (paper Fig. 4 style).
/// The weight column is the local weight map drawn as every weight map is (`HeatMap`, the `weight-local` view).
public enum SampleSheet {
    public static let columns = ["layout", "global", "local", "weights", "fused", "real"]

    public static func render(generator: LGGANGenerator, samples: [(labels: LabelMap, image: RGBImage)],
                              cellSize: Int? = nil, seed: UInt64 = 0) throws -> RGBImage {
        precondition(!samples.isEmpty, "a sample sheet needs samples")
        let cell = cellSize ?? samples[0].labels.width
        let gap = 4, header = 16
        let cellHeight = samples.map { cell * $0.labels.height / $0.labels.width }.max()!
        var sheet = RGBImage(width: columns.count * (cell + gap) + gap,
                             height: header + samples.count * (cellHeight + gap) + gap, fill: RGBColor(255, 255, 255))
        for (c, name) in columns.enumerated() {
            PixelFont.draw(name, into: &sheet, x: gap + c * (cell + gap), y: 4, scale: 2, color: RGBColor(30, 30, 30))
        }
        for (r, sample) in samples.enumerated() {
            let views = try generator.generate(sample.labels, seed: seed, shouldCancel: { false })
            let (w, h) = (sample.labels.width, sample.labels.height)
            let blank = RGBImage(width: w, height: h, fill: RGBColor(235, 235, 235))
            let weights = views.localWeight.map { HeatMap.image($0, width: w, height: h) } ?? blank
            let row = [sample.labels.colorized(with: generator.palette), views.global ?? blank, views.local ?? blank,
                       weights, views.fused, sample.image]
            let height = cell * h / w
            for (c, image) in row.enumerated() {
                sheet.paste(image.resized(width: cell, height: height), x: gap + c * (cell + gap),
                            y: header + r * (cellHeight + gap))
            }
        }
        return sheet
    }
}
