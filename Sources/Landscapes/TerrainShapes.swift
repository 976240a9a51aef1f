#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A distant mountain range: a silhouette of peaks over the horizon, snow above a level.
struct Ridge: Sendable {
    struct Peak: Sendable {
        var center: Float
        var height: Float      // 0...1 of the ridge height
        var leftWidth: Float
        var rightWidth: Float
        var sharpness: Float   // exponent: >1 concave flanks, <1 domed
    }
    let baseV: Float
    let height: Float
    let peaks: [Peak]
    let roughness: Float
    let seed: UInt32
    /// Profile value above which snow lies (above 1: no snow).
    let snowLevel: Float
    /// How far snow reaches down, as a multiple of the height above the snow level.
    let snowDepth: Float
    let distance: Float

    func profile(_ u: Float) -> Float {
        var p: Float = 0.06 + 0.05 * Noise.fbm1D(u * 2.5, seed &+ 5, octaves: 2)
        for peak in peaks {
            let d = u - peak.center
            let t = abs(d) / (d < 0 ? peak.leftWidth : peak.rightWidth)
            if t < 1 { p = max(p, peak.height * powf(1 - t, peak.sharpness)) }
        }
        let detail = Noise.ridged1D(u * 9 / max(height, 0.05) * 0.25, seed, octaves: 4) - 0.5
        return max(0, p + roughness * detail * (0.25 + p))
    }

    @inline(__always) func top(_ u: Float) -> Float { baseV - height * profile(u) }

    /// How far below the crest the snow reaches in this column (0: none).
    @inline(__always) func snowDepth(profile p: Float) -> Float {
        p > snowLevel ? (p - snowLevel) * height * snowDepth : 0
    }

    /// Snow test for a point already known to be inside the ridge.
    @inline(__always) func isSnow(u: Float, v: Float, top: Float, depth: Float) -> Bool {
        guard depth > 0 else { return false }
        let below = v - top
        if below > depth * 1.6 { return false }
        let streak = Noise.fbm(u * 70 / height * 0.12, v * 14 / height * 0.12, seed &+ 77, octaves: 3)
        return below < depth * (0.85 + 0.75 * streak)
    }
}

/// A band of land whose top is a curve: rolling hills, a forest edge, dunes, a
/// headland. It fills everything below its top (nearer layers cover the rest).
struct Hill: Sendable {
    enum Surface: Sendable { case smooth, deciduousCrowns, coniferCrowns }
    let baseV: Float
    let amplitude: Float
    let frequency: Float
    let seed: UInt32
    let surface: Surface
    let crownSize: Float
    /// Optional horizontal extent; outside it the top drops away quickly.
    let u0: Float
    let u1: Float
    let edge: Float
    /// Lowest row it covers: below this the ground in front shows (islands,
    /// headlands); a full-width range fills to the bottom.
    let bottomV: Float
    let distance: Float
    /// A jagged rock outcrop rising from the ground inside its extent.
    let crag: Bool

    func smoothTop(_ u: Float) -> Float {
        if crag {
            let ground = bottomV - 0.002
            let w = smoothstep(u0 - edge, u0 + edge * 0.6, u) * (1 - smoothstep(u1 - edge * 0.6, u1 + edge, u))
            let jag = Noise.ridged1D(u * frequency * 5, seed, octaves: 4)
            return ground - w * ((ground - baseV) * (0.55 + 0.6 * jag) + amplitude * Noise.fbm1D(u * frequency * 2, seed &+ 1))
        }
        var t = baseV - amplitude * (0.5 + 0.5 * Noise.fbm1D(u * frequency, seed, octaves: 3))
        if u < u0 { let e = (u0 - u) / edge; t += e * e * 0.25 + e * 0.05 }
        if u > u1 { let e = (u - u1) / edge; t += e * e * 0.25 + e * 0.05 }
        return t
    }

