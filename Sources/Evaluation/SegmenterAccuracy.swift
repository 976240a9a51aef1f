import Datasets
import Layouts
import Models

/// The evaluator's own scores on real pairs (validation during training, and
/// the upper bound that generated images are compared with).
public enum SegmenterAccuracy {
    /// Segments the first `count` pairs (all if nil) of `dataset` and scores them.
    public static func measure(_ segmenter: Segmenter, on dataset: PairedDataset, count: Int? = nil,
                               smallClassThreshold: Double = 0.02, batchSize: Int = 8) throws -> SegmentationScores {
        let c = segmenter.configuration
        let n = Swift.min(dataset.count, count ?? dataset.count)
        var matrix = ConfusionMatrix(classCount: c.classCount)
        var labelMaps: [LabelMap] = []
        var start = 0
        while start < n {
            let range = start..<Swift.min(n, start + batchSize)
            var images: [RGBImage] = [], truths: [[Int]] = []
            for i in range {
                let (labels, image) = try dataset.pair(i)
                images.append(image)
                truths.append(SegmenterInput.targets(labels, palette: c.palette, width: c.inputWidth, height: c.inputHeight))
                labelMaps.append(labels)
            }
            for (result, truth) in zip(segmenter.segment(images, batchSize: batchSize), truths) {
                matrix.add(truth: truth, predicted: result.classes)
            }
            start = range.upperBound
        }
        let shares = try DatasetClassShares.fromManifest(of: dataset) ?? DatasetClassShares.counted(labelMaps)
        return SegmentationScores(matrix, palette: c.palette, shares: shares,
                                  smallClassIDs: shares.smallClassIDs(in: c.palette, threshold: smallClassThreshold))
    }
}
