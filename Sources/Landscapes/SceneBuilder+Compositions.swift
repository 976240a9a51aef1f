/// The eight compositions. Each draws its features with its own probabilities so
/// scenes of one kind still vary; see docs/dataset.md for what each contains.
extension SceneBuilder {
    mutating func composeLake() {
        addClouds(amount: rng.uniform(0, 1))
        addMountainRange(count: rng.int(1...3), tall: rng.uniform(0.15, 0.38), snow: rng.chance(0.75) ? rng.uniform(0.2, 1) : 0)
        let forestDistance = rng.uniform(1500, 4000)
        if rng.chance(0.85) {
            addForestBand(distance: forestDistance, rise: rng.uniform(0.0, 0.02), conifer: rng.chance(0.6))
        } else {
            addHill(distance: forestDistance, rise: rng.uniform(0.01, 0.04), amplitude: rng.uniform(0.01, 0.04), cls: .grass)
        }
        addGroundPlane()
        let nearShore = rng.uniform(25, 90)
        let farShore = groundFar * rng.uniform(0.6, 0.9)
        let near = shoreline(at: nearShore, wiggle: 0.25, slope: rng.uniform(-0.3, 0.3))
        if rng.chance(0.6) {
            let sandNear = Shoreline(z0: near.z0 - rng.uniform(4, 12), slope: near.slope, amplitude: near.amplitude,
                                     wavelength: near.wavelength, seed: near.seed)
            addRegion(.between(near: sandNear, far: shoreline(at: farShore * 1.02, wiggle: 0.05)), .sand)
        }
        addRegion(.between(near: near, far: shoreline(at: farShore, wiggle: 0.05)), .water)
        if rng.chance(0.25) {
            let islandZ = rng.uniform(nearShore * 3, farShore * 0.7)
            let u = rng.uniform(0.2, aspect - 0.2), w = rng.uniform(0.06, 0.18)
            addHill(distance: islandZ, rise: rng.uniform(0.005, 0.02), amplitude: rng.uniform(0.005, 0.02),
                    cls: rng.chance(0.7) ? .tree : .rock, surface: .deciduousCrowns, crownSize: 0.012, extent: (u - w, u + w), edge: 0.02)
        }
        scatterBoats(rng.chance(0.6) ? rng.int(1...3) : 0, near: max(45, nearShore * 1.3), far: farShore * 0.8, sail: 0.4)
        if rng.chance(0.35) { scatterHouses(rng.int(1...3), near: farShore, far: groundFar, fence: 0.1) }
        let edge = rng.chance(0.5) ? (Float(-0.05), aspect * 0.2) : (aspect * 0.8, aspect + 0.05)
        scatterTrees(rng.int(0...3), near: 14, far: max(15, nearShore), conifer: 0.5, uRange: edge)
        scatterBushes(rng.int(1...5), near: 5, far: nearShore)
        scatterBoulders(rng.int(0...4), near: 4, far: nearShore * 1.2, allowed: [.grass, .sand])
        scatterFlowers(rng.chance(0.6) ? rng.int(1...3) : 0, near: 4, far: nearShore)
        if rng.chance(0.15) { addFieldFence(near: 8, far: nearShore) }
    }

    mutating func composeMountains() {
        addClouds(amount: rng.uniform(0, 1))
        addMountainRange(count: rng.int(2...3), tall: rng.uniform(0.3, 0.55), snow: rng.uniform(0.3, 1))
        let meadow = rng.uniform(600, 2500)
        addHill(distance: meadow, rise: rng.uniform(0.01, 0.06), amplitude: rng.uniform(0.02, 0.06), cls: .grass)
        if rng.chance(0.5) {
            let u = rng.uniform(0, aspect), w = rng.uniform(0.1, 0.35)
            addHill(distance: meadow * rng.uniform(0.3, 0.6), rise: rng.uniform(0.04, 0.12), amplitude: rng.uniform(0.01, 0.03),
                    cls: .rock, extent: (u - w, u + w), edge: rng.uniform(0.05, 0.15), crag: true)
        }
        if rng.chance(0.5) { addForestBand(distance: meadow * 0.9, rise: -0.002, conifer: true) }
        addGroundPlane()
        if rng.chance(0.6) { addRoad(halfWidth: rng.uniform(1.5, 3.5)) }
        scatterTrees(rng.int(2...12), near: 10, far: 400, conifer: 0.85)
        scatterBoulders(rng.int(2...6), near: 5, far: 120, allowed: [.grass])
        scatterBushes(rng.int(1...5), near: 5, far: 100)
        scatterFlowers(rng.chance(0.6) ? rng.int(1...4) : 0, near: 5, far: 80)
        if rng.chance(0.35) { scatterHouses(1, near: 25, far: 150, fence: 0.6) }
        if rng.chance(0.35) { addFieldFence() }
    }

