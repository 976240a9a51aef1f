#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Samples painter-like layouts: large flat regions, boxes, blobs and strokes of any
/// width; any class at any size, down to a few pixels; compositions the procedural
/// world never makes (a house filling the canvas, a lake with no shore, a boat on a
/// one-stroke river). Everything is drawn from one seed.
public struct PaintedLayoutSampler: Sendable {
    public init() {}

    public func scene(seed: UInt64, aspect: Float, recipe: PaintedRecipe? = nil) -> PaintedScene {
        var rng = SeededGenerator(seed: seed)
        let kind = recipe ?? PaintedRecipe.random(using: &rng)
        var p = Painter(aspect: aspect, rng: SeededGenerator(seed: SeededGenerator.derive(seed, 0x9A1_47)))
        switch kind {
        case .bands: p.paintBands()
        case .village: p.paintVillage()
        case .flowerField: p.paintFlowerField()
        case .rockField: p.paintRockField()
        case .openWater: p.paintOpenWater()
        case .river: p.paintRiver()
        case .bigObject: p.paintBigObject()
        case .forestPond: p.paintForestPond()
        case .collage: p.paintCollage()
        }
        p.paintExtras()
        return PaintedScene(seed: seed, recipe: kind, aspect: aspect, horizon: p.horizon, isWinter: p.ground == .snow,
                            strokes: p.strokes)
    }
}

/// The brush: paints strokes into a list, with the helpers the recipes share.
struct Painter {
    let aspect: Float
    var rng: SeededGenerator
    var strokes: [PaintStroke] = []
    var horizon: Float = 0.5
    /// The main ground class (snow makes a winter scene).
    var ground: LandscapeClass = .grass
    /// One pixel of a 256-pixel-high image.
    let px: Float = 1 / 256

    init(aspect: Float, rng: SeededGenerator) {
        self.aspect = aspect
        self.rng = rng
    }

    mutating func paint(_ cls: LandscapeClass, _ shape: PaintShape) { strokes.append(PaintStroke(classID: cls, shape: shape)) }

    // MARK: Building blocks

    mutating func line(_ base: Float, wobble: Float = 0.02, tilt: Float = 0.06) -> PaintLine {
        PaintLine(base: base, tilt: rng.uniform(-tilt, tilt), amplitude: rng.chance(0.3) ? 0 : rng.uniform(0, wobble),
                  frequency: rng.uniform(1, 6), seed: rng.noiseSeed(), centre: aspect / 2)
    }

    mutating func pickClass(_ options: [(LandscapeClass, Float)]) -> LandscapeClass { rng.pick(options) }

    mutating func logUniform(_ low: Float, _ high: Float) -> Float { expf(rng.uniform(logf(low), logf(high))) }

    mutating func point(v low: Float, _ high: Float) -> SIMD2<Float> {
        SIMD2(rng.uniform(-0.05, aspect + 0.05), rng.uniform(low, high))
    }

    /// Size of an object standing at row v: bigger toward the bottom (loosely: painters
    /// do not always keep perspective).
    mutating func perspectiveSize(_ v: Float, near: Float) -> Float {
        let t = max(0.03, (v - horizon) / max(0.05, 1 - horizon))
        return rng.chance(0.7) ? near * t * rng.uniform(0.6, 1.4) : logUniform(0.008, near)
    }

    mutating func sky(clouds: Float = 0.6) {
        paint(.sky, .fill)
        if rng.chance(clouds) {
            for _ in 0..<rng.int(1...5) { cloud(at: point(v: -0.02, max(0.1, horizon - 0.08)), size: logUniform(0.02, 0.25)) }
        }
    }

    mutating func cloud(at c: SIMD2<Float>, size: Float) {
        let puffs = rng.int(1...5)
        for i in 0..<puffs {
            let offset = SIMD2(Float(i) - Float(puffs - 1) / 2, rng.uniform(-0.3, 0.2)) * size * 0.8
            if rng.chance(0.5) {
                paint(.cloud, .ellipse(centre: c + offset, radii: SIMD2(size * rng.uniform(0.6, 1.4), size * rng.uniform(0.25, 0.6)), angle: 0))
            } else {
                paint(.cloud, .blob(centre: c + offset, radius: size * rng.uniform(0.4, 0.8), wobble: 0.25, seed: rng.noiseSeed()))
            }
        }
    }

