import Foundation
import Layouts
import Support

/// manifest.json of a synthesized dataset: what made it and what is in it.
public struct DatasetManifest: Codable, Sendable, Equatable {
    public struct ClassShare: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var color: RGBColor
        /// Share of all pixels.
        public var pixelShare: Double
        /// Share of images in which the class occurs.
        public var imageShare: Double
    }

    public var format: String = "scenepaint-landscapes"
    public var version: Int = 1
    public var palette: String = LandscapeClass.palette.name
    public var seed: UInt64
    public var split: String?
    public var count: Int
    public var width: Int
    public var height: Int
    public var supersampling: Int
    /// False while synthesis runs (or was interrupted); true when every pair exists.
    public var complete: Bool
    public var classes: [ClassShare]
    /// Pairs per composition (painted recipes are named painted-RECIPE).
    public var compositions: [String: Int]
    /// The `--mix` of layout samplers; absent in purely procedural datasets.
    public var mix: String?

    /// The mix as a value (absent or unreadable: procedural).
    public var layoutMix: LayoutMix {
        get { mix.flatMap { try? LayoutMix(parsing: $0) } ?? .procedural }
        set { mix = newValue == .procedural ? nil : newValue.description }
    }

    public static let fileName = "manifest.json"

    public static func read(directory: String) throws -> DatasetManifest? {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure("\(path): cannot be read")
        }
        do {
            return try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch {
            throw Failure("\(path): is not a scenepaint dataset manifest (\(error))")
        }
    }

    public func write(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory + "/" + Self.fileName)
    }
}

/// Where the pairs of a dataset live.
public enum DatasetPaths {
    public static func layout(_ directory: String, index: Int) -> String {
        directory + "/layouts/" + name(index)
    }

    public static func image(_ directory: String, index: Int) -> String {
        directory + "/images/" + name(index)
    }

    public static func name(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".png"
    }
}
