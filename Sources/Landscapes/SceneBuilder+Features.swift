#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reusable scene features: mountain ranges, forests, roads, houses, scattered plants.
extension SceneBuilder {
    /// `count` ridges far to near; `snow` 0 (none) ... 1 (heavy).
    mutating func addMountainRange(count: Int, tall: Float, snow: Float) {
        var distance = rng.uniform(14_000, 26_000)
        for i in 0..<count {
            let nearness = Float(i) / Float(max(count - 1, 1))
            let height = tall * rng.uniform(0.55, 1.0) * (count > 1 ? (0.75 + 0.3 * nearness) : 1)
            let level = snow > 0 ? rng.uniform(0.75, 0.92) - 0.45 * snow : 2
            addRidge(distance: distance, height: height, peaks: rng.int(2...5), snowLevel: level,
                     snowDepth: rng.uniform(0.9, 1.6), roughness: rng.uniform(0.25, 0.5))
            distance *= rng.uniform(0.5, 0.7)
        }
    }

    /// A forest edge across the view at `distance`: a band of crowns.
    mutating func addForestBand(distance: Float, rise: Float, conifer: Bool) {
        let crown = rng.uniform(0.012, 0.03) * (1500 / max(distance, 300)).squareRoot()
        addHill(distance: distance, rise: rise, amplitude: rng.uniform(0.005, 0.03), cls: .tree,
                surface: conifer ? .coniferCrowns : .deciduousCrowns, crownSize: min(crown, 0.05))
    }

    mutating func randomTreeKind(conifer: Float) -> Tree.Kind {
        if rng.chance(conifer) { return .conifer }
        return rng.chance(0.15) ? .poplar : .deciduous
    }

    /// Trees standing on the ground (grass or snow) between two distances.
    mutating func scatterTrees(_ count: Int, near: Float, far: Float, conifer: Float, uRange: (Float, Float)? = nil,
                               allowed: Set<LandscapeClass> = [.grass, .snow]) {
        // Nearer than ~12 m a tree fills the frame: not a composition anyone paints.
        let near = max(near, 12)
        for _ in 0..<count {
            guard let spot = groundSpot(near: near, far: far, allowed: allowed, uRange: uRange) else { continue }
            let kind = randomTreeKind(conifer: conifer)
            var h: Float = kind == .conifer ? rng.uniform(8, 22) : rng.uniform(6, 16)
            // A tree at most about as tall as the frame.
            h = min(h, spot.z * 0.8)
            addTree(u: spot.u, v: spot.v, distance: spot.z, kind: kind, heightMetres: h)
        }
    }

    /// A clump of trees around one ground spot (a copse).
    mutating func addCopse(near: Float, far: Float, trees: Int, conifer: Float) {
        guard let spot = groundSpot(near: near, far: far, allowed: [.grass, .snow]) else { return }
        for _ in 0..<trees {
            let x = spot.x + rng.uniform(-12, 12), z = spot.z + rng.uniform(-8, 12)
            guard z > 4, groundClass(x: x, z: z) == groundClass else { continue }
            let p = camera.project(x: x, y: 0, z: z)
            let kind = randomTreeKind(conifer: conifer)
            addTree(u: p.x, v: p.y, distance: z, kind: kind, heightMetres: rng.uniform(7, 18))
        }
    }

    mutating func scatterBushes(_ count: Int, near: Float, far: Float, allowed: Set<LandscapeClass> = [.grass, .snow]) {
        for _ in 0..<count {
            guard let spot = groundSpot(near: max(near, 5), far: far, allowed: allowed) else { continue }
            // A bush right in front of the camera would hide the scene.
            addBush(u: spot.u, v: spot.v, distance: spot.z, sizeMetres: min(rng.uniform(1.0, 3.0), spot.z * 0.25))
        }
    }

    mutating func scatterBoulders(_ count: Int, near: Float, far: Float, allowed: Set<LandscapeClass>, size: (Float, Float) = (0.8, 4)) {
        for _ in 0..<count {
            guard let spot = groundSpot(near: near, far: far, allowed: allowed) else { continue }
            addBoulder(u: spot.u, v: spot.v, distance: spot.z, sizeMetres: rng.uniform(size.0, size.1))
        }
    }

    /// Flower patches on grass.
    mutating func scatterFlowers(_ count: Int, near: Float, far: Float) {
        for _ in 0..<count {
            guard let spot = groundSpot(near: near, far: far, allowed: [.grass]) else { continue }
            let r = rng.uniform(1.2, 4) * (0.6 + spot.z / 70)
            addRegion(.ellipse(center: SIMD2(spot.x, spot.z), radii: SIMD2(r * rng.uniform(1, 2.2), r * rng.uniform(0.7, 1.3)),
                               wobble: 0.5), .flower)
        }
    }

    /// A road (or a dirt path) from the bottom of the view into the distance.
    @discardableResult
    mutating func addRoad(halfWidth: Float, farthest: Float = 1500, entryU: Float? = nil) -> Meander {
        // Stop where the road would be under about two pixels wide at 256 rows.
        let farthest = min(farthest, camera.focal * halfWidth * 220)
        let near: Float = 3
        let u = entryU ?? rng.uniform(aspect * 0.2, aspect * 0.8)
        let x0 = (u - camera.centerU) * 12 / camera.focal
        let path = Meander(x0: x0, drift: rng.uniform(-0.25, 0.25),
                           amplitude1: rng.uniform(3, 25), wavelength1: rng.uniform(25, 90), phase1: rng.uniform(0, 6.28),
                           amplitude2: rng.uniform(1, 8), wavelength2: rng.uniform(8, 25), phase2: rng.uniform(0, 6.28))
        let far = min(farthest, groundFar * 0.98)
        addRegion(.band(path: path, halfWidth: halfWidth, near: near, far: far, wobble: 0.04), .road)
        return path
    }

