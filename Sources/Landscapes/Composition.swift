/// The kinds of scene the sampler composes. Each has its own mix of features;
/// random datasets draw them by `weight`.
public enum Composition: String, CaseIterable, Sendable, Codable {
    case lake, mountains, village, beach, forest, riverValley = "river-valley", harbour, winter

    public var weight: Float {
        switch self {
        case .lake: return 0.15
        case .mountains: return 0.13
        case .village: return 0.15
        case .beach: return 0.12
        case .forest: return 0.11
        case .riverValley: return 0.13
        case .harbour: return 0.10
        case .winter: return 0.11
        }
    }

    /// Draws a composition by weight.
    public static func random(using rng: inout SeededGenerator) -> Composition {
        rng.pick(allCases.map { ($0, $0.weight) })
    }
}

/// A sampled scene: camera, composition and the shapes, far to near. Rasterize
/// it for the layout and render it for the image; both are resolution independent.
public struct LandscapeScene: Sendable {
    public let seed: UInt64
    public let composition: Composition
    public let camera: Camera
    /// Snow lies on the ground (winter).
    public let isWinter: Bool
    let shapes: [SceneShape]

    public var shapeCount: Int { shapes.count }
}