    mutating func composeVillage() {
        addClouds(amount: rng.uniform(0.1, 1))
        if rng.chance(0.45) { addMountainRange(count: 1, tall: rng.uniform(0.08, 0.2), snow: rng.chance(0.3) ? 0.5 : 0) }
        var distance = rng.uniform(2000, 4000)
        for _ in 0..<rng.int(1...3) {
            addHill(distance: distance, rise: rng.uniform(0.01, 0.05), amplitude: rng.uniform(0.01, 0.05), cls: .grass)
            distance *= rng.uniform(0.4, 0.6)
        }
        if rng.chance(0.4) { addForestBand(distance: distance * 1.5, rise: -0.003, conifer: rng.chance(0.3)) }
        populateHills(houses: rng.int(0...4), trees: rng.int(2...8), bushes: rng.int(0...3), conifer: 0.3)
        addGroundPlane()
        let road: Meander? = rng.chance(0.8) ? addRoad(halfWidth: rng.uniform(2.5, 4)) : nil
        if let road, rng.chance(0.8) {
            // Houses along the road, each side.
            for _ in 0..<rng.int(2...5) {
                let z = rng.uniform(25, min(220, groundFar * 0.9))
                let x = road.x(atZ: z) + rng.sign() * rng.uniform(12, 22)
                guard groundClass(x: x, z: z) == .grass else { continue }
                addHouseWithFence(x: x, z: z, fence: 0.6, yaw: rng.uniform(-0.3, 0.3) + (rng.chance(0.3) ? .pi / 2 : 0))
            }
        } else {
            scatterHouses(rng.int(2...5), near: 25, far: 250, fence: 0.6)
        }
        scatterTrees(rng.int(2...8), near: 12, far: 300, conifer: 0.2)
        if rng.chance(0.5) { addCopse(near: 60, far: 300, trees: rng.int(3...7), conifer: 0.2) }
        scatterBushes(rng.int(2...8), near: 6, far: 120)
        scatterFlowers(rng.int(0...3), near: 5, far: 80)
        for _ in 0..<(rng.chance(0.6) ? rng.int(1...2) : 0) { addFieldFence() }
    }

    mutating func composeBeach() {
        addClouds(amount: rng.uniform(0, 0.9))
        if rng.chance(0.35) { addMountainRange(count: 1, tall: rng.uniform(0.04, 0.12), snow: 0) }
        addGroundPlane()
        let sea = rng.uniform(30, 110)
        let sandZ = sea - rng.uniform(15, 40)
        let slope = rng.uniform(-0.25, 0.25)
        let sandLine = shoreline(at: max(3, sandZ), wiggle: 0.2, slope: slope)
        addRegion(.beyond(sandLine), .sand)
        addRegion(.beyond(shoreline(at: sea, wiggle: 0.12, slope: slope)), .water)
        if rng.chance(0.55) {
            // A rocky headland on one side, standing in the sea.
            let left = rng.chance(0.5)
            let z = rng.uniform(sea * 2, sea * 8)
            let w = rng.uniform(0.15, 0.45)
            let u0: Float = left ? -0.3 : aspect - w, u1: Float = left ? w : aspect + 0.3
            addHill(distance: z, rise: rng.uniform(0.03, 0.1), amplitude: rng.uniform(0.01, 0.03), cls: .rock,
                    extent: (u0, u1), edge: rng.uniform(0.06, 0.15), crag: true)
        }
        scatterBoats(rng.int(1...4), near: max(60, sea * 1.3), far: 700, sail: 0.5)
        scatterBoulders(rng.int(0...4), near: 4, far: sea * 1.5, allowed: [.sand, .water], size: (0.6, 3))
        scatterBushes(rng.int(0...4), near: 5, far: max(6, sandZ), allowed: [.grass])
        if rng.chance(0.3) { scatterTrees(rng.int(1...2), near: 14, far: max(15, sandZ), conifer: 0.3) }
        if rng.chance(0.3) { scatterHouses(1, near: 30, far: max(31, sandZ), fence: 0.4) }
    }

