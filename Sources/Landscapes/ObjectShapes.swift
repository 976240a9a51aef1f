#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Index of the last puff (u, v, radius) whose circle, its radius scaled by
/// 1 + `wobble`, holds (u, v), or -1: tree crowns and bushes are heaps of
/// puffs with a noisy outline, and the last puff drawn is the one on top.
@inline(__always) func lastPuff(_ puffs: [SIMD3<Float>], containing u: Float, _ v: Float, wobble: Float) -> Int {
    var found = -1
    for (i, p) in puffs.enumerated() {
        let dx = u - p.x, dy = v - p.y
        if (dx * dx + dy * dy).squareRoot() < p.z * (1 + wobble) { found = i }
    }
    return found
}

/// A cloud: a heap of puffs with a flat base (cumulus) or a noisy streak (stratus).
struct Cloud: Sendable {
    enum Kind: Sendable { case cumulus, stratus }
    let kind: Kind
    let center: SIMD2<Float>
    /// Half extent (u, v).
    let size: SIMD2<Float>
    /// (u, v, radius) of each puff (cumulus).
    let puffs: [SIMD3<Float>]
    let baseV: Float
    let seed: UInt32

    /// Positive inside; larger deeper inside.
    @inline(__always) func density(_ u: Float, _ v: Float) -> Float {
        switch kind {
        case .cumulus:
            if v > baseV { return -1 }
            var best: Float = -1
            for p in puffs {
                let dx = u - p.x, dy = v - p.y
                let d = 1 - (dx * dx + dy * dy).squareRoot() / p.z
                best = max(best, d)
            }
            if best < -0.4 { return best }
            let s = size.y
            return best + 0.22 * Noise.fbm(u / s * 2.2, v / s * 2.2, seed, octaves: 3)
        case .stratus:
            let ex = (u - center.x) / size.x, ey = (v - center.y) / size.y
            let e = ex * ex + ey * ey
            if e > 1.6 { return -1 }
            return (1 - e) * 0.9 + 0.75 * Noise.fbm(ex * 2.5, ey * 1.2, seed, octaves: 4) - 0.35
        }
    }
}

/// A single tree: trunk and crown.
struct Tree: Sendable {
    enum Kind: Sendable { case deciduous, conifer, poplar }
    let kind: Kind
    /// Foot of the trunk.
    let base: SIMD2<Float>
    /// Total height (v units).
    let height: Float
    /// Half width of the crown (v units).
    let crownWidth: Float
    let trunk: Stroke
    /// Deciduous crown puffs (u, v, radius), back to front.
    let puffs: [SIMD3<Float>]
    let crownTop: Float
    let crownBottom: Float
    let seed: UInt32

    /// Conifer half width at row v (0 outside the crown).
    @inline(__always) func coniferHalfWidth(_ v: Float) -> Float {
        let t = (v - crownTop) / (crownBottom - crownTop)
        guard t >= 0 && t <= 1 else { return 0 }
        let tiers: Float = 5
        let saw = (t * tiers) - (t * tiers).rounded(.down)
        return crownWidth * powf(t, 0.85) * (0.7 + 0.3 * saw)
    }

    /// The puff that shows at (u, v), or -1.
    @inline(__always) func puffIndex(_ u: Float, _ v: Float) -> Int {
        lastPuff(puffs, containing: u, v, wobble: 0.17 * Noise.gradient(u / crownWidth * 4.5, v / crownWidth * 4.5, seed))
    }

    func crownContains(_ u: Float, _ v: Float) -> Bool {
        switch kind {
        case .deciduous:
            return puffIndex(u, v) >= 0
        case .conifer:
            let w = coniferHalfWidth(v)
            guard w > 0 else { return false }
            let jag = 1 + 0.15 * Noise.gradient(u / crownWidth * 6, v / crownWidth * 6, seed)
            return abs(u - base.x) < w * jag
        case .poplar:
            let cy = (crownTop + crownBottom) * 0.5, ry = (crownBottom - crownTop) * 0.5
            let dx = (u - base.x) / crownWidth, dy = (v - cy) / ry
            let jag = 1 + 0.14 * Noise.gradient(u / crownWidth * 4, v / crownWidth * 4, seed)
            return dx * dx + dy * dy * (dy < 0 ? 1.3 : 1) < jag
        }
    }

