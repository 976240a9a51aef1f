#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects the shapes of one scene and puts them in painting order. The
/// compositions (LandscapeSampler+Compositions.swift) are written with its helpers.
struct SceneBuilder {
    /// Painting phases: within a phase, far before near.
    enum Phase: Int { case sky = 0, cloud, terrain, ground, object }

    var rng: SeededGenerator
    let camera: Camera
    var groundClass: LandscapeClass = .grass
    private var entries: [(shape: SceneShape, phase: Phase, order: Int)] = []
    /// Ground regions in painting order, for placement queries.
    private(set) var regions: [(region: GroundRegion, cls: LandscapeClass)] = []
    /// Full-width terrain layers (ridges, hills) with their distances.
    private(set) var fullHills: [(hill: Hill, cls: LandscapeClass)] = []
    private(set) var nearestTerrain: Float = .infinity

    init(seed: UInt64, camera: Camera) {
        rng = SeededGenerator(seed: seed)
        self.camera = camera
    }

    var aspect: Float { camera.aspect }
    var horizon: Float { camera.horizon }
    /// Row where the visible ground plane begins (behind it: terrain layers).
    var groundTop: Float { nearestTerrain.isFinite ? camera.groundRow(distance: nearestTerrain) : horizon }
    /// Farthest distance of visible ground.
    var groundFar: Float { nearestTerrain.isFinite ? nearestTerrain : 50_000 }

    private mutating func add(_ geometry: ShapeGeometry, _ cls: LandscapeClass, depth: Float, bounds: ScreenRect, phase: Phase) {
        let shape = SceneShape(geometry: geometry, classID: cls, depth: depth, bounds: bounds, seed: rng.noiseSeed())
        entries.append((shape, phase, entries.count))
    }

    func finish(seed: UInt64, composition: Composition, isWinter: Bool) -> LandscapeScene {
        let sorted = entries.sorted { a, b in
            if a.phase != b.phase { return a.phase.rawValue < b.phase.rawValue }
            if a.phase != .ground && a.shape.depth != b.shape.depth { return a.shape.depth > b.shape.depth }
            return a.order < b.order
        }
        return LandscapeScene(seed: seed, composition: composition, camera: camera, isWinter: isWinter,
                              shapes: sorted.map(\.shape))
    }

    // MARK: Sky

    mutating func addSky() {
        add(.sky, .sky, depth: .infinity, bounds: ScreenRect(u0: -1, v0: -1, u1: aspect + 1, v1: 2), phase: .sky)
    }

    mutating func addCumulus(center: SIMD2<Float>, width: Float) {
        let n = rng.int(4...7)
        var puffs: [SIMD3<Float>] = []
        let baseV = center.y + width * 0.12
        for i in 0..<n {
            let t = Float(i) / Float(n - 1) - 0.5
            let r = width * (0.24 - 0.16 * abs(t)) * rng.uniform(0.75, 1.2)
            let x = center.x + t * width * 0.85 + rng.uniform(-0.04, 0.04) * width
            let y = baseV - r * rng.uniform(0.25, 0.75)
            puffs.append(SIMD3(x, y, r))
        }
        // A crown of smaller puffs on top.
        for _ in 0..<rng.int(1...3) {
            let r = width * rng.uniform(0.12, 0.2)
            puffs.append(SIMD3(center.x + rng.uniform(-0.25, 0.25) * width, baseV - width * rng.uniform(0.22, 0.35), r))
        }
        let cloud = Cloud(kind: .cumulus, center: center, size: SIMD2(width * 0.5, width * 0.25), puffs: puffs,
                          baseV: baseV, seed: rng.noiseSeed())
        let b = ScreenRect(u0: center.x - width * 0.85, v0: center.y - width * 0.75, u1: center.x + width * 0.85, v1: baseV)
        add(.cloud(cloud), .cloud, depth: 1e9, bounds: b, phase: .cloud)
    }

