import Layouts

/// COCO-Stuff 164k as its README lays it out: DIR/images/SPLIT/X.jpg with the
/// stuffthingmaps in DIR/annotations/SPLIT/X.png (or still in
/// DIR/stuffthingmaps_trainval2017/SPLIT/), SPLIT train2017 or val2017; ids
/// 0-181 and 255 (palette `coco-stuff`, whose ignore id 255 'unlabeled' stays an input class).
public struct COCOStuffSource: PairSource {
    public let split: String

    public init(split: String? = nil) {
        self.split = splitName(split, default: "train2017",
                               aliases: ["train": "train2017", "val": "val2017", "training": "train2017", "validation": "val2017"])
    }

    public var expected: String { "DIR/annotations/\(split)/X.png with DIR/images/\(split)/X.jpg (COCO-Stuff)" }

    public var paletteName: String? { "coco-stuff" }

    public func recognizes(_ directory: String) -> Bool {
        LabelIDPairs.isDirectory(directory + "/images")
            && (LabelIDPairs.list(directory + "/annotations").contains { $0.hasSuffix("2017") }
                || LabelIDPairs.isDirectory(directory + "/stuffthingmaps_trainval2017"))
    }

    public func pairs(in directory: String) throws -> [DatasetPair] {
        var labels = directory + "/annotations/" + split
        if !LabelIDPairs.isDirectory(labels) { labels = directory + "/stuffthingmaps_trainval2017/" + split }
        let pairs = LabelIDPairs.byStem(labels: labels, images: directory + "/images/" + split)
        return try LabelIDPairs.nonEmpty(pairs, directory: directory, expected: expected)
    }

    public func readImage(path: String) throws -> RGBImage { try RGBImage.read(path: path) }
}
