/// The directory layouts `train lggan --format` names: scenepaint's own and
/// three real datasets as their authors distribute them (the same names and
/// rules in python/scenepaint_torch/data.py). Without --format the directory's
/// shape decides (`PairSources.detect`).
public enum DatasetFormat: String, CaseIterable, Sendable {
    case paired
    case cityscapes
    case ade20k
    case cocoStuff = "coco-stuff"

    /// The format whose shape `directory` has (scenepaint's own when none matches).
    public static func detect(_ directory: String) -> DatasetFormat {
        allCases.first { $0.source(split: nil).recognizes(directory) } ?? .paired
    }

    /// The source reading this layout; `split` in either dataset's words (train/val, training/validation).
    public func source(split: String?) -> any PairSource {
        switch self {
        case .paired: return LayoutsImagesSource()
        case .cityscapes: return CityscapesSource(split: split)
        case .ade20k: return ADE20KSource(split: split)
        case .cocoStuff: return COCOStuffSource(split: split)
        }
    }
}

/// A real dataset's split name from a user's: `aliases` maps the other datasets' words to this one's.
func splitName(_ split: String?, default name: String, aliases: [String: String]) -> String {
    guard let split, !split.isEmpty else { return name }
    return aliases[split] ?? split
}