    mutating func addStratus(center: SIMD2<Float>, width: Float, height: Float) {
        let cloud = Cloud(kind: .stratus, center: center, size: SIMD2(width * 0.5, height * 0.5), puffs: [],
                          baseV: 2, seed: rng.noiseSeed())
        let b = ScreenRect(u0: center.x - width * 0.65, v0: center.y - height * 0.65,
                           u1: center.x + width * 0.65, v1: center.y + height * 0.65)
        add(.cloud(cloud), .cloud, depth: 1e9, bounds: b, phase: .cloud)
    }

    /// Scatters clouds over the sky: `amount` 0 (clear) ... 1 (many).
    mutating func addClouds(amount: Float) {
        let top: Float = 0.0, bottom = horizon - 0.04
        guard bottom > 0.08 else { return }
        let cumulus = Int((amount * 6 * rng.uniform(0.5, 1.2)).rounded())
        for _ in 0..<cumulus {
            let v = rng.uniform(top + 0.05, bottom - 0.02)
            // Clouds nearer the horizon are farther away and smaller.
            let width = rng.uniform(0.12, 0.32) * (0.45 + 0.8 * (1 - v / max(bottom, 0.1)))
            addCumulus(center: SIMD2(rng.uniform(-0.05, aspect + 0.05), v), width: width)
        }
        let stratus = rng.chance(amount * 0.8) ? rng.int(1...3) : 0
        for _ in 0..<stratus {
            let v = rng.uniform(top + 0.03, bottom)
            addStratus(center: SIMD2(rng.uniform(0, aspect), v), width: rng.uniform(0.3, 0.9),
                       height: rng.uniform(0.03, 0.08))
        }
    }

    // MARK: Terrain

    mutating func addRidge(distance: Float, height: Float, peaks count: Int, snowLevel: Float,
                           snowDepth: Float = 1.2, roughness: Float = 0.35, lift: Float = 0) {
        var peaks: [Ridge.Peak] = []
        for _ in 0..<count {
            let w = rng.uniform(0.18, 0.5) * (0.6 + height * 1.5)
            peaks.append(Ridge.Peak(center: rng.uniform(-0.15, aspect + 0.15), height: rng.uniform(0.45, 1),
                                    leftWidth: w * rng.uniform(0.7, 1.4), rightWidth: w * rng.uniform(0.7, 1.4),
                                    sharpness: rng.uniform(0.9, 1.5)))
        }
        let baseV = camera.groundRow(distance: distance) - lift
        let ridge = Ridge(baseV: baseV, height: height, peaks: peaks, roughness: roughness, seed: rng.noiseSeed(),
                          snowLevel: snowLevel, snowDepth: snowDepth, distance: distance)
        let b = ScreenRect(u0: -0.1, v0: baseV - height * 1.4, u1: aspect + 0.1, v1: 2)
        add(.ridge(ridge), .mountain, depth: distance, bounds: b, phase: .terrain)
        if snowLevel < 1 {
            add(.snowCap(ridge), .snow, depth: distance * 0.9999, bounds: b, phase: .terrain)
        }
        nearestTerrain = min(nearestTerrain, distance)
    }

    /// A band of hills. `rise` lifts its mean top above the row of its own base.
    @discardableResult
    mutating func addHill(distance: Float, rise: Float, amplitude: Float, cls: LandscapeClass,
                          surface: Hill.Surface = .smooth, crownSize: Float = 0.02,
                          extent: (Float, Float)? = nil, edge: Float = 0.15, crag: Bool = false) -> Hill {
        let base = camera.groundRow(distance: distance)
        let full = extent == nil
        let hill = Hill(baseV: base - rise, amplitude: amplitude, frequency: rng.uniform(1.2, 3.5), seed: rng.noiseSeed(),
                        surface: surface, crownSize: crownSize,
                        u0: extent?.0 ?? -10, u1: extent?.1 ?? 10, edge: edge,
                        bottomV: full ? 2 : base + 0.002, distance: distance, crag: crag && !full)
        let crown: Float = surface == .smooth ? 0 : crownSize * 3
        let b = ScreenRect(u0: full ? -0.1 : (extent!.0 - edge * 1.5), v0: base - rise * 1.3 - amplitude - crown - 0.01,
                           u1: full ? aspect + 0.1 : (extent!.1 + edge * 1.5), v1: full ? 2 : base + 0.003)
        add(.hill(hill), cls, depth: distance, bounds: b, phase: full ? .terrain : .object)
        if full {
            nearestTerrain = min(nearestTerrain, distance)
            fullHills.append((hill, cls))
        }
        return hill
    }

