import Foundation
import Layouts
import Support

/// manifest.json of a dataset: what made it and what is in it. The one parser
/// of the file. `scenepaint dataset synth` writes every field; other tools may
/// write only some (a palette name, a class list), so all but `complete`,
/// `classes` and `compositions` are optional, and those three default to
/// "complete", none and none when absent.
public struct DatasetManifest: Codable, Sendable, Equatable {
    public struct ClassShare: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var color: RGBColor?
        /// Share of all pixels.
        public var pixelShare: Double?
        /// Share of images in which the class occurs.
        public var imageShare: Double?

        public init(id: Int, name: String, color: RGBColor?, pixelShare: Double?, imageShare: Double?) {
            self.id = id
            self.name = name
            self.color = color
            self.pixelShare = pixelShare
            self.imageShare = imageShare
        }
    }

    public var format: String?
    public var version: Int?
    /// The palette's name (looked up in the palette library by readers).
    public var palette: String?
    public var seed: UInt64?
    public var split: String?
    public var count: Int?
    public var width: Int?
    public var height: Int?
    public var supersampling: Int?
    /// False while synthesis runs (or was interrupted); true when every pair exists.
    public var complete: Bool
    public var classes: [ClassShare]
    /// Pairs per composition.
    public var compositions: [String: Int]

    public static let fileName = "manifest.json"

    public init(format: String = "scenepaint-landscapes", version: Int = 1, palette: String, seed: UInt64,
                split: String?, count: Int, width: Int, height: Int, supersampling: Int, complete: Bool,
                classes: [ClassShare], compositions: [String: Int]) {
        self.format = format
        self.version = version
        self.palette = palette
        self.seed = seed
        self.split = split
        self.count = count
        self.width = width
        self.height = height
        self.supersampling = supersampling
        self.complete = complete
        self.classes = classes
        self.compositions = compositions
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        palette = try c.decodeIfPresent(String.self, forKey: .palette)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        split = try c.decodeIfPresent(String.self, forKey: .split)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        width = try c.decodeIfPresent(Int.self, forKey: .width)
        height = try c.decodeIfPresent(Int.self, forKey: .height)
        supersampling = try c.decodeIfPresent(Int.self, forKey: .supersampling)
        complete = try c.decodeIfPresent(Bool.self, forKey: .complete) ?? true
        classes = try c.decodeIfPresent([ClassShare].self, forKey: .classes) ?? []
        compositions = try c.decodeIfPresent([String: Int].self, forKey: .compositions) ?? [:]
    }

    /// The manifest in `directory`, or nil when it has none.
    public static func read(directory: String) throws -> DatasetManifest? {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadableManifest(path: path, detail: "cannot be read")
        }
        do {
            return try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch let error as DecodingError {
            throw DatasetError.unreadableManifest(path: path, detail: Self.describe(error))
        }
    }

    public func write(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory + "/" + Self.fileName)
    }

    /// The palette the class list describes, when it gives every class a colour.
    func classPalette(path: String) throws -> Palette? {
        guard !classes.isEmpty else { return nil }
        var paletteClasses: [PaletteClass] = []
        for cls in classes {
            guard let color = cls.color else { return nil }
            paletteClasses.append(PaletteClass(id: cls.id, name: cls.name, color: color))
        }
        do {
            return try Palette(name: palette ?? "dataset", classes: paletteClasses)
        } catch let error as PaletteError {
            throw DatasetError.manifestPalette(path: path, detail: error.message)
        }
    }

    /// A decoding error as "key a.b: what" rather than Foundation's debug dump.
    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + ": "
        }
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return at(context.codingPath) + context.debugDescription
        case let .keyNotFound(key, context):
            return at(context.codingPath) + "\"\(key.stringValue)\" is missing"
        @unknown default:
            return "\(error)"
        }
    }
}
