/// Axis-aligned box in normalised image coordinates.
struct ScreenRect: Sendable {
    var u0: Float, v0: Float, u1: Float, v1: Float

    static let empty = ScreenRect(u0: .infinity, v0: .infinity, u1: -.infinity, v1: -.infinity)

    mutating func include(_ p: SIMD2<Float>) {
        u0 = min(u0, p.x); v0 = min(v0, p.y); u1 = max(u1, p.x); v1 = max(v1, p.y)
    }

    func grown(_ d: Float) -> ScreenRect { ScreenRect(u0: u0 - d, v0: v0 - d, u1: u1 + d, v1: v1 + d) }

    @inline(__always) func contains(_ u: Float, _ v: Float) -> Bool { u >= u0 && u <= u1 && v >= v0 && v <= v1 }
}

/// A convex polygon on screen (any winding).
struct ConvexPolygon: Sendable {
    let points: [SIMD2<Float>]
    let bounds: ScreenRect
    private let orientation: Float

    init(_ points: [SIMD2<Float>]) {
        self.points = points
        var b = ScreenRect.empty
        for p in points { b.include(p) }
        bounds = b
        var area: Float = 0
        for i in 0..<points.count {
            let a = points[i], c = points[(i + 1) % points.count]
            area += a.x * c.y - c.x * a.y
        }
        orientation = area >= 0 ? 1 : -1
    }

    /// Signed area (positive for one winding); tiny polygons are skipped.
    var area: Float {
        var a: Float = 0
        for i in 0..<points.count {
            let p = points[i], c = points[(i + 1) % points.count]
            a += p.x * c.y - c.x * p.y
        }
        return abs(a) * 0.5
    }

    @inline(__always) func contains(_ u: Float, _ v: Float) -> Bool {
        guard bounds.contains(u, v) else { return false }
        let n = points.count
        var j = n - 1
        for i in 0..<n {
            let a = points[j], b = points[i]
            let cross = (b.x - a.x) * (v - a.y) - (b.y - a.y) * (u - a.x)
            if cross * orientation < 0 { return false }
            j = i
        }
        return true
    }
}

/// A straight stroke of given half width (posts, rails, masts, trunks).
struct Stroke: Sendable {
    let a: SIMD2<Float>
    let b: SIMD2<Float>
    let halfWidth: Float

    /// Distance from the stroke's axis, and the position along it (0...1).
    @inline(__always) func distance(_ u: Float, _ v: Float) -> (Float, Float) {
        let d = b - a
        let len2 = max((d * d).sum(), 1e-12)
        let t = min(1, max(0, ((u - a.x) * d.x + (v - a.y) * d.y) / len2))
        let px = a.x + d.x * t - u, py = a.y + d.y * t - v
        return ((px * px + py * py).squareRoot(), t)
    }

    /// Inside, with the half width never below `minHalfWidth` so thin things stay
    /// at least a pixel wide in the layout.
    @inline(__always) func contains(_ u: Float, _ v: Float, minHalfWidth: Float) -> Bool {
        distance(u, v).0 <= max(halfWidth, minHalfWidth)
    }
}
