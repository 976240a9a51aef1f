import Foundation
import Generation
import Layouts
import Models
import Support

/// The figure of the style code: one layout under several seeds (columns),
/// first with codes from the prior (top row, the layout at its left), then
/// under each reference image's style (its row starts with the reference).
public enum StyleSheet {
    public static func render(generator: any StyleCodedGenerator, labels: LabelMap, seeds: [UInt64],
                              styles: [(image: RGBImage, style: StyleReference)], cell: Int = 128) throws -> RGBImage {
        invariant(!seeds.isEmpty, "a style sheet needs seeds")
        let gap = 4, header = 16
        let height = cell * labels.height / labels.width
        let columns = seeds.count + 1, rows = styles.count + 1
        var sheet = RGBImage(width: columns * (cell + gap) + gap, height: header + rows * (height + gap) + gap,
                             fill: RGBColor(255, 255, 255))
        PixelFont.draw("layout/style", into: &sheet, x: gap, y: 4, scale: 1, color: RGBColor(30, 30, 30))
        for (c, seed) in seeds.enumerated() {
            PixelFont.draw("seed \(seed)", into: &sheet, x: gap + (c + 1) * (cell + gap), y: 4, scale: 2, color: RGBColor(30, 30, 30))
        }
        let rowSources: [(RGBImage, StyleReference?)] = [(labels.colorized(with: generator.palette), nil)] + styles.map { ($0.image, $0.style) }
        for (r, (first, style)) in rowSources.enumerated() {
            let y = header + r * (height + gap)
            sheet.paste(first.resized(width: cell, height: height), x: gap, y: y)
            for (c, seed) in seeds.enumerated() {
                let image = try generator.generate(labels, seed: seed, style: style, shouldCancel: { false }).fused
                sheet.paste(image.resized(width: cell, height: height), x: gap + (c + 1) * (cell + gap), y: y)
            }
        }
        return sheet
    }
}