    /// A mountain range: a jagged band above `base`, sometimes with snow on the peaks.
    mutating func mountains(base: Float, height: Float, snowy: Float = 0.4) {
        let peaks = rng.int(1...4)
        var points: [SIMD2<Float>] = [SIMD2(-0.05, base + 0.02)]
        var tops: [SIMD2<Float>] = []
        let span = (aspect + 0.1) / Float(peaks)
        for i in 0..<peaks {
            let x = -0.05 + span * (Float(i) + rng.uniform(0.25, 0.75))
            let top = SIMD2(x, base - height * rng.uniform(0.5, 1))
            points.append(SIMD2(x - span * 0.5, base - height * rng.uniform(0, 0.35)))
            if rng.chance(0.5) { points.append((points.last! + top) / 2 + SIMD2(0, rng.uniform(-0.03, 0.03))) }
            points.append(top)
            tops.append(top)
        }
        points.append(SIMD2(aspect + 0.05, base - height * rng.uniform(0, 0.3)))
        points.append(SIMD2(aspect + 0.05, base + 0.02))
        paint(.mountain, .polygon(points))
        if rng.chance(snowy) {
            for top in tops {
                let d = height * rng.uniform(0.12, 0.35)
                paint(.snow, .polygon([top, top + SIMD2(d * 0.9, d), top + SIMD2(d * 0.3, d * 0.8), top + SIMD2(-d * 0.2, d * 1.1),
                                       top + SIMD2(-d * 0.8, d)]))
            }
        }
    }

    /// A forest wall: trees from a bumpy top line down to `bottom`.
    mutating func forestBand(bottom: Float, height: Float) {
        let top = PaintLine(base: bottom - height, tilt: rng.uniform(-0.05, 0.05), amplitude: height * rng.uniform(0.15, 0.5),
                            frequency: rng.uniform(8, 25), seed: rng.noiseSeed(), centre: aspect / 2)
        paint(.tree, .band(top: top, bottom: PaintLine(base: bottom + 0.01)))
    }

    mutating func house(at base: SIMD2<Float>, width: Float) {
        let w = width, h = width * rng.uniform(0.5, 1.1)
        let roof = h * rng.uniform(0.3, 0.8)
        let tilt = rng.chance(0.8) ? 0 : rng.uniform(-0.15, 0.15)
        let centre = base - SIMD2(0, h / 2)
        if rng.chance(0.12) {
            // Some people paint a house as a plain blob or box.
            paint(.house, rng.chance(0.5) ? .blob(centre: centre, radius: w / 2, wobble: 0.2, seed: rng.noiseSeed())
                  : .box(centre: centre, half: SIMD2(w, h) / 2, angle: tilt))
            return
        }
        paint(.house, .box(centre: centre, half: SIMD2(w, h) / 2, angle: tilt))
        let eave = w * rng.uniform(0, 0.12)
        let top = base.y - h
        if rng.chance(0.8) {
            paint(.house, .polygon([SIMD2(base.x - w / 2 - eave, top + 0.5 * px), SIMD2(base.x + w / 2 + eave, top + 0.5 * px),
                                    SIMD2(base.x + rng.uniform(-0.2, 0.2) * w, top - roof)]))
        } else {
            paint(.house, .polygon([SIMD2(base.x - w / 2 - eave, top + 0.5 * px), SIMD2(base.x + w / 2 + eave, top + 0.5 * px),
                                    SIMD2(base.x + w * 0.3, top - roof), SIMD2(base.x - w * 0.3, top - roof)]))
        }
    }

