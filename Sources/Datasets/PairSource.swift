import Layouts

/// One layout/image pair of a dataset: a name (for messages and ordering) and its two files.
public struct DatasetPair: Sendable, Equatable {
    public var name: String
    public var layoutPath: String
    public var imagePath: String

    public init(name: String, layoutPath: String, imagePath: String) {
        self.name = name
        self.layoutPath = layoutPath
        self.imagePath = imagePath
    }
}

/// One way a directory can hold layout/image pairs. `PairedDataset` asks the
/// sources in `PairSources.all` which one recognises a directory; a new layout
/// (Cityscapes gtFine/leftImg8bit, ADE20K images/annotations, COCO-Stuff) is a
/// new conforming type in its own file plus one entry in that list.
public protocol PairSource: Sendable {
    /// Shown in messages: what the directory was expected to hold.
    var expected: String { get }
    /// True when `directory` has this source's shape (its subdirectories exist).
    func recognizes(_ directory: String) -> Bool
    /// Every pair in `directory`, in a fixed order. Throws `DatasetError`
    /// (missing subdirectory, no pairs) naming the directory.
    func pairs(in directory: String) throws -> [DatasetPair]
    /// The palette of the source's class ids when its files do not name one
    /// (e.g. "cityscapes"); looked up in the palette library.
    var paletteName: String? { get }
    /// Reads a layout file with the dataset's palette (label-id PNGs, indexed PNGs).
    func readLayout(path: String, palette: Palette) throws -> Layout
    /// Reads an image file (a source with JPEG images reads them here).
    func readImage(path: String) throws -> RGBImage
}

extension PairSource {
    public var paletteName: String? { nil }

    public func readLayout(path: String, palette: Palette) throws -> Layout {
        try LayoutFile.read(path: path, palette: palette)
    }

    public func readImage(path: String) throws -> RGBImage {
        try RGBImage.read(path: path)
    }
}

/// The directory layouts `PairedDataset` knows, tried in this order; the first
/// is the one named in the message when a directory matches none.
public enum PairSources {
    public static let all: [any PairSource] = [
        LayoutsImagesSource(),
        CityscapesSource(),
        ADE20KSource(),
        COCOStuffSource(),
    ]

    /// The source whose shape `directory` has, else the first (whose `pairs`
    /// then says what is missing).
    public static func detect(_ directory: String) -> any PairSource {
        all.first { $0.recognizes(directory) } ?? all[0]
    }
}
