/// Samples scenes: a composition, a camera and everything in view, all from one
/// seed. The same seed gives the same scene at any resolution of the same aspect.
public struct LandscapeSampler: Sendable {
    public init() {}

    public func scene(seed: UInt64, aspect: Float, composition: Composition? = nil) -> LandscapeScene {
        var rng = SeededGenerator(seed: seed)
        let kind = composition ?? Composition.random(using: &rng)
        let (horizon, eye) = Self.cameraRange(kind, rng: &rng)
        let camera = Camera(aspect: aspect, horizon: horizon, eyeHeight: eye, focal: rng.uniform(1.05, 1.4))
        var b = SceneBuilder(seed: SeededGenerator.derive(seed, 0x5CE2E), camera: camera)
        b.addSky()
        switch kind {
        case .lake: b.composeLake()
        case .mountains: b.composeMountains()
        case .village: b.composeVillage()
        case .beach: b.composeBeach()
        case .forest: b.composeForest()
        case .riverValley: b.composeRiverValley()
        case .harbour: b.composeHarbour()
        case .winter: b.composeWinter()
        }
        return b.finish(seed: seed, composition: kind, isWinter: kind == .winter)
    }

    static func cameraRange(_ kind: Composition, rng: inout SeededGenerator) -> (Float, Float) {
        switch kind {
        case .lake: return (rng.uniform(0.4, 0.56), rng.uniform(3, 12))
        case .mountains: return (rng.uniform(0.45, 0.62), rng.uniform(3, 25))
        case .village: return (rng.uniform(0.34, 0.5), rng.uniform(4, 20))
        case .beach: return (rng.uniform(0.38, 0.55), rng.uniform(2.5, 10))
        case .forest: return (rng.uniform(0.4, 0.55), rng.uniform(2, 6))
        case .riverValley: return (rng.uniform(0.34, 0.5), rng.uniform(8, 40))
        case .harbour: return (rng.uniform(0.38, 0.52), rng.uniform(3, 10))
        case .winter: return (rng.uniform(0.38, 0.55), rng.uniform(3, 15))
        }
    }
}