    mutating func tree(at base: SIMD2<Float>, height: Float) {
        let h = height, w = h * rng.uniform(0.35, 0.8)
        if rng.chance(0.35) {
            paint(.tree, .polygon([base + SIMD2(-w / 2, -h * 0.1), base + SIMD2(w / 2, -h * 0.1), base + SIMD2(0, -h)]))
            paint(.tree, .stroke(points: [base, base - SIMD2(0, h * 0.15)], halfWidth: max(px * 0.6, w * 0.06)))
        } else {
            paint(.tree, .stroke(points: [base, base - SIMD2(0, h * 0.5)], halfWidth: max(px * 0.6, w * 0.07)))
            let crown = base - SIMD2(0, h * 0.65)
            if rng.chance(0.5) {
                paint(.tree, .ellipse(centre: crown, radii: SIMD2(w / 2, h * 0.35), angle: 0))
            } else {
                paint(.tree, .blob(centre: crown, radius: w / 2, wobble: 0.25, seed: rng.noiseSeed()))
            }
        }
    }

    mutating func bush(at base: SIMD2<Float>, size: Float) {
        paint(.bush, rng.chance(0.6) ? .ellipse(centre: base - SIMD2(0, size * 0.3), radii: SIMD2(size, size * rng.uniform(0.45, 0.8)), angle: 0)
              : .blob(centre: base - SIMD2(0, size * 0.3), radius: size, wobble: 0.3, seed: rng.noiseSeed()))
    }

    mutating func rock(at base: SIMD2<Float>, size: Float) {
        switch rng.int(0...2) {
        case 0: paint(.rock, .blob(centre: base - SIMD2(0, size * 0.3), radius: size, wobble: 0.3, seed: rng.noiseSeed()))
        case 1: paint(.rock, .ellipse(centre: base - SIMD2(0, size * 0.3), radii: SIMD2(size, size * rng.uniform(0.4, 0.9)),
                                      angle: rng.uniform(-0.4, 0.4)))
        default:
            var points: [SIMD2<Float>] = []
            let n = rng.int(5...8)
            for i in 0..<n {
                let a = Float(i) / Float(n) * 2 * .pi
                points.append(base - SIMD2(0, size * 0.4) + SIMD2(cosf(a), sinf(a) * 0.7) * size * rng.uniform(0.6, 1.1))
            }
            paint(.rock, .polygon(points))
        }
    }

    /// A boat: a hull (trapezoid or box), sometimes a sail or a cabin.
    mutating func boat(at base: SIMD2<Float>, length: Float) {
        let l = length, h = l * rng.uniform(0.15, 0.35)
        let dir: Float = rng.sign()
        paint(.boat, .polygon([base + SIMD2(-l / 2, -h), base + SIMD2(l / 2, -h), base + SIMD2(l * 0.4 * dir, 0),
                               base + SIMD2(-l * 0.35 * dir, 0)]))
        if rng.chance(0.35) {
            let mast = base.x + rng.uniform(-0.1, 0.1) * l
            paint(.boat, .polygon([SIMD2(mast, base.y - h - l * rng.uniform(0.5, 1.1)), SIMD2(mast, base.y - h),
                                   SIMD2(mast + l * 0.4 * dir, base.y - h)]))
        } else if rng.chance(0.4) {
            paint(.boat, .box(centre: base + SIMD2(0, -h - l * 0.08), half: SIMD2(l * 0.18, l * 0.09), angle: 0))
        }
    }

    mutating func fence(from a: SIMD2<Float>, to b: SIMD2<Float>, height: Float) {
        let thickness = max(px * 0.5, height * 0.12)
        if rng.chance(0.4) {
            // A painted band: one stroke, of any width.
            paint(.fence, .stroke(points: [a, b], halfWidth: max(px * 0.5, height * rng.uniform(0.1, 0.5))))
            return
        }
        paint(.fence, .stroke(points: [a - SIMD2(0, height * 0.75), b - SIMD2(0, height * 0.75)], halfWidth: thickness))
        paint(.fence, .stroke(points: [a - SIMD2(0, height * 0.3), b - SIMD2(0, height * 0.3)], halfWidth: thickness))
        let posts = min(30, max(2, Int(abs(b.x - a.x) / max(height * 0.9, px * 3))))
        for i in 0...posts {
            let p = a + (b - a) * (Float(i) / Float(posts))
            paint(.fence, .stroke(points: [p, p - SIMD2(0, height)], halfWidth: thickness))
        }
    }

