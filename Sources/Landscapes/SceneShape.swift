/// The geometry of one thing in a scene.
enum ShapeGeometry: Sendable {
    case sky
    case ridge(Ridge)
    case snowCap(Ridge)
    case hill(Hill)
    case ground(GroundPlane)
    case region(GroundRegion)
    case cloud(Cloud)
    case tree(Tree)
    case blob(Blob)
    case house(House)
    case fence(Fence)
    case boat(Boat)
}

/// One thing in a scene: geometry, class, distance (painter's order) and screen bounds.
struct SceneShape: Sendable {
    let geometry: ShapeGeometry
    let classID: LandscapeClass
    /// Metres from the camera; shapes are painted far to near.
    let depth: Float
    let bounds: ScreenRect
    /// Per-object randomness for materials (colours, textures).
    let seed: UInt32

    /// Point test in normalised image coordinates. `minHalfWidth` keeps thin
    /// strokes at least a pixel wide.
    @inline(__always) func contains(_ u: Float, _ v: Float, camera: Camera, minHalfWidth: Float) -> Bool {
        switch geometry {
        case .sky: return true
        case .ridge(let r): return v >= r.top(u)
        case .snowCap(let r):
            let top = r.top(u)
            guard v >= top else { return false }
            return r.isSnow(u: u, v: v, top: top, depth: r.snowDepth(profile: r.profile(u)))
        case .hill(let h): return v >= h.top(u) && v <= h.bottomV
        case .ground(let g): return v >= g.topV
        case .region(let region):
            let p = camera.groundPoint(u: u, v: v)
            return region.contains(x: p.x, z: p.y)
        case .cloud(let c): return c.density(u, v) > 0
        case .tree(let t): return t.contains(u, v, minHalfWidth: minHalfWidth)
        case .blob(let b): return b.contains(u, v)
        case .house(let h): return h.faceIndex(u, v) >= 0
        case .fence(let f): return f.strokeIndex(u, v, minHalfWidth: minHalfWidth) >= 0
        case .boat(let b): return b.part(u, v, minHalfWidth: minHalfWidth) != .none
        }
    }
}
