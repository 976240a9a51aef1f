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

    private struct Manifest: Decodable {
        struct Entry: Decodable { var id: Int; var pixelShare: Double }
        var classes: [Entry]
    }

    /// The manifest's shares, or nil when there is no usable manifest.
    public static func fromManifest(directory: String) throws -> DatasetClassShares? {
        let path = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw Failure("\(path): has no readable \"classes\" list with id and pixelShare")
        }
        guard !manifest.classes.isEmpty else { return nil }
        var shares: [Int: Double] = [:]
        for entry in manifest.classes { shares[entry.id] = entry.pixelShare }
        return DatasetClassShares(shareByID: shares, source: "manifest.json")
    }

    /// Shares counted from label maps.
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