    /// A meandering stroke from the horizon down past the bottom edge.
    mutating func meander(from top: SIMD2<Float>, halfWidth: Float) -> [SIMD2<Float>] {
        var points = [top]
        var x = top.x
        let steps = rng.int(3...7)
        for i in 1...steps {
            let v = top.y + (1.08 - top.y) * Float(i) / Float(steps)
            x += rng.uniform(-0.25, 0.25) * aspect
            x = min(aspect + 0.1, max(-0.1, x))
            points.append(SIMD2(x, v))
        }
        return points
    }

    mutating func chooseGround(snow: Float = 0.14) -> LandscapeClass {
        pickClass([(.grass, 0.6), (.sand, 0.14), (.snow, snow), (.rock, 0.05), (.flower, 0.04), (.road, 0.03)])
    }

    /// The sky, sometimes mountains or a forest wall, and ground below the horizon.
    mutating func landscape(horizon low: Float, _ high: Float, mountains mountainChance: Float = 0.45,
                            forest: Float = 0.3, groundClass: LandscapeClass? = nil) {
        horizon = rng.uniform(low, high)
        ground = groundClass ?? chooseGround()
        sky(clouds: ground == .snow ? 0.8 : 0.6)
        if rng.chance(mountainChance) { mountains(base: horizon, height: rng.uniform(0.08, 0.4), snowy: ground == .snow ? 0.9 : 0.4) }
        if rng.chance(forest) { forestBand(bottom: horizon, height: rng.uniform(0.03, 0.15)) }
        paint(ground, .below(line(horizon)))
    }

    // MARK: Recipes

    mutating func paintBands() {
        landscape(horizon: 0.3, 0.65)
        var v = horizon
        for _ in 0..<rng.int(0...3) {
            v += rng.uniform(0.04, (1 - v) * 0.7)
            guard v < 0.97 else { break }
            let cls: LandscapeClass = rng.pick([(.grass, 0.3), (.water, 0.2), (.sand, 0.12), (.flower, 0.12), (.road, 0.08),
                                                (.snow, 0.06), (.rock, 0.06), (.bush, 0.06)])
            let top = line(v, wobble: 0.04)
            if rng.chance(0.6) {
                paint(cls, .below(top))
            } else {
                let bottom = line(v + rng.uniform(0.02, 0.2), wobble: 0.03)
                paint(cls, .band(top: top, bottom: bottom))
            }
        }
        scatterObjects(count: rng.int(1...8))
    }

    /// Trees, bushes, houses, rocks and fences standing on the ground at random.
    mutating func scatterObjects(count: Int) {
        for _ in 0..<count {
            let base = point(v: horizon, 1.05)
            switch rng.int(0...5) {
            case 0: tree(at: base, height: perspectiveSize(base.y, near: 0.7))
            case 1: bush(at: base, size: perspectiveSize(base.y, near: 0.2))
            case 2: house(at: base, width: perspectiveSize(base.y, near: 0.5))
            case 3: rock(at: base, size: perspectiveSize(base.y, near: 0.2))
            case 4:
                let w = perspectiveSize(base.y, near: 0.8)
                fence(from: base - SIMD2(w, 0), to: base + SIMD2(w, rng.uniform(-0.05, 0.05)), height: perspectiveSize(base.y, near: 0.12))
            default:
                paint(.flower, .blob(centre: base, radius: perspectiveSize(base.y, near: 0.25), wobble: 0.3, seed: rng.noiseSeed()))
            }
        }
    }

