import Foundation
import Layouts
import Support

/// Reads a dataset written by `DatasetSynthesis` (or any directory with
/// layouts/NNNNNN.png and images/NNNNNN.png of matching names).
public struct DatasetReader: Sendable {
    public let directory: String
    /// Present when the directory has a manifest.json.
    public let manifest: DatasetManifest?
    /// File names (NNNNNN.png) that have both a layout and an image, sorted.
    public let names: [String]

    public init(directory: String) throws {
        self.directory = directory
        manifest = try DatasetManifest.read(directory: directory)
        if let manifest, !manifest.complete {
            throw Failure("\(directory): dataset synthesis did not finish (manifest.json says incomplete): run the same `scenepaint dataset synth` again to complete it")
        }
        let fm = FileManager.default
        guard let layouts = try? fm.contentsOfDirectory(atPath: directory + "/layouts") else {
            throw Failure("\(directory): no layouts/ directory: is it a dataset made by `scenepaint dataset synth`?")
        }
        let images = Set((try? fm.contentsOfDirectory(atPath: directory + "/images")) ?? [])
        names = layouts.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") && images.contains($0) }.sorted()
        guard !names.isEmpty else { throw Failure("\(directory): no layout/image pairs (layouts/X.png with images/X.png)") }
    }

    public var count: Int { names.count }

    /// The layout (landscape palette unless the file names another known one) and image of pair `index`.
    public func pair(at index: Int) throws -> (layout: Layout, image: RGBImage) {
        let name = names[index]
        let layoutPath = directory + "/layouts/" + name, imagePath = directory + "/images/" + name
        let layout = try LayoutFile.read(path: layoutPath, palette: LandscapeClass.palette)
        let image = try RGBImage.read(path: imagePath)
        guard image.width == layout.width && image.height == layout.height else {
            throw Failure("\(imagePath): image is \(image.width)x\(image.height) but its layout is \(layout.width)x\(layout.height)")
        }
        return (layout, image)
    }
}
