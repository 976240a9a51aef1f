import Layouts
import Support

/// A directory of layout/image pairs, DIR/layouts/NAME.png (indexed layouts)
/// and DIR/images/NAME.png (images), paired by file name. PairedDataset (LGGAN
/// training) and SegmenterDataset (the evaluator) differ in how they find their
/// palette and what they demand of manifest.json; they read pairs the same way.
public protocol LayoutImagePairs: Sendable {
    var directory: String { get }
    /// File names present in both layouts/ and images/, sorted.
    var names: [String] { get }
    var palette: Palette { get }
}

extension LayoutImagePairs {
    public var count: Int { names.count }

    public func layoutPath(_ index: Int) -> String { directory + "/layouts/" + names[index] }
    public func imagePath(_ index: Int) -> String { directory + "/images/" + names[index] }

    /// The layout's ids and the image of pair `index`, checked to have the same size.
    public func pair(_ index: Int) throws -> (labels: LabelMap, image: RGBImage) {
        let layout = try LayoutFile.read(path: layoutPath(index), palette: palette)
        let image = try RGBImage.read(path: imagePath(index))
        guard layout.width == image.width && layout.height == image.height else {
            throw Failure("\(imagePath(index)): image is \(image.width)x\(image.height) but its layout is \(layout.width)x\(layout.height)")
        }
        return (layout.labels, image)
    }

    /// The pair names among two directory listings: visible .png files in both, sorted.
    static func pairNames(layoutFiles: [String], imageFiles: [String]) -> [String] {
        let images = Set(imageFiles)
        return layoutFiles.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") && images.contains($0) }.sorted()
    }
}
