import Layouts

/// Anything that hands out layout/image pairs for training: scenepaint's own
/// pair directories (PairedDataset) and the real dataset layouts (RealDataset).
public protocol TrainingPairSource: Sendable {
    /// The directory named in messages.
    var directory: String { get }
    var palette: Palette { get }
    var count: Int { get }
    /// The layout's ids and the image of pair `index`, checked to have the same size.
    func pair(_ index: Int) throws -> (labels: LabelMap, image: RGBImage)
}

extension PairedDataset: TrainingPairSource {}