    mutating func addGroundPlane() {
        let top = groundTop
        add(.ground(GroundPlane(topV: top)), groundClass, depth: 0, bounds: ScreenRect(u0: -0.1, v0: top, u1: aspect + 0.1, v1: 2),
            phase: .ground)
    }

    mutating func addRegion(_ form: GroundRegion.Form, _ cls: LandscapeClass) {
        let region = GroundRegion(form: form, seed: rng.noiseSeed())
        let (near, far) = region.distanceRange
        let v0 = max(groundTop, far.isFinite ? camera.groundRow(distance: far) : horizon)
        let v1 = camera.groundRow(distance: near)
        add(.region(region), cls, depth: 0, bounds: ScreenRect(u0: -0.1, v0: v0, u1: aspect + 0.1, v1: min(2, v1)), phase: .ground)
        regions.append((region, cls))
    }

    /// What covers the ground at a world point (regions over the ground plane).
    func groundClass(x: Float, z: Float) -> LandscapeClass {
        if z > groundFar { return .sky }
        for (region, cls) in regions.reversed() where region.contains(x: x, z: z) { return cls }
        return groundClass
    }

    /// A random visible ground point between two distances whose surface is one of
    /// `allowed`: (u, v, x, z).
    mutating func groundSpot(near: Float, far: Float, allowed: Set<LandscapeClass>, uRange: (Float, Float)? = nil,
                             tries: Int = 30) -> (u: Float, v: Float, x: Float, z: Float)? {
        let far = min(far, groundFar * 0.97)
        guard far > near else { return nil }
        let vTop = camera.groundRow(distance: far), vBottom = min(1.05, camera.groundRow(distance: near))
        guard vBottom > vTop else { return nil }
        for _ in 0..<tries {
            let v = rng.uniform(vTop, vBottom)
            let u = uRange.map { rng.uniform($0.0, $0.1) } ?? rng.uniform(-0.03, aspect + 0.03)
            let p = camera.groundPoint(u: u, v: v)
            if allowed.contains(groundClass(x: p.x, z: p.y)) { return (u, v, p.x, p.y) }
        }
        return nil
    }

    /// A spot on the visible face of a full-width hill: (u, v, distance).
    mutating func hillSpot(uRange: (Float, Float)? = nil) -> (u: Float, v: Float, z: Float, cls: LandscapeClass)? {
        guard !fullHills.isEmpty else { return nil }
        let sorted = fullHills.sorted { $0.hill.distance > $1.hill.distance }
        let k = rng.int(0...(sorted.count - 1))
        let (hill, cls) = sorted[k]
        let u = uRange.map { rng.uniform($0.0, $0.1) } ?? rng.uniform(0, aspect)
        let top = hill.top(u)
        var bottom = camera.groundRow(distance: hill.distance)
        if k + 1 < sorted.count { bottom = min(bottom, sorted[k + 1].hill.top(u)) } else { bottom = min(bottom, groundTop) }
        guard bottom - top > 0.01 else { return nil }
        let v = rng.uniform(top + (bottom - top) * 0.25, bottom - 0.003)
        return (u, v, hill.distance * 0.995, cls)
    }

    // MARK: Objects

    private func phaseFor(onHill: Bool) -> Phase { onHill ? .terrain : .object }

