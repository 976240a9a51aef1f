import Layouts
import Support

/// The papers' segmentation scores for one set of images, split into
/// small-object and large classes. Classes are palette positions internally;
/// reports name them by id and name.
public struct SegmentationScores: Sendable, Codable, Equatable {
    public struct ClassScore: Sendable, Codable, Equatable {
        public var id: Int
        public var name: String
        /// nil when the class occurs neither in the truth nor the prediction.
        public var iou: Double?
        /// Average share of the class in the dataset.
        public var pixelShare: Double
        public var small: Bool

        enum CodingKeys: String, CodingKey { case id, name, iou, pixelShare = "pixel_share", small }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(iou, forKey: .iou)  // explicit null for absent classes
            try c.encode(pixelShare, forKey: .pixelShare)
            try c.encode(small, forKey: .small)
        }
    }

    public var meanIoU: Double
    public var pixelAccuracy: Double
    /// Mean IoU over the small-object classes that occur (nil if none occurs).
    public var smallClassMeanIoU: Double?
    public var largeClassMeanIoU: Double?
    public var pixels: Int
    public var perClass: [ClassScore]

    enum CodingKeys: String, CodingKey {
        case meanIoU = "miou", pixelAccuracy = "pixel_accuracy", smallClassMeanIoU = "miou_small_classes"
        case largeClassMeanIoU = "miou_large_classes", pixels, perClass = "per_class"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(meanIoU, forKey: .meanIoU)
        try c.encode(pixelAccuracy, forKey: .pixelAccuracy)
        try c.encode(smallClassMeanIoU, forKey: .smallClassMeanIoU)
        try c.encode(largeClassMeanIoU, forKey: .largeClassMeanIoU)
        try c.encode(pixels, forKey: .pixels)
        try c.encode(perClass, forKey: .perClass)
    }

    /// Scores of a confusion matrix whose indices are positions in `palette.classes`.
    public init(_ matrix: ConfusionMatrix, palette: Palette, shares: DatasetClassShares, smallClassIDs: [Int]) {
        invariant(matrix.classCount == palette.count, "SegmentationScores: \(matrix.classCount)-class matrix for palette \(palette.name) of \(palette.count)")
        let iou = matrix.perClassIoU
        let small = Set(smallClassIDs)
        let smallPositions = palette.classes.enumerated().filter { small.contains($0.element.id) }.map(\.offset)
        let largePositions = palette.classes.enumerated().filter { !small.contains($0.element.id) }.map(\.offset)
        meanIoU = matrix.meanIoU
        pixelAccuracy = matrix.pixelAccuracy
        smallClassMeanIoU = matrix.meanIoU(over: smallPositions)
        largeClassMeanIoU = matrix.meanIoU(over: largePositions)
        pixels = matrix.total
        perClass = palette.classes.enumerated().map { position, cls in
            ClassScore(id: cls.id, name: cls.name, iou: iou[position], pixelShare: shares.shareByID[cls.id] ?? 0,
                       small: small.contains(cls.id))
        }
    }
}