    mutating func paintVillage() {
        landscape(horizon: 0.3, 0.55, mountains: 0.3, forest: 0.3, groundClass: rng.chance(0.15) ? .snow : .grass)
        // The street: a band across, a perspective road, or a winding stroke.
        let streetV = rng.uniform(horizon + 0.1, 0.9)
        switch rng.int(0...2) {
        case 0:
            paint(.road, .band(top: line(streetV, wobble: 0.01, tilt: 0.03), bottom: line(streetV + rng.uniform(0.04, 0.2), wobble: 0.01, tilt: 0.03)))
        case 1:
            let x = rng.uniform(0.2, aspect - 0.2), w = rng.uniform(0.2, 0.7)
            paint(.road, .polygon([SIMD2(x - 0.01, horizon), SIMD2(x + 0.01, horizon), SIMD2(x + w, 1.02), SIMD2(x - w, 1.02)]))
        default:
            paint(.road, .stroke(points: meander(from: SIMD2(rng.uniform(0, aspect), horizon), halfWidth: 0),
                                 halfWidth: logUniform(px, 0.08)))
        }
        let houses = rng.int(1...6)
        for i in 0..<houses {
            let v = rng.chance(0.6) ? streetV - rng.uniform(0, 0.03) : rng.uniform(horizon + 0.02, 1.0)
            let x = (Float(i) + rng.uniform(0.1, 0.9)) / Float(houses) * aspect
            house(at: SIMD2(x, v), width: perspectiveSize(v, near: 0.45))
        }
        if rng.chance(0.7) {
            let v = rng.uniform(horizon + 0.05, 1.0)
            let a = rng.uniform(-0.1, aspect * 0.6)
            fence(from: SIMD2(a, v), to: SIMD2(a + rng.uniform(0.1, aspect), v + rng.uniform(-0.05, 0.05)), height: perspectiveSize(v, near: 0.1))
        }
        for _ in 0..<rng.int(0...5) {
            let base = point(v: horizon, 1.05)
            if rng.chance(0.6) { tree(at: base, height: perspectiveSize(base.y, near: 0.6)) } else { bush(at: base, size: perspectiveSize(base.y, near: 0.15)) }
        }
        if rng.chance(0.4) { paint(.flower, .blob(centre: point(v: horizon + 0.1, 1), radius: logUniform(0.02, 0.15), wobble: 0.3, seed: rng.noiseSeed())) }
    }

    mutating func paintFlowerField() {
        landscape(horizon: 0.25, 0.6, mountains: 0.35, forest: 0.35, groundClass: .grass)
        // Flowers fill the foreground from a line down, or lie in big patches.
        if rng.chance(0.65) {
            paint(.flower, .below(line(rng.uniform(horizon, min(0.9, horizon + 0.35)), wobble: 0.05, tilt: 0.15)))
        } else {
            for _ in 0..<rng.int(1...5) {
                paint(.flower, .blob(centre: point(v: horizon + 0.05, 1.05), radius: logUniform(0.05, 0.4), wobble: 0.35, seed: rng.noiseSeed()))
            }
        }
        if rng.chance(0.3) {
            let v = rng.uniform(horizon, 1)
            paint(.road, .stroke(points: meander(from: SIMD2(rng.uniform(0, aspect), v), halfWidth: 0), halfWidth: logUniform(px, 0.04)))
        }
        scatterObjects(count: rng.int(0...3))
    }

    mutating func paintRockField() {
        landscape(horizon: 0.25, 0.6, mountains: 0.6, forest: 0.1,
                  groundClass: pickClass([(.sand, 0.5), (.grass, 0.3), (.snow, 0.1), (.rock, 0.1)]))
        let count = rng.int(4...50)
        for _ in 0..<count {
            let base = point(v: horizon, 1.1)
            rock(at: base, size: perspectiveSize(base.y, near: 0.12))
        }
        if rng.chance(0.4) { rock(at: point(v: 0.7, 1.1), size: rng.uniform(0.15, 0.4)) }
        for _ in 0..<rng.int(0...4) {
            let base = point(v: horizon, 1.05)
            bush(at: base, size: perspectiveSize(base.y, near: 0.1))
        }
    }

    mutating func paintOpenWater() {
        if rng.chance(0.25) {
            // No shore and no sky: water everywhere.
            horizon = rng.uniform(-0.4, 0.1)
            paint(.water, .fill)
            ground = .water
        } else {
            horizon = rng.uniform(0.2, 0.6)
            sky()
            if rng.chance(0.35) { mountains(base: horizon, height: rng.uniform(0.05, 0.3)) }
            if rng.chance(0.3) { forestBand(bottom: horizon, height: rng.uniform(0.02, 0.1)) }
            paint(.water, .below(line(horizon, wobble: 0.005, tilt: 0.02)))
            ground = .water
        }
        if rng.chance(0.4) {
            let c = point(v: max(0, horizon) + 0.05, 0.9)
            let r = logUniform(0.03, 0.3)
            paint(pickClass([(.sand, 0.3), (.grass, 0.4), (.rock, 0.3)]), .blob(centre: c, radius: r, wobble: 0.3, seed: rng.noiseSeed()))
            if rng.chance(0.6) { tree(at: c, height: r * rng.uniform(0.8, 2)) }
        }
        for _ in 0..<rng.int(0...5) {
            let base = point(v: max(0, horizon) + 0.02, 1.0)
            boat(at: base, length: perspectiveSize(base.y, near: 0.5))
        }
        for _ in 0..<rng.int(0...3) {
            let base = point(v: max(0, horizon) + 0.02, 1.05)
            rock(at: base, size: perspectiveSize(base.y, near: 0.12))
        }
    }

