import Layouts
import Support
import Models

/// The figure of an ECGAN run: one row per sample, columns
/// layout | edge (I'_e) | I' | I'' | real edge (Canny) | real.
public enum ECGANSampleSheet {
    // The pixel font has no apostrophe: I' is "coarse", I'' is "final".
    public static let columns = ["layout", "edge", "coarse", "final", "real edge", "real"]

    public static func render(generator: ECGANGenerator, samples: [(labels: LabelMap, image: RGBImage)],
                              cellSize: Int? = nil, detector: CannyEdges = CannyEdges()) throws -> RGBImage {
        invariant(!samples.isEmpty, "a sample sheet needs samples")
        let rows = try samples.map { sample -> [RGBImage] in
            let v = try generator.views(sample.labels)
            let blank = RGBImage(width: sample.labels.width, height: sample.labels.height, fill: RGBColor(235, 235, 235))
            return [sample.labels.colorized(with: generator.palette), v.edge ?? blank, v.coarse, v.final,
                    detector.edgeImage(sample.image), sample.image]
        }
        return SampleSheet.grid(columns: columns, rows: rows, cellSize: cellSize)
    }
}
