import Foundation
import Support

/// The directory layouts `train lggan --data` reads: scenepaint's own pairs and
/// three real datasets as their authors distribute them. Python's twin:
/// python/scenepaint_torch/data.py (same detection and pairing rules).
public enum DatasetFormat: String, CaseIterable, Sendable {
    /// DIR/layouts/NAME.png + DIR/images/NAME.png (`scenepaint dataset synth`).
    case paired
    /// DIR/gtFine/SPLIT/CITY/X_gtFine_labelIds.png + DIR/leftImg8bit/SPLIT/CITY/X_leftImg8bit.png.
    case cityscapes
    /// DIR[/ADEChallengeData2016]/annotations/SPLIT/X.png + images/SPLIT/X.jpg.
    case ade20k
    /// COCO-Stuff 164k: DIR/annotations/SPLIT/X.png (stuffthingmaps) + DIR/images/SPLIT/X.jpg
    /// (the maps may also stay in DIR/stuffthingmaps_trainval2017/SPLIT/).
    case cocoStuff = "coco-stuff"

    /// The bundled palette whose ids the dataset's label PNGs hold (nil: the pairs' own).
    public var paletteName: String? { self == .paired ? nil : rawValue }

    public var defaultSplit: String {
        switch self {
        case .paired: return ""
        case .cityscapes: return "train"
        case .ade20k: return "training"
        case .cocoStuff: return "train2017"
        }
    }

    /// The dataset's own name for a split given in another dataset's words (train/val/training/validation).
    public func splitName(_ split: String?) -> String {
        guard let split, !split.isEmpty else { return defaultSplit }
        let aliases: [String: String]
        switch self {
        case .paired: return split
        case .cityscapes: aliases = ["training": "train", "validation": "val"]
        case .ade20k: aliases = ["train": "training", "val": "validation"]
        case .cocoStuff: aliases = ["train": "train2017", "val": "val2017", "training": "train2017", "validation": "val2017"]
        }
        return aliases[split] ?? split
    }

    /// Which layout a directory has, from its sub-directories.
    public static func detect(directory: String) throws -> DatasetFormat {
        let fm = FileManager.default
        func has(_ parts: String...) -> Bool {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: ([directory] + parts).joined(separator: "/"), isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if has("gtFine") && has("leftImg8bit") { return .cityscapes }
        if has("ADEChallengeData2016") || (has("images", "training") && has("annotations", "training")) { return .ade20k }
        let annotations = (try? fm.contentsOfDirectory(atPath: directory + "/annotations")) ?? []
        if has("images") && (annotations.contains { $0.hasSuffix("2017") } || has("stuffthingmaps_trainval2017")) {
            return .cocoStuff
        }
        if has("layouts") && has("images") { return .paired }
        throw Failure("\(directory): not a dataset directory scenepaint knows (expected layouts/+images/, gtFine/+leftImg8bit/ (Cityscapes), ADEChallengeData2016/ (ADE20K) or images/+annotations/ (COCO-Stuff))")
    }
}
