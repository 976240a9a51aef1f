import Foundation
import Layouts
import Support

/// A directory of layout/image pairs as `scenepaint dataset synth` writes it:
/// layouts/NNNNNN.png (indexed), images/NNNNNN.png, manifest.json. Only pairs
/// whose both files exist are used, so a dataset still being synthesised can
/// already be read. The palette comes from the manifest (its class list, or its
/// palette name in the library) or from the first layout file.
public struct PairedDataset: LayoutImagePairs {
    public let directory: String
    public let palette: Palette
    /// File names (NNNNNN.png) present in both layouts/ and images/, sorted.
    public let names: [String]

    /// `palette` overrides what the manifest or the files say.
    public init(directory: String, palette explicit: Palette? = nil, library: PaletteLibrary? = nil) throws {
        self.directory = directory
        names = try Self.listPairNames(in: directory)
        if let explicit {
            palette = explicit
        } else if let manifestPalette = try PairedDataset.manifestPalette(directory: directory, library: library) {
            palette = manifestPalette
        } else {
            palette = try LayoutFile.read(path: directory + "/layouts/" + names[0], library: library).palette
        }
    }

    /// The palette named by manifest.json, built from its class list if the library lacks it.
    static func manifestPalette(directory: String, library: PaletteLibrary?) throws -> Palette? {
        struct Manifest: Decodable {
            struct Class: Decodable { var id: Int; var name: String; var color: RGBColor }
            var palette: String?
            var classes: [Class]?
        }
        let path = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            throw Failure("\(path): not a dataset manifest")
        }
        if let name = manifest.palette, let known = library?.palettes.first(where: { $0.name == name }) { return known }
        guard let classes = manifest.classes, !classes.isEmpty else { return nil }
        do {
            return try Palette(name: manifest.palette ?? "dataset",
                               classes: classes.map { PaletteClass(id: $0.id, name: $0.name, color: $0.color) })
        } catch let error as PaletteError {
            throw Failure("\(path): \(error.message)")
        }
    }
}