    mutating func paintRiver() {
        landscape(horizon: 0.25, 0.55, mountains: 0.4, forest: 0.35,
                  groundClass: pickClass([(.grass, 0.7), (.sand, 0.1), (.snow, 0.15), (.flower, 0.05)]))
        let halfWidth = logUniform(px * 0.5, 0.15)
        let path = meander(from: SIMD2(rng.uniform(0.1, aspect - 0.1), horizon), halfWidth: halfWidth)
        if rng.chance(0.3) { paint(.sand, .stroke(points: path, halfWidth: halfWidth * rng.uniform(1.3, 2) + px)) }
        paint(.water, .stroke(points: path, halfWidth: halfWidth))
        // Boats on the river, however narrow it is.
        for _ in 0..<rng.int(0...3) {
            let i = rng.int(1...(path.count - 1))
            let p = path[i - 1] + (path[i] - path[i - 1]) * rng.uniform(0, 1)
            boat(at: p + SIMD2(0, halfWidth * 0.5), length: max(2 * px, min(perspectiveSize(p.y, near: 0.3), halfWidth * 6 + 4 * px)))
        }
        if rng.chance(0.3) {
            paint(.road, .stroke(points: meander(from: SIMD2(rng.uniform(0, aspect), horizon), halfWidth: 0), halfWidth: logUniform(px, 0.05)))
        }
        scatterObjects(count: rng.int(0...5))
    }

    mutating func paintBigObject() {
        landscape(horizon: 0.3, 0.75, mountains: 0.3, forest: 0.2)
        let cls: LandscapeClass = rng.pick([(.house, 0.22), (.tree, 0.15), (.boat, 0.12), (.rock, 0.12), (.bush, 0.1), (.fence, 0.1),
                                            (.mountain, 0.06), (.cloud, 0.06), (.flower, 0.04), (.water, 0.03)])
        let size = rng.uniform(0.5, 1.2)
        let base = SIMD2(aspect * rng.uniform(0.3, 0.7), rng.uniform(0.85, 1.1))
        switch cls {
        case .house: house(at: base, width: size * aspect * 0.8)
        case .tree: tree(at: base, height: size * 1.1)
        case .boat:
            if rng.chance(0.6) { paint(.water, .below(line(rng.uniform(0.6, 0.9), wobble: 0.005))) }
            boat(at: base - SIMD2(0, 0.1), length: size * aspect)
        case .rock: rock(at: base, size: size * 0.5)
        case .bush: bush(at: base, size: size * 0.5)
        case .fence: fence(from: SIMD2(-0.1, base.y), to: SIMD2(aspect + 0.1, base.y + rng.uniform(-0.2, 0.2)), height: size * 0.7)
        case .mountain: mountains(base: base.y, height: size * 0.9, snowy: 0.5)
        case .cloud: cloud(at: SIMD2(aspect / 2, rng.uniform(0.2, 0.5)), size: size * 0.4)
        default: paint(cls, .blob(centre: base - SIMD2(0, 0.3), radius: size * 0.5, wobble: 0.3, seed: rng.noiseSeed()))
        }
    }