    /// A house on the ground at a spot, optionally with a fence in front.
    mutating func addHouseWithFence(x: Float, z: Float, fence: Float, yaw: Float? = nil) {
        let width = rng.uniform(6, 11), depth = rng.uniform(5, 9)
        let wall = rng.chance(0.3) ? rng.uniform(5.5, 7) : rng.uniform(3, 4.5)
        let roof = rng.uniform(2, 4.2)
        var angle = yaw ?? rng.uniform(-0.7, 0.7)
        if yaw == nil && rng.chance(0.35) { angle += .pi / 2 }
        addHouse(x: x, z: z, width: width, depth: depth, wallHeight: wall, roofHeight: roof, yaw: angle)
        if rng.chance(fence) && z < 70 {
            let front = z - max(width, depth) * 0.5 - rng.uniform(3, 7)
            let spread = max(width, depth) * rng.uniform(0.7, 1.3)
            addFence(from: SIMD2(x - spread, front), to: SIMD2(x + spread, front + rng.uniform(-2, 2)))
            if rng.chance(0.5) {
                let side = rng.sign()
                addFence(from: SIMD2(x + side * spread, front), to: SIMD2(x + side * spread * 1.1, front + depth * 1.8))
            }
        }
    }

    /// A stretch of field fence across the ground (only where it stands on grass or snow).
    mutating func addFieldFence(near: Float = 10, far: Float = 45) {
        guard let spot = groundSpot(near: near, far: far, allowed: [groundClass]) else { return }
        let half = rng.uniform(8, 35), angle = rng.uniform(-0.5, 0.5)
        let a = SIMD2(spot.x - half * cosf(angle), spot.z - half * sinf(angle))
        let b = SIMD2(spot.x + half * cosf(angle), spot.z + half * sinf(angle))
        guard a.y > 4, b.y > 4, groundClass(x: a.x, z: a.y) == groundClass, groundClass(x: b.x, z: b.y) == groundClass else { return }
        addFence(from: a, to: b, height: rng.uniform(0.9, 1.3))
    }

    /// Houses scattered on grass.
    mutating func scatterHouses(_ count: Int, near: Float, far: Float, fence: Float) {
        for _ in 0..<count {
            guard let spot = groundSpot(near: near, far: far, allowed: [groundClass]) else { continue }
            // Keep the whole footprint on open ground.
            let clear = [(-8, -6), (8, -6), (-8, 8), (8, 8)].allSatisfy { d in
                groundClass(x: spot.x + Float(d.0), z: spot.z + Float(d.1)) == groundClass
            }
            guard clear else { continue }
            addHouseWithFence(x: spot.x, z: spot.z, fence: fence)
        }
    }

    /// Houses and trees on the faces of the full-width hills.
    mutating func populateHills(houses: Int, trees: Int, bushes: Int, conifer: Float) {
        for _ in 0..<houses {
            guard let spot = hillSpot(), spot.cls == .grass || spot.cls == .snow else { continue }
            let x = (spot.u - camera.centerU) * spot.z / camera.focal
            let baseY = camera.eyeHeight - (spot.v - horizon) * spot.z / camera.focal
            addHouse(x: x, z: spot.z, baseY: baseY, width: rng.uniform(7, 12), depth: rng.uniform(6, 9),
                     wallHeight: rng.uniform(3.5, 6), roofHeight: rng.uniform(2.5, 4), yaw: rng.uniform(-0.8, 0.8), onHill: true)
        }
        for _ in 0..<trees {
            guard let spot = hillSpot(), spot.cls == .grass || spot.cls == .snow else { continue }
            let kind = randomTreeKind(conifer: conifer)
            addTree(u: spot.u, v: spot.v, distance: spot.z, kind: kind, heightMetres: rng.uniform(10, 20), onHill: true)
        }
        for _ in 0..<bushes {
            guard let spot = hillSpot(), spot.cls == .grass else { continue }
            addBush(u: spot.u, v: spot.v, distance: spot.z, sizeMetres: rng.uniform(3, 6), onHill: true)
        }
    }

    /// Boats on water between two distances.
    mutating func scatterBoats(_ count: Int, near: Float, far: Float, sail: Float) {
        for _ in 0..<count {
            guard let spot = groundSpot(near: near, far: far, allowed: [.water]) else { continue }
            let kind = rng.chance(sail) ? 2 : (rng.chance(0.5) ? 1 : 0)
            let length: Float = kind == 0 ? rng.uniform(3.5, 5.5) : rng.uniform(6, 11)
            // Keep the whole hull on the water.
            let ok = [-length, length].allSatisfy { groundClass(x: spot.x + $0 * 0.6, z: spot.z) == .water }
                && groundClass(x: spot.x, z: spot.z + length * 0.4) == .water
            guard ok else { continue }
            addBoat(x: spot.x, z: spot.z, length: length, kind: kind, yaw: rng.uniform(-0.5, 0.5) + (rng.chance(0.5) ? .pi : 0))
        }
    }

    /// A ragged shoreline across the view at distance `z`.
    mutating func shoreline(at z: Float, wiggle: Float, slope: Float = 0) -> Shoreline {
        Shoreline(z0: z, slope: slope, amplitude: z * wiggle, wavelength: rng.uniform(15, 60) * (z / 60).squareRoot(),
                  seed: rng.noiseSeed())
    }
}