    mutating func addTree(u: Float, v: Float, distance z: Float, kind: Tree.Kind, heightMetres: Float, onHill: Bool = false) {
        let s = camera.focal / z
        let h = heightMetres * s
        let trunkHalf: Float
        var puffs: [SIMD3<Float>] = []
        var crownWidth: Float, crownTop: Float, crownBottom: Float, trunkTop: Float
        switch kind {
        case .deciduous:
            crownWidth = h * rng.uniform(0.3, 0.42)
            let cy = v - h + crownWidth * 1.0
            crownTop = v - h; crownBottom = cy + crownWidth
            puffs.append(SIMD3(u, cy, crownWidth * 0.78))
            let n = rng.int(4...7)
            for i in 0..<n {
                let a = Float.pi * (1.05 + 0.9 * Float(i) / Float(n - 1)) + rng.uniform(-0.2, 0.2)
                let d = crownWidth * rng.uniform(0.42, 0.58)
                puffs.append(SIMD3(u + cosf(a) * d * 1.1, cy + sinf(a) * d * 0.85 + crownWidth * 0.18,
                                   crownWidth * rng.uniform(0.4, 0.55)))
            }
            puffs.append(SIMD3(u + rng.uniform(-0.2, 0.2) * crownWidth, cy - crownWidth * 0.35, crownWidth * 0.5))
            trunkHalf = h * 0.035
            trunkTop = cy
        case .conifer:
            crownWidth = h * rng.uniform(0.2, 0.27)
            crownTop = v - h; crownBottom = v - h * rng.uniform(0.1, 0.16)
            trunkHalf = h * 0.028
            trunkTop = crownBottom - h * 0.1
        case .poplar:
            crownWidth = h * rng.uniform(0.14, 0.19)
            crownTop = v - h; crownBottom = v - h * 0.14
            trunkHalf = h * 0.03
            trunkTop = crownBottom - h * 0.05
        }
        let trunk = Stroke(a: SIMD2(u, v), b: SIMD2(u, trunkTop), halfWidth: trunkHalf)
        let tree = Tree(kind: kind, base: SIMD2(u, v), height: h, crownWidth: crownWidth, trunk: trunk, puffs: puffs,
                        crownTop: crownTop, crownBottom: crownBottom, seed: rng.noiseSeed())
        let b = ScreenRect(u0: u - crownWidth * 1.45, v0: crownTop - crownWidth * 0.3, u1: u + crownWidth * 1.45, v1: v + 0.004)
        add(.tree(tree), .tree, depth: z, bounds: b, phase: phaseFor(onHill: onHill))
    }

    mutating func addBush(u: Float, v: Float, distance z: Float, sizeMetres: Float, onHill: Bool = false) {
        let s = camera.focal / z
        let w = sizeMetres * s
        let n = rng.int(3...5)
        var puffs: [SIMD3<Float>] = []
        for i in 0..<n {
            let t = Float(i) / Float(n - 1) - 0.5
            let r = w * rng.uniform(0.28, 0.38) * (1 - 0.5 * abs(t))
            puffs.append(SIMD3(u + t * w * 0.7, v - r * rng.uniform(0.7, 1.0), r))
        }
        puffs.append(SIMD3(u + rng.uniform(-0.1, 0.1) * w, v - w * 0.42, w * 0.3))
        let blob = Blob(kind: .bush, center: SIMD2(u, v - w * 0.3), radii: SIMD2(w * 0.5, w * 0.35), baseV: v,
                        puffs: puffs, seed: rng.noiseSeed())
        let b = ScreenRect(u0: u - w * 0.9, v0: v - w * 0.95, u1: u + w * 0.9, v1: v + 0.001)
        add(.blob(blob), .bush, depth: z, bounds: b, phase: phaseFor(onHill: onHill))
    }

