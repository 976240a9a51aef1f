import Datasets
import Foundation
import Layouts
import Support

/// Average pixel share of each class in a dataset, used to split classes into
/// small-object and large ones (ECGAN's Table V). Read from the dataset's
/// manifest.json ("classes": [{"id", "pixelShare"}]) when it has one, else
/// counted from the layouts themselves.
public struct DatasetClassShares: Sendable, Equatable {
    /// Share of all pixels per class id.
    public var shareByID: [Int: Double]
    /// Where the numbers came from ("manifest.json" or "N layouts").
    public var source: String

    public init(shareByID: [Int: Double], source: String) {
        self.shareByID = shareByID
        self.source = source
    }

    /// The manifest's shares, or nil when there is none or it lists no classes.
    public static func fromManifest(of dataset: PairedDataset) throws -> DatasetClassShares? {
        guard let manifest = dataset.manifest, !manifest.classes.isEmpty else { return nil }
        var shares: [Int: Double] = [:]
        for entry in manifest.classes {
            guard let share = entry.pixelShare else {
                throw Failure("\(dataset.directory)/\(DatasetManifest.fileName): class \(entry.id) has no pixelShare")
            }
            shares[entry.id] = share
        }
        return DatasetClassShares(shareByID: shares, source: DatasetManifest.fileName)
    }

    public static func counted(_ labels: [LabelMap]) -> DatasetClassShares {
        var counts = [Int](repeating: 0, count: 256)
        var total = 0
        for map in labels {
            let h = map.histogram()
            for id in 0..<256 { counts[id] += h[id] }
            total += map.ids.count
        }
        var shares: [Int: Double] = [:]
        for id in 0..<256 where counts[id] > 0 { shares[id] = Double(counts[id]) / Double(Swift.max(total, 1)) }
        return DatasetClassShares(shareByID: shares, source: "\(labels.count) layouts")
    }

    /// Class ids of `palette` whose share is under `threshold` (absent classes count as 0).
    public func smallClassIDs(in palette: Palette, threshold: Double = 0.02) -> [Int] {
        palette.classes.filter { (shareByID[$0.id] ?? 0) < threshold }.map(\.id)
    }
}
