import Layouts

/// The classes of the landscape world. Raw values are the ids stored in layout
/// files (contiguous 0...14); `palettes/landscape.json` holds the same table.
public enum LandscapeClass: UInt8, CaseIterable, Sendable {
    case sky = 0, cloud, mountain, snow, rock, grass, tree, bush, flower, water, sand, road, house, fence, boat

    public var id: Int { Int(rawValue) }
    public var name: String { "\(self)" }

    /// Editor colour: close to the thing's natural hue so a painted layout reads
    /// as a scene, yet every class is distinct.
    public var color: RGBColor {
        switch self {
        case .sky: return RGBColor(110, 170, 235)
        case .cloud: return RGBColor(200, 210, 228)
        case .mountain: return RGBColor(125, 105, 150)
        case .snow: return RGBColor(250, 250, 250)
        case .rock: return RGBColor(135, 120, 105)
        case .grass: return RGBColor(105, 190, 70)
        case .tree: return RGBColor(30, 105, 45)
        case .bush: return RGBColor(155, 170, 55)
        case .flower: return RGBColor(240, 95, 180)
        case .water: return RGBColor(40, 90, 200)
        case .sand: return RGBColor(232, 206, 140)
        case .road: return RGBColor(85, 85, 90)
        case .house: return RGBColor(205, 70, 50)
        case .fence: return RGBColor(165, 115, 60)
        case .boat: return RGBColor(250, 180, 30)
        }
    }

    /// Classes that cover under 2% of the pixels on average: the small objects the
    /// papers' claims are about (like poles and signs in Cityscapes).
    public static let smallObjects: [LandscapeClass] = [.flower, .house, .fence, .boat]

    /// The landscape palette, identical to `palettes/landscape.json`.
    public static let palette: Palette = {
        let classes = allCases.map { PaletteClass(id: $0.id, name: $0.name, color: $0.color) }
        // The table above is fixed and valid (unique ids, names, colours).
        return try! Palette(name: "landscape",
                            description: "Procedural landscapes: sky, terrain, water, vegetation and small man-made objects",
                            classes: classes)
    }()
}