    mutating func composeForest() {
        addClouds(amount: rng.uniform(0, 0.8))
        if rng.chance(0.35) { addMountainRange(count: 1, tall: rng.uniform(0.08, 0.2), snow: rng.chance(0.5) ? 0.6 : 0) }
        let conifer = rng.uniform(0, 1)
        addForestBand(distance: rng.uniform(200, 700), rise: rng.uniform(0.02, 0.08), conifer: conifer > 0.5)
        addGroundPlane()
        if rng.chance(0.65) { addRoad(halfWidth: rng.uniform(1, 2.2), farthest: 400) }
        // Trees crowd the sides and thin out in the middle.
        let n = rng.int(6...16)
        scatterTrees(n / 2, near: 25, far: 220, conifer: conifer, uRange: (-0.05, aspect * 0.3))
        scatterTrees(n / 2, near: 25, far: 220, conifer: conifer, uRange: (aspect * 0.7, aspect + 0.05))
        scatterTrees(rng.int(0...3), near: 40, far: 220, conifer: conifer)
        scatterBushes(rng.int(3...10), near: 4, far: 80)
        scatterFlowers(rng.int(0...3), near: 4, far: 50)
        scatterBoulders(rng.int(0...3), near: 4, far: 60, allowed: [.grass])
    }

    mutating func composeRiverValley() {
        addClouds(amount: rng.uniform(0, 1))
        addMountainRange(count: rng.int(1...2), tall: rng.uniform(0.12, 0.35), snow: rng.chance(0.45) ? rng.uniform(0.2, 0.8) : 0)
        // Valley sides: a hill on each side, lower in the middle.
        let d = rng.uniform(1200, 3000)
        let cls: LandscapeClass = rng.chance(0.5) ? .tree : .grass
        let surface: Hill.Surface = cls == .tree ? (rng.chance(0.5) ? .coniferCrowns : .deciduousCrowns) : .smooth
        let gap = rng.uniform(0.3, 0.6) * aspect
        let mid = rng.uniform(0.35, 0.65) * aspect
        addHill(distance: d, rise: rng.uniform(0.06, 0.16), amplitude: rng.uniform(0.02, 0.06), cls: cls, surface: surface,
                crownSize: 0.015, extent: (-0.5, mid - gap / 2), edge: rng.uniform(0.15, 0.35))
        addHill(distance: d * 0.9, rise: rng.uniform(0.06, 0.16), amplitude: rng.uniform(0.02, 0.06), cls: cls, surface: surface,
                crownSize: 0.015, extent: (mid + gap / 2, aspect + 0.5), edge: rng.uniform(0.15, 0.35))
        addGroundPlane()
        let river = Meander(x0: rng.uniform(-20, 20), drift: (mid - camera.centerU) / camera.focal,
                            amplitude1: rng.uniform(15, 60), wavelength1: rng.uniform(60, 200), phase1: rng.uniform(0, 6.28),
                            amplitude2: rng.uniform(3, 15), wavelength2: rng.uniform(20, 50), phase2: rng.uniform(0, 6.28))
        let width = rng.uniform(8, 25)
        // End where the river would be under about two pixels wide at 256 rows.
        let riverFar = min(groundFar, camera.focal * width * 220)
        if rng.chance(0.5) {
            addRegion(.band(path: river, halfWidth: width * rng.uniform(1.3, 1.7), near: 2, far: riverFar, wobble: 0.25), .sand)
        }
        addRegion(.band(path: river, halfWidth: width, near: 2, far: riverFar, wobble: 0.15), .water)
        if rng.chance(0.5) {
            let side = rng.sign()
            let road = Meander(x0: river.x0 + side * (width * 2 + 20), drift: river.drift, amplitude1: river.amplitude1,
                               wavelength1: river.wavelength1, phase1: river.phase1, amplitude2: 2, wavelength2: 30, phase2: 0)
            addRegion(.band(path: road, halfWidth: 3, near: 2, far: min(3000, groundFar), wobble: 0.02), .road)
        }
        scatterTrees(rng.int(3...12), near: 10, far: 600, conifer: 0.4)
        if rng.chance(0.5) { addCopse(near: 50, far: 500, trees: rng.int(3...8), conifer: 0.4) }
        scatterBushes(rng.int(2...8), near: 8, far: 200)
        scatterFlowers(rng.int(0...3), near: 8, far: 120)
        scatterBoulders(rng.int(0...3), near: 8, far: 100, allowed: [.grass, .sand])
        if rng.chance(0.45) { scatterHouses(rng.int(1...3), near: 40, far: 400, fence: 0.5) }
        if rng.chance(0.25) { scatterBoats(1, near: 30, far: 300, sail: 0) }
        if rng.chance(0.3) { addFieldFence(near: 15, far: 60) }
    }