    func contains(_ u: Float, _ v: Float, minHalfWidth: Float) -> Bool {
        crownContains(u, v) || trunk.contains(u, v, minHalfWidth: minHalfWidth * 0.8)
    }
}

/// A bush (a small heap of puffs) or a boulder (a faceted lump), flat at the bottom.
struct Blob: Sendable {
    enum Kind: Sendable { case bush, boulder }
    let kind: Kind
    let center: SIMD2<Float>
    let radii: SIMD2<Float>
    let baseV: Float
    let puffs: [SIMD3<Float>]
    let seed: UInt32

    @inline(__always) func puffIndex(_ u: Float, _ v: Float) -> Int {
        lastPuff(puffs, containing: u, v, wobble: 0.2 * Noise.gradient(u / radii.x * 5, v / radii.x * 5, seed))
    }

    func contains(_ u: Float, _ v: Float) -> Bool {
        if v > baseV { return false }
        switch kind {
        case .bush:
            return puffIndex(u, v) >= 0
        case .boulder:
            let dx = (u - center.x) / radii.x, dy = (v - center.y) / radii.y
            let angle = atan2f(dy, dx)
            let facets = 0.12 * Noise.value1D(angle * 2.2, seed) + 0.05 * Noise.value1D(angle * 6, seed &+ 1)
            return dx * dx + dy * dy < (1 + facets) * (1 + facets)
        }
    }
}

/// One flat face of a house, with the frame needed to texture it.
struct HouseFace: Sendable {
    enum Kind: Sendable { case wall, gable, roof }
    let kind: Kind
    let polygon: ConvexPolygon
    let origin: SIMD3<Float>
    /// Unit vectors along the face (s: horizontal, t: up or up the slope).
    let axisS: SIMD3<Float>
    let axisT: SIMD3<Float>
    let normal: SIMD3<Float>
    let width: Float
    let height: Float
    /// Front face of the house (gets the door).
    let isFront: Bool
}

/// A house: walls, gable ends and a pitched roof, projected in perspective.
struct House: Sendable {
    let faces: [HouseFace]
    let bounds: ScreenRect
    let storeys: Int
    let seed: UInt32

    @inline(__always) func faceIndex(_ u: Float, _ v: Float) -> Int {
        var found = -1
        for i in faces.indices where faces[i].polygon.contains(u, v) { found = i }
        return found
    }
}

/// A fence: posts and rails.
struct Fence: Sendable {
    let strokes: [Stroke]
    /// strokes[i] is a post (else a rail).
    let isPost: [Bool]
    let bounds: ScreenRect
    let seed: UInt32

    @inline(__always) func strokeIndex(_ u: Float, _ v: Float, minHalfWidth: Float) -> Int {
        for i in strokes.indices where strokes[i].contains(u, v, minHalfWidth: minHalfWidth) { return i }
        return -1
    }
}

/// A boat: hull, optional cabin, mast and sail.
struct Boat: Sendable {
    let hull: ConvexPolygon
    let cabin: ConvexPolygon?
    let mast: Stroke?
    let sail: ConvexPolygon?
    let deckV: Float
    let waterV: Float
    let bounds: ScreenRect
    let seed: UInt32

    enum Part: Sendable { case none, hull, cabin, mast, sail }

    @inline(__always) func part(_ u: Float, _ v: Float, minHalfWidth: Float) -> Part {
        if let cabin, cabin.contains(u, v) { return .cabin }
        if hull.contains(u, v) { return .hull }
        if let sail, sail.contains(u, v) { return .sail }
        if let mast, mast.contains(u, v, minHalfWidth: minHalfWidth * 0.8) { return .mast }
        return .none
    }
}
