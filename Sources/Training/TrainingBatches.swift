import Datasets
import Foundation
import Layouts
import Models
import Tensor

/// Random crops of the training aspect resized to the training size, and
/// horizontal flips. Crop heights are drawn between the training height (scale
/// 1, the scale the model meets at inference on full-size layouts) and the
/// largest crop of that aspect the image holds (the whole scene, downscaled),
/// so the model sees objects at both scales. Square sizes give square crops;
/// Cityscapes trains at 512x256.
public enum TrainingAugmentation {
    public static func crop(labels: LabelMap, image: RGBImage, size: Int,
                            using rng: inout RandomGenerator) -> (labels: LabelMap, image: RGBImage) {
        crop(labels: labels, image: image, width: size, height: size, using: &rng)
    }

    public static func crop(labels: LabelMap, image: RGBImage, width: Int, height: Int,
                            using rng: inout RandomGenerator) -> (labels: LabelMap, image: RGBImage) {
        let fitHeight = Swift.min(labels.height, labels.width * height / width)
        let low = Swift.min(height, fitHeight)
        let cropHeight = low + rng.nextInt(below: fitHeight - low + 1)
        let cropWidth = Swift.max(1, Swift.min(labels.width, cropHeight * width / height))
        let x0 = rng.nextInt(below: labels.width - cropWidth + 1), y0 = rng.nextInt(below: labels.height - cropHeight + 1)
        let flip = rng.nextUniform() < 0.5
        var croppedLabels = LabelMap(width: cropWidth, height: cropHeight)
        var croppedImage = RGBImage(width: cropWidth, height: cropHeight)
        for y in 0..<cropHeight {
            for x in 0..<cropWidth {
                let sx = flip ? x0 + cropWidth - 1 - x : x0 + x
                croppedLabels[x, y] = labels[sx, y0 + y]
                croppedImage[x, y] = image[sx, y0 + y]
            }
        }
        return (croppedLabels.resized(width: width, height: height), croppedImage.resized(width: width, height: height))
    }
}

/// Makes the batch of each step from the dataset, deterministically from the
/// seed and the step (so a resumed run sees the same data it would have), and
/// prepares the next batches on a background thread while the current one trains.
public final class BatchPrefetcher: @unchecked Sendable {
    public let dataset: PairedDataset
    /// Training crop width and height.
    public let width: Int
    public let size: Int
    public let batch: Int
    public let seed: UInt64
    /// Where each pair's cached Canny edges are (DIR/edges/NAME.png), for ECGAN; nil: no edges.
    public var edgeDirectory: String?
    private let queue = DispatchQueue(label: "scenepaint.lggan.batches", qos: .userInitiated)
    private let lock = NSCondition()
    private var ready: [Int: Result<TrainingBatch, Error>] = [:]
    private var requested = Set<Int>()
    private let depth = 2

    public init(dataset: PairedDataset, size: Int, width: Int? = nil, batch: Int, seed: UInt64) {
        self.dataset = dataset
        self.size = size
        self.width = width ?? size
        self.batch = batch
        self.seed = seed
    }

    /// The batch of `step` (blocks until it is ready) and starts loading the next ones.
    public func batch(for step: Int) throws -> TrainingBatch {
        for s in step ... step + depth { request(s) }
        lock.lock()
        while ready[step] == nil { lock.wait() }
        let result = ready.removeValue(forKey: step)!
        requested.remove(step)
        for s in ready.keys where s < step { ready.removeValue(forKey: s); requested.remove(s) }
        lock.unlock()
        return try result.get()
    }

    private func request(_ step: Int) {
        lock.lock()
        let isNew = requested.insert(step).inserted
        lock.unlock()
        guard isNew else { return }
        queue.async {
            let result = Result { try self.make(step: step) }
            self.lock.lock()
            self.ready[step] = result
            self.lock.broadcast()
            self.lock.unlock()
        }
    }

    /// Loads and augments the batch of a step (pure function of seed and step).
    public func make(step: Int) throws -> TrainingBatch {
        var rng = RandomGenerator(seed: LGGANTrainer.stepSeed(seed, step: step, stream: 3))
        var indices: [Int] = []
        var images: [RGBImage] = []
        var edges: [RGBImage] = []
        for _ in 0..<batch {
            let index = rng.nextInt(below: dataset.count)
            let (labels, image) = try dataset.pair(index)
            let cropRandomness = rng
            let (l, i) = TrainingAugmentation.crop(labels: labels, image: image, width: width, height: size, using: &rng)
            indices += try SemanticInput.indices(of: l, palette: dataset.palette)
            images.append(i)
            if let edgeDirectory {
                // The same crop and flip (same random draws); an output pixel is an
                // edge when any pixel of its (area-averaged) source block is one.
                var same = cropRandomness
                let edgeMap = try DatasetEdges.read(directory: edgeDirectory, name: dataset.names[index],
                                                    width: image.width, height: image.height)
                edges.append(DatasetEdges.binarized(TrainingAugmentation.crop(labels: labels, image: edgeMap, width: width, height: size,
                                                                               using: &same).image))
            }
        }
        let input = SemanticInput(indices: indices, batch: batch, height: size, width: width,
                                  classCount: dataset.palette.count)
        return TrainingBatch(input: input, real: TensorImages.tensor(images),
                             edges: edgeDirectory == nil ? nil : TensorImages.tensor(edges))
    }
}