    /// The crown a column belongs to: (index, offset -1...1 from its centre, bump height).
    @inline(__always) func crown(_ u: Float) -> (Int32, Float, Float) {
        let s = crownSize
        let j = Int32((u / s).rounded(.down))
        var best: (Int32, Float, Float) = (j, 0, 0)
        for k in (j &- 1)...(j &+ 1) {
            let c1 = Noise.cell(k, 1, seed), c2 = Noise.cell(k, 2, seed)
            let cx = (Float(k) + 0.5 + 0.35 * (c1 - 0.5)) * s
            let r = s * (0.75 + 0.45 * c2)
            let d = (u - cx) / r
            guard abs(d) < 1 else { continue }
            let h: Float
            switch surface {
            case .coniferCrowns: h = (1 - abs(d)) * r * (1.6 + 0.8 * c1)
            default: h = (1 - d * d).squareRoot() * r * (0.8 + 0.3 * c1)
            }
            if h > best.2 { best = (k, d, h) }
        }
        return best
    }

    func top(_ u: Float) -> Float {
        let t = smoothTop(u)
        switch surface {
        case .smooth: return t
        default: return t - crown(u).2
        }
    }
}

/// Flat ground from a row down: grass, snow or sand under everything else.
struct GroundPlane: Sendable {
    let topV: Float
}

/// A curve z(x) across the ground: a shoreline or a field edge.
struct Shoreline: Sendable {
    let z0: Float
    let slope: Float
    let amplitude: Float
    let wavelength: Float
    let seed: UInt32

    @inline(__always) func z(atX x: Float) -> Float {
        z0 + slope * x + amplitude * Noise.fbm1D(x / wavelength, seed, octaves: 3)
    }
}

/// A winding centre line x(z) for rivers and roads.
struct Meander: Sendable {
    let x0: Float
    let drift: Float
    let amplitude1: Float, wavelength1: Float, phase1: Float
    let amplitude2: Float, wavelength2: Float, phase2: Float

    @inline(__always) func x(atZ z: Float) -> Float {
        x0 + drift * z + amplitude1 * sinf(z / wavelength1 + phase1) + amplitude2 * sinf(z / wavelength2 + phase2)
    }
}

/// A region of the ground plane in world coordinates: lakes, rivers, the sea,
/// beaches, roads, flower patches.
struct GroundRegion: Sendable {
    enum Form: Sendable {
        case ellipse(center: SIMD2<Float>, radii: SIMD2<Float>, wobble: Float)
        /// |x - path(z)| < halfWidth between near and far.
        case band(path: Meander, halfWidth: Float, near: Float, far: Float, wobble: Float)
        /// z beyond the line (the sea, a beach).
        case beyond(Shoreline)
        /// Between two lines (a lake across the view, a quay).
        case between(near: Shoreline, far: Shoreline)
    }
    let form: Form
    let seed: UInt32

    @inline(__always) func contains(x: Float, z: Float) -> Bool {
        switch form {
        case .ellipse(let c, let r, let wobble):
            let dx = (x - c.x) / r.x, dz = (z - c.y) / r.y
            let d2 = dx * dx + dz * dz
            if d2 > 1.8 { return false }
            return d2 < 1 + wobble * Noise.fbm(dx * 1.7, dz * 1.7, seed, octaves: 2)
        case .band(let path, let halfWidth, let near, let far, let wobble):
            guard z >= near && z <= far else { return false }
            let w = halfWidth * (1 + wobble * Noise.fbm1D(z / (halfWidth * 6), seed, octaves: 2))
            return abs(x - path.x(atZ: z)) < w
        case .beyond(let line):
            return z > line.z(atX: x)
        case .between(let near, let far):
            return z > near.z(atX: x) && z < far.z(atX: x)
        }
    }

    /// Nearest and farthest distance the region can reach (for its screen rows).
    var distanceRange: (Float, Float) {
        switch form {
        case .ellipse(let c, let r, _): return (max(0.5, c.y - r.y * 1.4), c.y + r.y * 1.4)
        case .band(_, _, let near, let far, _): return (max(0.5, near), far)
        case .beyond(let line): return (max(0.5, line.z0 - abs(line.amplitude) * 1.5 - 1e4 * abs(line.slope)), .infinity)
        case .between(let near, let far):
            return (max(0.5, near.z0 - abs(near.amplitude) * 1.5 - 1e4 * abs(near.slope)),
                    far.z0 + abs(far.amplitude) * 1.5 + 1e4 * abs(far.slope))
        }
    }
}