    mutating func addBoulder(u: Float, v: Float, distance z: Float, sizeMetres: Float, onHill: Bool = false) {
        let s = camera.focal / z
        let rx = sizeMetres * s * 0.6, ry = rx * rng.uniform(0.55, 0.85)
        let center = SIMD2(u, v - ry * 0.55)
        let blob = Blob(kind: .boulder, center: center, radii: SIMD2(rx, ry), baseV: v + ry * 0.1, puffs: [],
                        seed: rng.noiseSeed())
        let b = ScreenRect(u0: u - rx * 1.3, v0: center.y - ry * 1.3, u1: u + rx * 1.3, v1: v + ry * 0.12)
        add(.blob(blob), .rock, depth: z, bounds: b, phase: phaseFor(onHill: onHill))
    }

    /// A house standing on ground at world (x, z); `baseY` is the ground height there.
    mutating func addHouse(x: Float, z: Float, baseY: Float = 0, width: Float, depth: Float, wallHeight: Float,
                           roofHeight: Float, yaw: Float, onHill: Bool = false) {
        let c = cosf(yaw), sn = sinf(yaw)
        func world(_ lx: Float, _ ly: Float, _ lz: Float) -> SIMD3<Float> {
            SIMD3(x + lx * c - lz * sn, baseY + ly, z + lx * sn + lz * c)
        }
        func screen(_ p: SIMD3<Float>) -> SIMD2<Float> { camera.project(x: p.x, y: p.y, z: p.z) }
        let eye = camera.eye
        let hw = width / 2, hd = depth / 2, o: Float = 0.35
        var faces: [HouseFace] = []
        func face(_ kind: HouseFace.Kind, _ pts: [SIMD3<Float>], axisS: SIMD3<Float>, normal: SIMD3<Float>,
                  width: Float, height: Float, axisT fixedT: SIMD3<Float>? = nil) {
            let t = pts[pts.count - 1] - pts[0]
            let axisT = fixedT ?? t / max((t * t).sum().squareRoot(), 1e-6)
            let poly = ConvexPolygon(pts.map(screen))
            guard poly.area > 1e-9 else { return }
            faces.append(HouseFace(kind: kind, polygon: poly, origin: pts[0], axisS: axisS, axisT: axisT, normal: normal,
                                   width: width, height: height, isFront: false))
        }
        let ax = SIMD3(c, 0, sn), az = SIMD3(-sn, 0, c)
        // Walls with outward normals: corners counter-clockwise seen from outside.
        let walls: [([SIMD3<Float>], SIMD3<Float>, Float, SIMD3<Float>)] = [
            ([world(-hw, 0, -hd), world(hw, 0, -hd), world(hw, wallHeight, -hd), world(-hw, wallHeight, -hd)], ax, width, -az),
            ([world(hw, 0, hd), world(-hw, 0, hd), world(-hw, wallHeight, hd), world(hw, wallHeight, hd)], -ax, width, az),
        ]
        for (pts, axis, w, outward) in walls where (outward * (eye - pts[0])).sum() > 0 {
            face(.wall, pts, axisS: axis, normal: outward, width: w, height: wallHeight)
        }
        let gables: [([SIMD3<Float>], SIMD3<Float>, SIMD3<Float>)] = [
            ([world(hw, 0, -hd), world(hw, 0, hd), world(hw, wallHeight, hd), world(hw, wallHeight + roofHeight, 0),
              world(hw, wallHeight, -hd)], az, ax),
            ([world(-hw, 0, hd), world(-hw, 0, -hd), world(-hw, wallHeight, -hd), world(-hw, wallHeight + roofHeight, 0),
              world(-hw, wallHeight, hd)], -az, -ax),
        ]
        for (pts, axis, outward) in gables where (outward * (eye - pts[0])).sum() > 0 {
            face(.gable, pts, axisS: axis, normal: outward, width: depth, height: wallHeight + roofHeight,
                 axisT: SIMD3(0, 1, 0))
        }
        // Roof planes with a little overhang; drawn last, over the walls.
        let ridgeY = wallHeight + roofHeight, eaveY = wallHeight - o * roofHeight / hd
        let roofs: [([SIMD3<Float>], Float)] = [
            ([world(-hw - o, eaveY, -hd - o), world(hw + o, eaveY, -hd - o), world(hw + o, ridgeY, 0), world(-hw - o, ridgeY, 0)], -1),
            ([world(hw + o, eaveY, hd + o), world(-hw - o, eaveY, hd + o), world(-hw - o, ridgeY, 0), world(hw + o, ridgeY, 0)], 1),
        ]
        let slope = ((hd + o) * (hd + o) + (ridgeY - eaveY) * (ridgeY - eaveY)).squareRoot()
        for (pts, side) in roofs {
            var n = SIMD3<Float>(0, hd + o, 0) + az * side * (ridgeY - eaveY)
            n /= (n * n).sum().squareRoot()
            guard (n * (eye - pts[0])).sum() > 0 else { continue }
            let poly = ConvexPolygon(pts.map(screen))
            guard poly.area > 1e-9 else { continue }
            let t = pts[3] - pts[0]
            faces.append(HouseFace(kind: .roof, polygon: poly, origin: pts[0], axisS: side < 0 ? ax : -ax,
                                   axisT: t / (t * t).sum().squareRoot(), normal: n, width: width + 2 * o,
                                   height: slope, isFront: false))
        }
        guard !faces.isEmpty else { return }
        // The wall that faces the camera most squarely gets the door.
        var best = -1
        var bestDot: Float = -1
        for (i, f) in faces.enumerated() where f.kind != .roof {
            let toEye = eye - f.origin
            let d = (f.normal * toEye).sum() / (toEye * toEye).sum().squareRoot()
            if d > bestDot { bestDot = d; best = i }
        }
        if best >= 0 {
            let f = faces[best]
            faces[best] = HouseFace(kind: f.kind, polygon: f.polygon, origin: f.origin, axisS: f.axisS, axisT: f.axisT,
                                    normal: f.normal, width: f.width, height: f.height, isFront: true)
        }
        var b = ScreenRect.empty
        for f in faces { b.include(SIMD2(f.polygon.bounds.u0, f.polygon.bounds.v0)); b.include(SIMD2(f.polygon.bounds.u1, f.polygon.bounds.v1)) }
        let house = House(faces: faces, bounds: b, storeys: wallHeight > 5 ? 2 : 1, seed: rng.noiseSeed())
        add(.house(house), .house, depth: z, bounds: b.grown(0.002), phase: phaseFor(onHill: onHill))
    }