    mutating func composeHarbour() {
        addClouds(amount: rng.uniform(0, 1))
        if rng.chance(0.5) { addMountainRange(count: 1, tall: rng.uniform(0.08, 0.2), snow: rng.chance(0.3) ? 0.5 : 0) }
        let hillsZ = rng.uniform(800, 2500)
        addHill(distance: hillsZ, rise: rng.uniform(0.02, 0.08), amplitude: rng.uniform(0.02, 0.05),
                cls: rng.chance(0.6) ? .grass : .tree, surface: .smooth)
        populateHills(houses: rng.int(0...4), trees: rng.int(0...5), bushes: 0, conifer: 0.3)
        addGroundPlane()
        // Near quay, water, far quay with houses.
        let nearQuay = rng.uniform(8, 25)
        let farQuay = rng.uniform(70, 200)
        addRegion(.between(near: Shoreline(z0: 0, slope: 0, amplitude: 0, wavelength: 10, seed: 0),
                           far: Shoreline(z0: nearQuay, slope: rng.uniform(-0.1, 0.1), amplitude: 0, wavelength: 10, seed: 0)), .road)
        let waterFar = Shoreline(z0: farQuay, slope: rng.uniform(-0.15, 0.15), amplitude: farQuay * 0.02, wavelength: 80,
                                 seed: rng.noiseSeed())
        addRegion(.between(near: Shoreline(z0: nearQuay, slope: 0, amplitude: 0, wavelength: 10, seed: 0), far: waterFar), .water)
        let quayDepth = rng.uniform(8, 20)
        addRegion(.between(near: waterFar, far: Shoreline(z0: farQuay + quayDepth, slope: waterFar.slope, amplitude: 0,
                                                           wavelength: 80, seed: 0)), .road)
        // A row of houses behind the far quay.
        var x = -farQuay * camera.centerU / camera.focal * 1.2
        let xEnd = -x
        while x < xEnd {
            let width = rng.uniform(6, 11)
            let z = waterFar.z(atX: x) + quayDepth + rng.uniform(5, 9)
            if rng.chance(0.8) {
                addHouse(x: x + width / 2, z: z, width: width, depth: rng.uniform(6, 9), wallHeight: rng.uniform(5.5, 10),
                         roofHeight: rng.uniform(2.5, 4.5), yaw: rng.uniform(-0.08, 0.08))
            }
            x += width + rng.uniform(0.5, 8)
        }
        scatterBoats(rng.int(2...6), near: max(35, nearQuay * 2), far: farQuay * 0.95, sail: 0.45)
        if rng.chance(0.6) {
            // A railing along the near quay edge.
            let z = nearQuay * 0.92
            let half = z * camera.centerU / camera.focal
            addFence(from: SIMD2(-half * rng.uniform(0.6, 1.2), z), to: SIMD2(half * rng.uniform(0.2, 1.2), z), height: 1.0)
        }
    }

    mutating func composeWinter() {
        groundClass = .snow
        addClouds(amount: rng.uniform(0, 1))
        addMountainRange(count: rng.int(1...3), tall: rng.uniform(0.1, 0.35), snow: rng.uniform(0.7, 1.2))
        let d = rng.uniform(1000, 3000)
        if rng.chance(0.6) {
            addForestBand(distance: d, rise: rng.uniform(0, 0.03), conifer: true)
        } else {
            addHill(distance: d, rise: rng.uniform(0.01, 0.06), amplitude: rng.uniform(0.01, 0.05), cls: .snow)
        }
        populateHills(houses: 0, trees: rng.int(0...4), bushes: 0, conifer: 1)
        addGroundPlane()
        if rng.chance(0.3) {
            let z = rng.uniform(60, 300)
            addRegion(.ellipse(center: SIMD2(rng.uniform(-60, 60), z), radii: SIMD2(rng.uniform(40, 160), z * 0.35), wobble: 0.3),
                      .water)
        }
        if rng.chance(0.5) { addRoad(halfWidth: rng.uniform(2, 3.5)) }
        // Only conifers: bare broadleaf crowns read as grey blobs, not trees.
        scatterTrees(rng.int(4...16), near: 8, far: 300, conifer: 1, allowed: [.snow])
        scatterHouses(rng.chance(0.6) ? rng.int(1...3) : 0, near: 25, far: 250, fence: 0.6)
        scatterBoulders(rng.int(0...3), near: 5, far: 80, allowed: [.snow])
        scatterBushes(rng.int(0...3), near: 5, far: 60, allowed: [.snow])
        if rng.chance(0.4) { addFieldFence() }
    }
}
