import Foundation
import Layouts
import Support

/// A directory of layout/image pairs: DIR/layouts/NNNNNN.png (indexed layouts)
/// and DIR/images/NNNNNN.png (renders), paired by file name; manifest.json is
/// optional here (it carries class shares, read by the evaluation).
public struct SegmenterDataset: LayoutImagePairs {
    public let directory: String
    /// File names present in both layouts/ and images/, sorted.
    public let names: [String]
    public let palette: Palette

    /// Lists the pairs. The palette is `palette` if given, else the one the
    /// first layout names (looked up in `library`).
    public init(directory: String, palette: Palette? = nil, library: PaletteLibrary? = nil) throws {
        self.directory = directory
        // A dataset still being synthesised says so in its manifest: training on
        // a moving set of files would not be reproducible.
        if let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
           let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           manifest["complete"] as? Bool == false {
            throw Failure("\(directory): manifest.json says the dataset is incomplete (synthesis still running or stopped): finish it first")
        }
        names = try Self.listPairNames(in: directory)
        if let palette {
            self.palette = palette
        } else {
            self.palette = try LayoutFile.read(path: directory + "/layouts/" + names[0], library: library).palette
        }
    }
}
