import Layouts

/// One line of the per-class table: how much of the layout a class covers
/// and how much the local generator contributes inside it.
public struct ClassTableRow: Equatable, Sendable {
    public let id: Int
    public let name: String
    public let color: RGBColor
    /// Fraction of the layout's pixels, 0...1.
    public let pixelShare: Double
    /// Mean local weight over the class's pixels; nil when the model has no weight map.
    public let meanLocalWeight: Double?
}

public enum ClassTable {
    /// A row for each class present in `labels`, largest share first.
    public static func rows(labels: LabelMap, palette: Palette, localWeight: [Float]?) -> [ClassTableRow] {
        let weights = localWeight?.count == labels.ids.count ? localWeight : nil
        var counts = [Int](repeating: 0, count: 256)
        var sums = [Double](repeating: 0, count: 256)
        for (i, id) in labels.ids.enumerated() {
            counts[Int(id)] += 1
            if let weights { sums[Int(id)] += Double(weights[i]) }
        }
        let total = Double(labels.ids.count)
        return (0..<256).filter { counts[$0] > 0 }.map { id in
            let cls = palette.class(id: id)
            return ClassTableRow(id: id, name: cls?.name ?? "id \(id)", color: cls?.color ?? RGBColor(0, 0, 0),
                                 pixelShare: Double(counts[id]) / total,
                                 meanLocalWeight: weights.map { _ in sums[id] / Double(counts[id]) })
        }.sorted { $0.pixelShare != $1.pixelShare ? $0.pixelShare > $1.pixelShare : $0.id < $1.id }
    }
}
