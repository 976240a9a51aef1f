/// A semantic layout: the grid of class ids and the palette that names them.
public struct Layout: Equatable, Sendable {
    public var labels: LabelMap
    public let palette: Palette

    public init(labels: LabelMap, palette: Palette) {
        self.labels = labels
        self.palette = palette
    }

    public var width: Int { labels.width }
    public var height: Int { labels.height }

    /// (class, pixel share 0...1) for each class present, largest first.
    public func classShares() -> [(PaletteClass, Double)] {
        let counts = labels.histogram()
        let total = Double(labels.ids.count)
        return palette.classes.compactMap { cls in
            counts[cls.id] > 0 ? (cls, Double(counts[cls.id]) / total) : nil
        }.sorted { $0.1 > $1.1 }
    }

    public func colorized() -> RGBImage { labels.colorized(with: palette) }
}
