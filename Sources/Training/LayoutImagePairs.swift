import Foundation
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

    /// The pair names in `directory`: visible .png files present in both
    /// layouts/ and images/, sorted. A missing directory or no pair at all is
    /// an error naming `directory`.
    static func listPairNames(in directory: String) throws -> [String] {
        func files(_ sub: String) throws -> [String] {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + sub) else {
                throw Failure("\(directory): has no \(sub)/ directory (expected DIR/layouts/NNNNNN.png and DIR/images/NNNNNN.png, as 'scenepaint dataset synth' writes them)")
            }
            return files
        }
        let layouts = try files("layouts"), images = Set(try files("images"))
        let names = layouts.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") && images.contains($0) }.sorted()
        guard !names.isEmpty else {
            throw Failure("\(directory): no layout/image pairs (layouts/X.png with a matching images/X.png)")
        }
        return names
    }
}
