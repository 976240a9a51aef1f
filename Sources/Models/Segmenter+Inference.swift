import Layouts
import Tensor

/// What the segmenter says about one image.
public struct Segmentation: Sendable {
    /// Predicted class position (index into the palette's classes) per pixel,
    /// row-major at the segmenter's input size.
    public var classes: [Int]
    public var width: Int
    public var height: Int
    /// Pooled bottleneck features (length `featureDimension`).
    public var features: [Double]
}

extension Segmenter {
    /// Segments images of any size: each is resampled to the input size, run in
    /// evaluation mode (running batch statistics) without a graph, in batches.
    /// Switches the module to evaluation mode.
    public func segment(_ images: [RGBImage], batchSize: Int = 8) -> [Segmentation] {
        eval()
        let (w, h) = (configuration.inputWidth, configuration.inputHeight)
        let dim = configuration.featureDimension
        var results: [Segmentation] = []
        results.reserveCapacity(images.count)
        var start = 0
        while start < images.count {
            let chunk = images[start..<Swift.min(images.count, start + Swift.max(1, batchSize))]
            let batch = SegmenterInput.tensor(chunk.map { SegmenterInput.resample($0, width: w, height: h) })
            let (logits, features) = GradMode.withoutGrad { forward(batch) }
            let plane = w * h
            let predicted = logits.argmax(axis: 1)
            features.withUnsafeBufferPointer { f in
                for n in 0..<chunk.count {
                    let vector = (0..<dim).map { Double(f[n * dim + $0]) }
                    results.append(Segmentation(classes: Array(predicted[n * plane ..< (n + 1) * plane]),
                                                width: w, height: h, features: vector))
                }
            }
            start += chunk.count
        }
        return results
    }
}
