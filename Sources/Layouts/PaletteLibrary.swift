import Foundation
import Support

/// The palettes found in a directory (palettes/*.json), by name.
public struct PaletteLibrary: Sendable {
    public let directory: String
    public let palettes: [Palette]

    public init(directory: String) throws {
        self.directory = directory
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw Failure("cannot read the palette directory \(directory)")
        }
        palettes = try files.map { try Palette.load(path: directory + "/" + $0) }
    }

    public init(palettes: [Palette]) {
        self.directory = ""
        self.palettes = palettes
    }

    /// The bundled library (palettes/ next to the binary or in the working tree).
    public static func bundled(locator: ResourceLocator = .standard()) throws -> PaletteLibrary {
        guard let dir = locator.palettesDirectory else {
            throw Failure("cannot find the palettes/ directory (set SCENEPAINT_HOME to the scenepaint checkout)")
        }
        return try PaletteLibrary(directory: dir)
    }

    public func named(_ name: String) throws -> Palette {
        if let p = palettes.first(where: { $0.name == name }) { return p }
        // Also accept a path to a palette JSON file.
        if name.hasSuffix(".json") { return try Palette.load(path: name) }
        let known = palettes.map(\.name).joined(separator: ", ")
        throw Failure("unknown palette \"\(name)\" (known: \(known))")
    }

    /// Palettes in which every (id, colour) pair of a PNG PLTE for the ids in use matches.
    public func matching(plte: [RGBColor], idsInUse: [Int]) -> [Palette] {
        palettes.filter { palette in
            idsInUse.allSatisfy { id in
                id < plte.count && palette.contains(id: id) && palette.color(id: id) == plte[id]
            }
        }
    }

    /// Palettes whose colours cover every colour in the set.
    public func matching(colors: Set<UInt32>) -> [Palette] {
        palettes.filter { palette in
            let known = Set(palette.classes.map(\.color.packed))
            return colors.isSubset(of: known)
        }
    }
}