    /// A rail fence along the ground from (x0, z0) to (x1, z1).
    mutating func addFence(from p0: SIMD2<Float>, to p1: SIMD2<Float>, baseY: Float = 0, height: Float = 1.1,
                           onHill: Bool = false) {
        let d = p1 - p0
        let length = (d * d).sum().squareRoot()
        guard length > 1 else { return }
        let posts = max(2, Int((length / 2.4).rounded(.up)) + 1)
        var strokes: [Stroke] = [], isPost: [Bool] = []
        var tops: [SIMD2<Float>] = [], mids: [SIMD2<Float>] = []
        var b = ScreenRect.empty
        for i in 0..<posts {
            let p = p0 + d * (Float(i) / Float(posts - 1))
            let s = camera.focal / p.y
            let foot = camera.project(x: p.x, y: baseY, z: p.y)
            let top = camera.project(x: p.x, y: baseY + height, z: p.y)
            strokes.append(Stroke(a: foot, b: top, halfWidth: 0.06 * s)); isPost.append(true)
            tops.append(camera.project(x: p.x, y: baseY + height * 0.88, z: p.y))
            mids.append(camera.project(x: p.x, y: baseY + height * 0.45, z: p.y))
            b.include(foot); b.include(top)
        }
        let z = (p0.y + p1.y) * 0.5
        for i in 0..<(posts - 1) {
            let s = camera.focal / max(min(p0.y, p1.y), 1)
            strokes.append(Stroke(a: tops[i], b: tops[i + 1], halfWidth: 0.045 * s)); isPost.append(false)
            strokes.append(Stroke(a: mids[i], b: mids[i + 1], halfWidth: 0.045 * s)); isPost.append(false)
        }
        let fence = Fence(strokes: strokes, isPost: isPost, bounds: b, seed: rng.noiseSeed())
        add(.fence(fence), .fence, depth: z, bounds: b.grown(0.012), phase: phaseFor(onHill: onHill))
    }

