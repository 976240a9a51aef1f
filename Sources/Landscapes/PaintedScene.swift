/// The kinds of painter-like layout the painted sampler makes: the scenes people
/// paint in the editor rather than the procedural world's camera views.
public enum PaintedRecipe: String, CaseIterable, Sendable, Codable {
    /// Flat bands (sky, mountains, ground of any class) with objects on them.
    case bands
    /// A street: a road, houses drawn as boxes with roofs, fences, trees.
    case village
    /// A flower field filling the foreground.
    case flowerField = "flower-field"
    /// Rocks scattered over sand, grass or snow.
    case rockField = "rock-field"
    /// Water to the bottom edge (often with no shore at all), boats, an island.
    case openWater = "open-water"
    /// A river of any width, down to one stroke, with boats on it.
    case river
    /// One thing as big as the canvas: a house, a tree, a boat, a rock...
    case bigObject = "big-object"
    /// A forest wall behind a pond, bushes and flowers around it.
    case forestPond = "forest-pond"
    /// Any classes at any sizes and shapes over a filled canvas.
    case collage

    public var weight: Float {
        switch self {
        case .bands: return 0.16
        case .village: return 0.13
        case .flowerField: return 0.1
        case .rockField: return 0.08
        case .openWater: return 0.1
        case .river: return 0.1
        case .bigObject: return 0.13
        case .forestPond: return 0.08
        case .collage: return 0.12
        }
    }

    /// The name in manifests: painted kinds are told apart from procedural compositions.
    public var manifestName: String { "painted-" + rawValue }

    public static func random(using rng: inout SeededGenerator) -> PaintedRecipe {
        rng.pick(allCases.map { ($0, $0.weight) })
    }
}

/// A painted layout in vector form: strokes painted in order over each other, with
/// the horizon the renderer lights the sky and ground by. Resolution independent.
public struct PaintedScene: Sendable {
    public let seed: UInt64
    public let recipe: PaintedRecipe
    public let aspect: Float
    /// Row of the horizon (0 top ... 1 bottom; may lie outside the image).
    public let horizon: Float
    /// Snow on the ground: the render uses the winter season.
    public let isWinter: Bool
    let strokes: [PaintStroke]

    public var strokeCount: Int { strokes.count }

    /// The class of every sample of a factor x factor grid per pixel (row-major,
    /// width*factor by height*factor). The layout is the centre sample of each pixel.
    public func classSamples(width: Int, height: Int, factor: Int) -> [UInt8] {
        let sw = width * factor, sh = height * factor
        let scale = Float(sh), step = 1 / scale
        var out = [UInt8](repeating: LandscapeClass.sky.rawValue, count: sw * sh)
        out.withUnsafeMutableBufferPointer { buffer in
            for stroke in strokes {
                let id = stroke.classID.rawValue
                if case .fill = stroke.shape { buffer.update(repeating: id); continue }
                let b = stroke.shape.bounds(aspect: aspect)
                let x0 = max(0, Int((b.x * scale - 0.5).rounded(.down)))
                let x1 = min(sw - 1, Int((b.z * scale - 0.5).rounded(.up)))
                let y0 = max(0, Int((b.y * scale - 0.5).rounded(.down)))
                let y1 = min(sh - 1, Int((b.w * scale - 0.5).rounded(.up)))
                guard x1 >= x0 && y1 >= y0 else { continue }
                switch stroke.shape {
                case .below(let line):
                    for x in x0...x1 {
                        let top = line.v((Float(x) + 0.5) * step)
                        var y = max(y0, Int((top * scale - 0.5).rounded(.up)))
                        while y <= y1 { buffer[y * sw + x] = id; y += 1 }
                    }
                case .band(let topLine, let bottomLine):
                    for x in x0...x1 {
                        let u = (Float(x) + 0.5) * step
                        let top = topLine.v(u), bottom = bottomLine.v(u)
                        var y = max(y0, Int((top * scale - 0.5).rounded(.up)))
                        while y <= y1 && (Float(y) + 0.5) * step < bottom { buffer[y * sw + x] = id; y += 1 }
                    }
                default:
                    for y in y0...y1 {
                        let v = (Float(y) + 0.5) * step
                        for x in x0...x1 where stroke.shape.contains((Float(x) + 0.5) * step, v) { buffer[y * sw + x] = id }
                    }
                }
            }
        }
        return out
    }
}
