import Foundation
import Support

/// One semantic class: the id stored in layout files, a name, a display colour.
public struct PaletteClass: Hashable, Sendable, Codable {
    public var id: Int
    public var name: String
    public var color: RGBColor

    public init(id: Int, name: String, color: RGBColor) {
        self.id = id
        self.name = name
        self.color = color
    }
}

/// A set of semantic classes. Ids are 0...255 (they are stored as 8-bit
/// indices in layout PNGs); names, ids and colours are unique, so a colour
/// PNG maps back to ids without ambiguity.
///
/// JSON format (palettes/NAME.json):
/// ```
/// { "name": "landscape",
///   "description": "optional text",
///   "ignore": 255,                       // optional: id meaning "don't care"
///   "classes": [ { "id": 0, "name": "sky", "color": [110, 160, 230] }, ... ] }
/// ```
public struct Palette: Sendable, Equatable {
    public let name: String
    public let description: String
    public let classes: [PaletteClass]
    public let ignoreID: Int?
    /// classIndex[id] = position in `classes`, or -1.
    private let classIndex: [Int]

    public static let maxID = 255

    public init(name: String, description: String = "", classes: [PaletteClass], ignoreID: Int? = nil) throws {
        let where_ = "palette \(name)"
        guard !classes.isEmpty else { throw PaletteError(source: where_, message: "has no classes") }
        var index = [Int](repeating: -1, count: Palette.maxID + 1)
        var colors: [UInt32: Int] = [:]
        var names: [String: Int] = [:]
        for (position, cls) in classes.enumerated() {
            guard (0...Palette.maxID).contains(cls.id) else {
                throw PaletteError(source: where_, message: "class \"\(cls.name)\" has id \(cls.id), outside 0-\(Palette.maxID)")
            }
            guard !cls.name.isEmpty else {
                throw PaletteError(source: where_, message: "class id \(cls.id) has an empty name")
            }
            if index[cls.id] >= 0 {
                throw PaletteError(source: where_, message: "id \(cls.id) is used twice (\"\(classes[index[cls.id]].name)\" and \"\(cls.name)\")")
            }
            if let other = colors[cls.color.packed] {
                throw PaletteError(source: where_, message: "colour \(cls.color) is used twice (id \(classes[other].id) \"\(classes[other].name)\" and id \(cls.id) \"\(cls.name)\")")
            }
            if let other = names[cls.name] {
                throw PaletteError(source: where_, message: "name \"\(cls.name)\" is used twice (ids \(classes[other].id) and \(cls.id))")
            }
            index[cls.id] = position
            colors[cls.color.packed] = position
            names[cls.name] = position
        }
        if let ignoreID, !(0...Palette.maxID).contains(ignoreID) {
            throw PaletteError(source: where_, message: "ignore id \(ignoreID) is outside 0-\(Palette.maxID)")
        }
        self.name = name
        self.description = description
        self.classes = classes
        self.ignoreID = ignoreID
        self.classIndex = index
    }

    /// Number of classes (a model's class count).
    public var count: Int { classes.count }
    /// One more than the largest id: the size of id-indexed tables.
    public var idLimit: Int { (classes.map(\.id).max() ?? 0) + 1 }

    public func contains(id: Int) -> Bool { id >= 0 && id <= Palette.maxID && classIndex[id] >= 0 }
    public func position(ofID id: Int) -> Int? {
        guard id >= 0 && id <= Palette.maxID else { return nil }
        let p = classIndex[id]
        return p >= 0 ? p : nil
    }
    public func `class`(id: Int) -> PaletteClass? { position(ofID: id).map { classes[$0] } }
    public func `class`(named name: String) -> PaletteClass? {
        classes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
    public func color(id: Int) -> RGBColor { self.class(id: id)?.color ?? RGBColor(0, 0, 0) }

    /// Colour table indexed by id (256 entries; unknown ids are black).
    public var colorTable: [RGBColor] {
        (0...Palette.maxID).map { color(id: $0) }
    }

    /// Id for an exact colour, or nil.
    public func id(forColor color: RGBColor) -> Int? {
        classes.first { $0.color == color }?.id
    }

    // MARK: JSON

    private struct FileFormat: Codable {
        var name: String
        var description: String?
        var ignore: Int?
        var classes: [PaletteClass]
    }

    /// Parses palette JSON; `source` names the file in error messages.
    public static func decode(json: Data, source: String) throws -> Palette {
        let file: FileFormat
        do {
            file = try JSONDecoder().decode(FileFormat.self, from: json)
        } catch let error as DecodingError {
            throw PaletteError(source: source, message: Self.fractionalNumber(in: json) ?? Self.describe(error))
        } catch {
            throw PaletteError(source: source, message: "is not valid JSON")
        }
        do {
            return try Palette(name: file.name, description: file.description ?? "", classes: file.classes, ignoreID: file.ignore)
        } catch let error as PaletteError {
            throw PaletteError(source: source, message: error.message)
        }
    }

    public static func load(path: String) throws -> Palette {
        let data = try ReadableFile.contents(of: path, expected: "a palette JSON file") { PaletteError(source: path, message: $0) }
        return try decode(json: data, source: path)
    }

    public func encodeJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let file = FileFormat(name: name, description: description.isEmpty ? nil : description, ignore: ignoreID, classes: classes)
        return (try? encoder.encode(file)) ?? Data()
    }

    /// Foundation's decoder on Linux reports a fractional number where an Int
    /// belongs (an id of 1.5) exactly as unparsable text, with no path. Every
    /// number in a palette is a whole one, so the first fractional number in
    /// well-formed JSON is the cause; nil when there is none.
    private static func fractionalNumber(in json: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: json) else { return nil }
        func find(_ value: Any, _ path: String) -> String? {
            switch value {
            case let object as [String: Any]:
                for key in object.keys.sorted() {
                    if let hit = find(object[key]!, path.isEmpty ? key : "\(path).\(key)") { return hit }
                }
            case let array as [Any]:
                for (i, element) in array.enumerated() {
                    if let hit = find(element, "\(path)[\(i)]") { return hit }
                }
            case let number as NSNumber:  // true/false read as 1/0: whole, never reported
                let v = number.doubleValue
                if v != v.rounded() { return "has \(number) at \(path), where a whole number belongs" }
            default: break
            }
            return nil
        }
        return find(root, "")
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ ctx: DecodingError.Context) -> String {
            let parts = ctx.codingPath.map { key -> String in
                if let i = key.intValue { return "[\(i)]" }
                return "." + key.stringValue
            }.joined()
            return parts.isEmpty ? "" : " at \(parts.hasPrefix(".") ? String(parts.dropFirst()) : parts)"
        }
        switch error {
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "is not valid JSON" }
            return "has a bad value\(path(ctx)): \(ctx.debugDescription)"
        case .keyNotFound(let key, let ctx):
            return "is missing \"\(key.stringValue)\"\(path(ctx))"
        case .typeMismatch(_, let ctx) where ctx.codingPath.isEmpty:
            return "is not a palette: the top level must be an object with \"name\" and \"classes\" (as palettes/landscape.json)"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "has a value of the wrong type\(path(ctx))"
        @unknown default:
            return "is not a valid palette"
        }
    }
}

public struct PaletteError: UserFacingError, Equatable {
    public let source: String
    public let message: String
    public var description: String { "\(source): \(message)" }
}