    /// A boat on the water at (x, z): `kind` 0 rowing boat, 1 motor boat, 2 sailing boat.
    mutating func addBoat(x: Float, z: Float, length: Float, kind: Int, yaw: Float) {
        let c = cosf(yaw), sn = sinf(yaw)
        func pt(_ lx: Float, _ ly: Float, _ lz: Float) -> SIMD2<Float> {
            camera.project(x: x + lx * c - lz * sn, y: ly, z: z + lx * sn + lz * c)
        }
        let half = length / 2, beam = length * 0.36, freeboard = length * (kind == 0 ? 0.1 : 0.13)
        let hullPoints = [pt(half * 1.05, freeboard * 1.15, 0), pt(-half, freeboard, beam / 2), pt(-half, freeboard, -beam / 2),
                          pt(0, freeboard, beam / 2), pt(0, freeboard, -beam / 2), pt(half * 0.8, 0, 0),
                          pt(-half * 0.92, 0, beam * 0.35), pt(-half * 0.92, 0, -beam * 0.35)]
        let hull = ConvexPolygon(Self.convexHull(hullPoints))
        var cabin: ConvexPolygon? = nil, mast: Stroke? = nil, sail: ConvexPolygon? = nil
        let s = camera.focal / z
        if kind == 1 {
            let cx0 = -half * 0.45, cx1 = half * 0.1, ch = freeboard + length * 0.14, cw = beam * 0.33
            cabin = ConvexPolygon(Self.convexHull([pt(cx0, freeboard, cw), pt(cx0, freeboard, -cw), pt(cx1, freeboard, cw),
                                                   pt(cx1, freeboard, -cw), pt(cx0, ch, cw), pt(cx0, ch, -cw),
                                                   pt(cx1 - length * 0.05, ch, cw), pt(cx1 - length * 0.05, ch, -cw)]))
        } else if kind == 2 {
            let mx = half * 0.12, top = freeboard + length * 1.05
            mast = Stroke(a: pt(mx, freeboard, 0), b: pt(mx, top, 0), halfWidth: 0.06 * s)
            sail = ConvexPolygon([pt(mx - length * 0.02, top * 0.97, 0), pt(mx - length * 0.02, freeboard + length * 0.12, 0),
                                  pt(-half * 0.8, freeboard + length * 0.1, 0)])
            if rng.chance(0.6) {
                // A jib in front of the mast.
                let jib = ConvexPolygon([pt(mx + length * 0.02, top * 0.9, 0), pt(mx + length * 0.02, freeboard + length * 0.1, 0),
                                         pt(half * 0.95, freeboard + length * 0.08, 0)])
                sail = ConvexPolygon(Self.convexHull(sail!.points + jib.points))
            }
        }
        var b = hull.bounds
        if let cabin { b.include(SIMD2(cabin.bounds.u0, cabin.bounds.v0)) }
        if let mast { b.include(mast.a); b.include(mast.b) }
        if let sail { b.include(SIMD2(sail.bounds.u0, sail.bounds.v0)); b.include(SIMD2(sail.bounds.u1, sail.bounds.v1)) }
        let boat = Boat(hull: hull, cabin: cabin, mast: mast, sail: sail, deckV: pt(0, freeboard, 0).y,
                        waterV: pt(0, 0, 0).y, bounds: b, seed: rng.noiseSeed())
        add(.boat(boat), .boat, depth: z, bounds: b.grown(0.006), phase: .object)
    }

    static func convexHull(_ input: [SIMD2<Float>]) -> [SIMD2<Float>] {
        let pts = input.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard pts.count > 2 else { return pts }
        func cross(_ o: SIMD2<Float>, _ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [SIMD2<Float>] = [], upper: [SIMD2<Float>] = []
        for p in pts {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in pts.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
