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
        let fm = FileManager.default
        let layoutDir = directory + "/layouts", imageDir = directory + "/images"
        guard let layouts = try? fm.contentsOfDirectory(atPath: layoutDir) else {
            throw Failure("\(directory): has no layouts/ directory (expected DIR/layouts/NNNNNN.png and DIR/images/NNNNNN.png)")
        }
        guard let images = try? fm.contentsOfDirectory(atPath: imageDir) else {
            throw Failure("\(directory): has no images/ directory (expected DIR/layouts/NNNNNN.png and DIR/images/NNNNNN.png)")
        }
        // A dataset still being synthesised says so in its manifest: training on
        // a moving set of files would not be reproducible.
        if let data = fm.contents(atPath: directory + "/manifest.json"),
           let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           manifest["complete"] as? Bool == false {
            throw Failure("\(directory): manifest.json says the dataset is incomplete (synthesis still running or stopped): finish it first")
        }
        names = Self.pairNames(layoutFiles: layouts, imageFiles: images)
        guard let first = names.first else {
            throw Failure("\(directory): no layout/image pairs (layouts/X.png with a matching images/X.png)")
        }
        if let palette {
            self.palette = palette
        } else {
            self.palette = try LayoutFile.read(path: layoutDir + "/" + first, library: library).palette
        }
    }
}