    mutating func paintForestPond() {
        landscape(horizon: 0.3, 0.55, mountains: 0.3, forest: 0, groundClass: rng.chance(0.15) ? .snow : .grass)
        forestBand(bottom: horizon + rng.uniform(0, 0.1), height: rng.uniform(0.1, 0.35))
        let c = SIMD2(aspect * rng.uniform(0.2, 0.8), rng.uniform(horizon + 0.15, 0.85))
        let r = rng.uniform(0.1, 0.4)
        if rng.chance(0.5) {
            paint(.water, .ellipse(centre: c, radii: SIMD2(r * rng.uniform(1, 2), r * rng.uniform(0.3, 0.7)), angle: rng.uniform(-0.2, 0.2)))
        } else {
            paint(.water, .blob(centre: c, radius: r, wobble: 0.3, seed: rng.noiseSeed()))
        }
        for _ in 0..<rng.int(1...6) {
            let base = point(v: horizon + 0.05, 1.05)
            bush(at: base, size: perspectiveSize(base.y, near: 0.15))
        }
        if rng.chance(0.5) { paint(.flower, .blob(centre: point(v: horizon + 0.1, 1), radius: logUniform(0.02, 0.2), wobble: 0.3, seed: rng.noiseSeed())) }
        for _ in 0..<rng.int(0...3) {
            let base = point(v: horizon + 0.05, 1.05)
            if rng.chance(0.5) { rock(at: base, size: perspectiveSize(base.y, near: 0.1)) } else { tree(at: base, height: perspectiveSize(base.y, near: 0.8)) }
        }
        if rng.chance(0.2) { boat(at: c, length: r * rng.uniform(0.2, 0.6)) }
    }

    mutating func paintCollage() {
        horizon = rng.uniform(0.2, 0.7)
        let all = LandscapeClass.allCases
        let base = all[rng.int(0...(all.count - 1))]
        ground = base
        paint(base, .fill)
        if rng.chance(0.6) { paint(chooseGround(), .below(line(horizon, wobble: 0.06, tilt: 0.3))) }
        for _ in 0..<rng.int(3...14) { anyShape(all[rng.int(0...(all.count - 1))], size: logUniform(0.004, 0.7)) }
    }

    /// Any class, any size, any shape, anywhere.
    mutating func anyShape(_ cls: LandscapeClass, size: Float) {
        let c = SIMD2(rng.uniform(0, aspect), rng.uniform(0, 1))
        switch rng.int(0...4) {
        case 0: paint(cls, .box(centre: c, half: SIMD2(size, size * logUniform(0.2, 5)) / 2, angle: rng.chance(0.6) ? 0 : rng.uniform(-1.5, 1.5)))
        case 1: paint(cls, .ellipse(centre: c, radii: SIMD2(size, size * logUniform(0.2, 5)) / 2, angle: rng.uniform(-1.5, 1.5)))
        case 2: paint(cls, .blob(centre: c, radius: size / 2, wobble: rng.uniform(0, 0.4), seed: rng.noiseSeed()))
        case 3:
            var points = [c]
            for _ in 0..<rng.int(1...4) { points.append(points.last! + SIMD2(rng.uniform(-0.4, 0.4), rng.uniform(-0.3, 0.3))) }
            paint(cls, .stroke(points: points, halfWidth: max(px * 0.5, size * rng.uniform(0.05, 0.3))))
        default:
            var points: [SIMD2<Float>] = []
            let n = rng.int(3...7)
            for i in 0..<n {
                let a = Float(i) / Float(n) * 2 * .pi + rng.uniform(-0.3, 0.3)
                points.append(c + SIMD2(cosf(a), sinf(a)) * size * rng.uniform(0.3, 0.6))
            }
            paint(cls, .polygon(points))
        }
    }

    /// On top of every recipe: now and then a few shapes of any class, and a few
    /// dabs only a pixel or three across.
    mutating func paintExtras() {
        let all = LandscapeClass.allCases
        if rng.chance(0.35) {
            for _ in 0..<rng.int(1...3) { anyShape(all[rng.int(0...(all.count - 1))], size: logUniform(0.01, 0.35)) }
        }
        if rng.chance(0.25) {
            for _ in 0..<rng.int(1...6) {
                let cls = all[rng.int(0...(all.count - 1))]
                paint(cls, .blob(centre: SIMD2(rng.uniform(0, aspect), rng.uniform(0, 1)), radius: rng.uniform(0.6, 2.5) * px, wobble: 0.2,
                                 seed: rng.noiseSeed()))
            }
        }
    }
}
