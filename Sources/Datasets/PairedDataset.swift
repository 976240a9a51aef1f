import Foundation
import Layouts
import Support

/// The one reader of a dataset directory: its pairs (found by the directory's
/// `PairSource`), its manifest.json if it has one, and its palette.
///
/// Policy for manifest.json's `"complete": false` (synthesis running or
/// stopped): every reader refuses the directory, since training or measuring
/// on a set of files that is still changing would not be reproducible.
///
/// The palette is, in order: the one passed in; the manifest's (by name from
/// the library, else built from its class list); the source's (by name from the
/// library); the one the first layout file names.
public struct PairedDataset: Sendable {
    public let directory: String
    public let source: any PairSource
    public let pairs: [DatasetPair]
    /// Present when the directory has a manifest.json.
    public let manifest: DatasetManifest?
    public let palette: Palette

    public init(directory: String, palette explicit: Palette? = nil, library: PaletteLibrary? = nil,
                source: (any PairSource)? = nil) throws {
        self.directory = directory
        let manifest = try DatasetManifest.read(directory: directory)
        if let manifest, !manifest.complete { throw DatasetError.incomplete(directory: directory) }
        self.manifest = manifest
        let source = source ?? PairSources.detect(directory)
        self.source = source
        pairs = try source.pairs(in: directory)
        if let explicit {
            palette = explicit
        } else if let name = manifest?.palette, let known = library?.palettes.first(where: { $0.name == name }) {
            palette = known
        } else if let built = try manifest?.classPalette(path: directory + "/" + DatasetManifest.fileName) {
            palette = built
        } else if let name = source.paletteName, let known = library?.palettes.first(where: { $0.name == name }) {
            palette = known
        } else {
            palette = try LayoutFile.read(path: pairs[0].layoutPath, library: library).palette
        }
    }

    public var count: Int { pairs.count }

    /// File names of the pairs, in order.
    public var names: [String] { pairs.map(\.name) }

    public func layoutPath(_ index: Int) -> String { pairs[index].layoutPath }
    public func imagePath(_ index: Int) -> String { pairs[index].imagePath }

    /// The layout of pair `index`, read with the dataset's palette.
    public func layout(_ index: Int) throws -> Layout {
        try source.readLayout(path: pairs[index].layoutPath, palette: palette)
    }

    /// The layout and image of pair `index`, checked to have the same size.
    public func read(_ index: Int) throws -> (layout: Layout, image: RGBImage) {
        let layout = try layout(index)
        let image = try source.readImage(path: pairs[index].imagePath)
        guard layout.width == image.width && layout.height == image.height else {
            throw DatasetError.sizeMismatch(imagePath: pairs[index].imagePath, image: (image.width, image.height),
                                            layout: (layout.width, layout.height))
        }
        return (layout, image)
    }

    /// The layout's class ids and the image of pair `index`.
    public func pair(_ index: Int) throws -> (labels: LabelMap, image: RGBImage) {
        let (layout, image) = try read(index)
        return (layout.labels, image)
    }
}
