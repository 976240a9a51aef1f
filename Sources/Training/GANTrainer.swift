import Datasets
import Foundation
import Layouts
import Tensor

/// What a training run (`GANTrainingRun`) needs of a GAN's trainer, LGGAN's
/// or ECGAN's: one G and D step on a batch, resumable checkpoints, the
/// generator's model file and its sample sheet.
public protocol GANTrainer: AnyObject {
    associatedtype Losses: NamedLosses
    associatedtype Options: GANTrainingOptions
    var options: Options { get }
    var step: Int { get }
    var palette: Palette { get }
    /// The progress bar's label ("lggan", "ecgan").
    static var runLabel: String { get }
    /// One G step and one D step; returns the loss terms.
    func trainStep(_ batch: TrainingBatch) -> Losses
    /// Everything needed to resume, written atomically.
    func save(to path: String) throws
    /// The inference model file (generator only).
    func exportModel(to path: String, dtype: SafeTensorsDType) throws
    /// The sample sheet of the current generator (which stays in training mode).
    func sampleSheet(_ samples: [(labels: LabelMap, image: RGBImage)]) throws -> RGBImage
    /// Tells the batches what else to load beside layouts and images (ECGAN: the Canny edges).
    func prepare(_ batches: BatchPrefetcher, for dataset: PairedDataset)
}

extension GANTrainer {
    public func prepare(_ batches: BatchPrefetcher, for dataset: PairedDataset) {}

    /// A reproducible seed for anything random at a step (noise, data order, pixel draws).
    public static func stepSeed(_ seed: UInt64, step: Int, stream: UInt64) -> UInt64 {
        var x = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(step) &* 0xBF58_476D_1CE4_E5B9 ^ stream &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x
    }
}
