#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wavy line across the image, v = base + tilt * (u - centre) + amplitude * noise(u):
/// the edge of a painted band (a horizon, a shore, a hill line).
struct PaintLine: Sendable {
    var base: Float
    var tilt: Float = 0
    var amplitude: Float = 0
    /// Waves per image height.
    var frequency: Float = 3
    var seed: UInt32 = 0
    var centre: Float = 0.5

    @inline(__always) func v(_ u: Float) -> Float {
        base + tilt * (u - centre) + (amplitude == 0 ? 0 : amplitude * Noise.fbm1D(u * frequency, seed, octaves: 3))
    }
}

/// What a person paints with: the whole canvas, everything below a line, a band,
/// boxes, ellipses, wobbly blobs, brush strokes of any width and polygons. Coordinates
/// are normalised like the procedural world's: u in [0, aspect], v in [0, 1].
enum PaintShape: Sendable {
    case fill
    case below(PaintLine)
    case band(top: PaintLine, bottom: PaintLine)
    /// A box, rotated by `angle` radians about its centre.
    case box(centre: SIMD2<Float>, half: SIMD2<Float>, angle: Float)
    case ellipse(centre: SIMD2<Float>, radii: SIMD2<Float>, angle: Float)
    /// A roundish blob whose radius wobbles with the angle (a painted patch).
    case blob(centre: SIMD2<Float>, radius: Float, wobble: Float, seed: UInt32)
    /// A brush stroke along a polyline: every point within `halfWidth` of it.
    case stroke(points: [SIMD2<Float>], halfWidth: Float)
    case polygon([SIMD2<Float>])

    /// Point test at a sample position.
    func contains(_ u: Float, _ v: Float) -> Bool {
        switch self {
        case .fill:
            return true
        case .below(let line):
            return v >= line.v(u)
        case .band(let top, let bottom):
            return v >= top.v(u) && v < bottom.v(u)
        case .box(let c, let h, let angle):
            let p = Self.rotate(SIMD2(u, v) - c, -angle)
            return abs(p.x) <= h.x && abs(p.y) <= h.y
        case .ellipse(let c, let r, let angle):
            let p = Self.rotate(SIMD2(u, v) - c, -angle) / r
            return (p * p).sum() <= 1
        case .blob(let c, let radius, let wobble, let seed):
            let d = SIMD2(u, v) - c
            let dist = (d * d).sum().squareRoot()
            if dist <= radius * (1 - wobble) { return true }
            if dist > radius * (1 + wobble) { return false }
            let a = atan2f(d.y, d.x)
            // Noise around the circle, continuous across the -pi/pi seam.
            let w = Noise.gradient(cosf(a) * 1.6 + 10, sinf(a) * 1.6 + 10, seed) * 1.4
            return dist <= radius * (1 + wobble * w)
        case .stroke(let points, let halfWidth):
            let p = SIMD2(u, v)
            if points.count == 1 { let d = p - points[0]; return (d * d).sum() <= halfWidth * halfWidth }
            for i in 0..<(points.count - 1) where Self.segmentDistanceSquared(p, points[i], points[i + 1]) <= halfWidth * halfWidth {
                return true
            }
            return false
        case .polygon(let points):
            // Even-odd rule.
            var inside = false
            var j = points.count - 1
            for i in 0..<points.count {
                let a = points[i], b = points[j]
                if (a.y > v) != (b.y > v) && u < (b.x - a.x) * (v - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
            return inside
        }
    }

    /// Screen bounds (u0, v0, u1, v1), generous; the whole image for lines.
    func bounds(aspect: Float) -> SIMD4<Float> {
        switch self {
        case .fill, .below, .band:
            return SIMD4(0, 0, aspect, 1)
        case .box(let c, let h, _):
            let r = (h * h).sum().squareRoot()
            return SIMD4(c.x - r, c.y - r, c.x + r, c.y + r)
        case .ellipse(let c, let r, _):
            let m = max(r.x, r.y)
            return SIMD4(c.x - m, c.y - m, c.x + m, c.y + m)
        case .blob(let c, let radius, let wobble, _):
            let m = radius * (1 + wobble * 1.5)
            return SIMD4(c.x - m, c.y - m, c.x + m, c.y + m)
        case .stroke(let points, let halfWidth):
            return Self.pointBounds(points, pad: halfWidth)
        case .polygon(let points):
            return Self.pointBounds(points, pad: 0)
        }
    }

    static func pointBounds(_ points: [SIMD2<Float>], pad: Float) -> SIMD4<Float> {
        var lo = SIMD2<Float>(repeating: .infinity), hi = SIMD2<Float>(repeating: -.infinity)
        for p in points { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        return SIMD4(lo.x - pad, lo.y - pad, hi.x + pad, hi.y + pad)
    }

    @inline(__always) static func rotate(_ p: SIMD2<Float>, _ angle: Float) -> SIMD2<Float> {
        let c = cosf(angle), s = sinf(angle)
        return SIMD2(p.x * c - p.y * s, p.x * s + p.y * c)
    }

    @inline(__always) static func segmentDistanceSquared(_ p: SIMD2<Float>, _ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float {
        let ab = b - a, ap = p - a
        let len2 = (ab * ab).sum()
        let t = len2 > 0 ? min(1, max(0, (ap * ab).sum() / len2)) : 0
        let d = ap - ab * t
        return (d * d).sum()
    }
}

/// One dab of paint: a class inside a shape. Later strokes cover earlier ones.
struct PaintStroke: Sendable {
    let classID: LandscapeClass
    let shape: PaintShape
}
