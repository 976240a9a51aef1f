import Layouts

/// ADE20K SceneParsing as distributed: DIR[/ADEChallengeData2016]/annotations/SPLIT/X.png
/// with images/SPLIT/X.jpg, SPLIT training or validation; ids 0-150 (palette
/// `ade20k`, whose ignore id 0 'other' stays an input class).
public struct ADE20KSource: PairSource {
    public let split: String

    public init(split: String? = nil) {
        self.split = splitName(split, default: "training", aliases: ["train": "training", "val": "validation"])
    }

    public var expected: String {
        "DIR/ADEChallengeData2016/annotations/\(split)/X.png with images/\(split)/X.jpg (ADE20K)"
    }

    public var paletteName: String? { "ade20k" }

    public func recognizes(_ directory: String) -> Bool {
        LabelIDPairs.isDirectory(directory + "/ADEChallengeData2016")
            || (LabelIDPairs.isDirectory(directory + "/images/training") && LabelIDPairs.isDirectory(directory + "/annotations/training"))
    }

    public func pairs(in directory: String) throws -> [DatasetPair] {
        let base = LabelIDPairs.isDirectory(directory + "/ADEChallengeData2016") ? directory + "/ADEChallengeData2016" : directory
        let pairs = LabelIDPairs.byStem(labels: base + "/annotations/" + split, images: base + "/images/" + split)
        return try LabelIDPairs.nonEmpty(pairs, directory: directory, expected: expected)
    }

    public func readImage(path: String) throws -> RGBImage { try RGBImage.read(path: path) }
}
