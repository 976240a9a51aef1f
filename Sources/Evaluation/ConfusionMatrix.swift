import Support

/// Counts of (true class, predicted class) over pixels, for segmentation
/// metrics as the papers report them: mIoU over classes that occur in the
/// ground truth or the prediction, and pixel accuracy.
public struct ConfusionMatrix: Sendable, Equatable {
    /// Number of classes (indices 0..<classCount, positions in the palette).
    public let classCount: Int
    /// counts[truth * classCount + predicted]
    public private(set) var counts: [Int]

    public init(classCount: Int) {
        invariant(classCount > 0, "ConfusionMatrix needs at least one class")
        self.classCount = classCount
        self.counts = [Int](repeating: 0, count: classCount * classCount)
    }

    public init(classCount: Int, counts: [Int]) {
        invariant(counts.count == classCount * classCount, "ConfusionMatrix: \(counts.count) counts for \(classCount) classes")
        self.classCount = classCount
        self.counts = counts
    }

    /// Adds pixels; entries outside 0..<classCount (e.g. an ignore id mapped
    /// to -1) are skipped.
    public mutating func add(truth: [Int], predicted: [Int]) {
        invariant(truth.count == predicted.count, "ConfusionMatrix: \(truth.count) truths, \(predicted.count) predictions")
        for i in 0..<truth.count {
            let t = truth[i], p = predicted[i]
            guard t >= 0, t < classCount, p >= 0, p < classCount else { continue }
            counts[t * classCount + p] += 1
        }
    }

    public mutating func merge(_ other: ConfusionMatrix) {
        invariant(other.classCount == classCount, "ConfusionMatrix: merging \(other.classCount) classes into \(classCount)")
        for i in 0..<counts.count { counts[i] += other.counts[i] }
    }

    public func count(truth: Int, predicted: Int) -> Int { counts[truth * classCount + predicted] }

    public var total: Int { counts.reduce(0, +) }

    /// Correct pixels / all pixels.
    public var pixelAccuracy: Double {
        let t = total
        guard t > 0 else { return 0 }
        var correct = 0
        for c in 0..<classCount { correct += counts[c * classCount + c] }
        return Double(correct) / Double(t)
    }

    /// IoU per class: TP / (TP + FP + FN); nil for a class absent from both
    /// truth and prediction (it does not enter the mean).
    public var perClassIoU: [Double?] {
        (0..<classCount).map { c in
            let tp = counts[c * classCount + c]
            var rowSum = 0, columnSum = 0
            for k in 0..<classCount {
                rowSum += counts[c * classCount + k]
                columnSum += counts[k * classCount + c]
            }
            let union = rowSum + columnSum - tp
            return union > 0 ? Double(tp) / Double(union) : nil
        }
    }

    /// Mean IoU over the classes that occur.
    public var meanIoU: Double {
        let present = perClassIoU.compactMap { $0 }
        return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }

    /// Mean IoU over a subset of classes (e.g. the small-object classes).
    public func meanIoU(over classes: [Int]) -> Double? {
        let iou = perClassIoU
        let present = classes.compactMap { $0 < classCount ? iou[$0] : nil }
        return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }
}
