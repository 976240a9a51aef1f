#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-class materials for painted masks. Each class is drawn so that it reads as
/// that class whatever the mask's outline: houses get walls, a window grid, a door and
/// a roof along their top edge; rocks are lit lumps with shadowed sides and dark
/// crevices; flowers are many small blooms; trees and bushes are lit crowns; fences
/// boards and rails; boats a hull with a gunwale (and a sail when tall); clouds lit
/// tops over grey bases; mountains eroded faces fading into blue haze. Light, season
/// and weather come from the render style, as in the procedural world.
struct PaintedMaterials {
    let light: Lighting
    let colors: SeasonColors
    let camera: Camera
    let isWinter: Bool
    let pixel: Float
    let styleSeed: UInt32
    let overcast: Bool

    init(style: RenderStyle, aspect: Float, horizon: Float, isWinter: Bool, height: Int) {
        light = Lighting(style: style)
        colors = SeasonColors(style.season)
        camera = Camera(aspect: aspect, horizon: horizon, eyeHeight: 3 + Float(style.seed % 8), focal: 1.2)
        self.isWinter = isWinter
        pixel = 1 / Float(height)
        styleSeed = UInt32(truncatingIfNeeded: style.seed >> 7)
        overcast = style.weather == .overcast
    }

    /// A per-region random number in [0, 1).
    @inline(__always) func pick(_ r: RegionPoint, _ k: Int32) -> Float { Noise.cell(k, 11, r.seed) }

    func shade(_ cls: LandscapeClass, _ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        switch cls {
        case .sky: return light.sky(camera.ray(u: u, v: v))
        case .cloud: return cloud(u, v, r)
        case .mountain: return mountain(u, v, r)
        case .snow, .grass, .sand, .road: return ground(cls, u, v, r)
        case .flower: return flowers(u, v, r)
        case .rock: return rock(u, v, r)
        case .tree: return crowns(u, v, r, bush: false)
        case .bush: return crowns(u, v, r, bush: true)
        case .house: return house(u, v, r)
        case .fence: return fence(u, v, r)
        case .boat: return boat(u, v, r)
        case .water: return SIMD3(0.02, 0.05, 0.1)
        }
    }

    // MARK: Distance and ground coordinates

    /// How far away a region's foot is: ground seen at its bottom edge, or far when
    /// it stands at or above the horizon.
    func distance(_ r: RegionPoint) -> Float {
        min(camera.groundDistance(v: max(r.box.w, camera.horizon + 0.02)), 800)
    }

    /// Ground coordinates (metres) and a pixel's footprint there; regions above the
    /// horizon get a steep pseudo-ground so their texture still reads.
    func groundPoint(_ u: Float, _ v: Float) -> (x: Float, z: Float, footprint: Float) {
        let vv = v - camera.horizon
        if vv > 0.03 {
            let p = camera.groundPoint(u: u, v: v)
            let across = p.y * pixel / camera.focal
            let along = across * p.y / camera.eyeHeight
            return (p.x, p.y, (across * along).squareRoot() * 1.2)
        }
        let z0 = camera.groundDistance(v: camera.horizon + 0.03)
        let mPerUnit = z0 / camera.focal
        return ((u - camera.centerU) * mPerUnit, z0 + v * mPerUnit, pixel * mPerUnit)
    }

    // MARK: Sky things

    func cloud(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let s = max(min(r.height, 0.3), pixel * 4)
        // Lit within a fixed depth of the top edge, grey toward a flat base: fixed
        // depths, not run fractions, so neighbouring columns agree.
        let fromTop = smoothstep(0, s * 0.35, v - r.runTop)
        let base = 1 - smoothstep(0, s * 0.4, r.runBottom - v)
        let billow = Noise.fbm(u / s * 4, v / s * 4, r.seed, octaves: 3, footprint: pixel / s * 4)
        let nx = (u - r.centroid.x) / max(r.width * 0.5, pixel)
        let toward = max(-1, min(1, nx)) * (light.sun.x >= 0 ? 1 : -1)
        var lit = 0.95 - 0.2 * fromTop - 0.4 * base + 0.2 * billow + 0.12 * toward * (1 - light.overcast)
        if r.runLength < pixel * 3 { lit = 0.75 }
        let c = mix(light.cloudShade, light.cloudLit, clamp01(lit))
        return mix(c, light.sky(camera.ray(u: u, v: v)), 0.12)
    }

    func mountain(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let h = max(r.height, pixel * 4)
        let below = clamp01((v - r.runTop) / h)
        let k = 7 / h, fp = pixel * k
        let f0 = Noise.ridged(u * k, v * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let fx = Noise.ridged((u + pixel) * k, v * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let fy = Noise.ridged(u * k, (v + pixel) * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let gx = (fx - f0) / fp, gy = (fy - f0) / fp
        // Faces turn toward the side of the peak they are on.
        let side = (u - r.centroid.x) / max(r.width * 0.5, pixel)
        let n = normalize(SIMD3(max(-1.5, min(1.5, side * 0.6 * (1 - below) - gx * 0.45)), 0.55 - gy * 0.25 - 0.2 * below, -0.75))
        let strata = Noise.fbm(u * k * 0.5, v * k * 2.5, r.seed &+ 21, octaves: 3, footprint: fp * 2.5)
        var albedo = mix(srgb(135, 122, 108), srgb(92, 88, 90), 0.5 + 0.5 * strata) * (0.85 + 0.3 * f0)
        if isWinter {
            albedo = mix(albedo, SIMD3(0.7, 0.72, 0.76), smoothstep(0.45, 0.75, f0 + 0.2 * (1 - below)))
        } else {
            albedo = mix(albedo, colors.slopeVegetation * 0.75, smoothstep(0.45, 0.9, below + 0.25 * (f0 - 0.5)) * 0.8)
        }
        let far = 5000 + 15000 * pick(r, 1)
        return light.fog(albedo * light.light(n), distance: far)
    }

    // MARK: Ground

    func ground(_ cls: LandscapeClass, _ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let g = groundPoint(u, v)
        let x = g.x, z = g.z, fp = g.footprint
        var n = SIMD3<Float>(0, 1, 0)
        var albedo: SIMD3<Float>
        switch cls {
        case .grass:
            albedo = grass(x, z, fp, &n)
        case .sand:
            let ripple = sinf(z * 2.2 + x * 0.4 + 4 * Noise.fbm(x / 6, z / 6, 201, octaves: 2))
            let grain = Noise.fbm(x * 4, z * 4, 202, octaves: 2, footprint: fp * 4)
            let patches = Noise.fbm(x / 20, z / 20, 203 ^ styleSeed, octaves: 2, footprint: fp / 20)
            let tint = [srgb(238, 210, 152), srgb(225, 195, 140), srgb(240, 222, 175)][Int(pick(r, 2) * 3)]
            albedo = tint * (0.92 + 0.08 * grain + 0.07 * patches)
            n += SIMD3(0, 0, 0.25 * ripple * clamp01(1 - fp / 0.25))
        case .snow:
            let drift = Noise.fbm(x / 15, z / 15, 301, octaves: 3, footprint: fp / 15)
            let fine = Noise.fbm(x * 1.5, z * 1.5, 302, octaves: 2, footprint: fp * 1.5)
            albedo = SIMD3(0.86, 0.88, 0.92) * (0.95 + 0.05 * fine)
            n += SIMD3(0.25 * drift + 0.08 * fine, 0, 0.15 * drift)
        default:
            albedo = road(u, v, x, z, fp, r)
        }
        return light.fog(albedo * light.light(normalize(n)), distance: z)
    }

    func grass(_ x: Float, _ z: Float, _ fp: Float, _ n: inout SIMD3<Float>) -> SIMD3<Float> {
        let big = Noise.fbm(x / 45, z / 45, 101 ^ styleSeed, octaves: 3, footprint: fp / 45)
        let mid = Noise.fbm(x / 4, z / 4, 102, octaves: 3, footprint: fp / 4)
        let blades = Noise.fbm(x * 2.5, z * 2.5, 103, octaves: 2, footprint: fp * 2.5)
        var albedo = mix(colors.grassB, colors.grassA, clamp01(0.5 + 0.6 * big))
        albedo = mix(albedo, colors.grassDry, clamp01(0.25 * mid + 0.1))
        albedo *= 0.85 + 0.18 * mid + 0.2 * blades
        n += SIMD3(0.25 * mid, 0, 0.15 * blades)
        return albedo
    }

    /// Asphalt with lane markings along a straight painted road, a dirt track, or paving.
    func road(_ u: Float, _ v: Float, _ x: Float, _ z: Float, _ fp: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let grain = Noise.fbm(x * 2, z * 2, 501, octaves: 2, footprint: fp * 2)
        let patches = Noise.fbm(x / 8, z / 8, 502, octaves: 2, footprint: fp / 8)
        let kind = pick(r, 3)
        if kind < 0.2 {
            return srgb(140, 115, 85) * (0.9 + 0.1 * grain + 0.1 * patches)
        }
        if kind < 0.3 {
            let sx = fract(x / 1.2), sz = fract(z / 0.8)
            let joint = min(min(sx, 1 - sx) * 1.2, min(sz, 1 - sz) * 0.8)
            let stone = Noise.cell(Int32((x / 1.2).rounded(.down)), Int32((z / 0.8).rounded(.down)), 503)
            let c = srgb(150, 145, 135) * (0.85 + 0.2 * stone + 0.05 * grain)
            return mix(c, srgb(90, 88, 85), (1 - smoothstep(0.02, 0.06, joint)) * clamp01(1 - fp / 0.4))
        }
        var c = srgb(88, 88, 92) * (0.9 + 0.08 * grain + 0.1 * patches)
        // Markings only where the road is a clear band several pixels wide.
        let halfWidth = r.minorSpread * 1.7
        if r.elongation > 3 && halfWidth > pixel * 5 {
            let d = SIMD2(u, v) - r.centroid
            let across = d.x * -r.axis.y + d.y * r.axis.x
            let along = (d * r.axis).sum()
            let lineW = max(pixel * 0.6, halfWidth * 0.05)
            if abs(abs(across) - halfWidth * 0.85) < lineW { c = mix(c, srgb(225, 225, 220), 0.8) }
            if abs(across) < lineW && fract(along / (halfWidth * 1.5)) < 0.5 {
                c = mix(c, kind < 0.6 ? srgb(230, 200, 90) : srgb(225, 225, 220), 0.85)
            }
        }
        return c
    }

    /// Many small blooms over dark grass; blooms shrink with distance but stay a couple of pixels.
    func flowers(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let g = groundPoint(u, v)
        var n = SIMD3<Float>(0, 1, 0)
        let base = grass(g.x, g.z, g.footprint, &n) * 0.75
        let saturated: [SIMD3<Float>] = [srgb(240, 50, 50), srgb(255, 215, 40), srgb(175, 95, 225), srgb(250, 110, 185),
                                         srgb(250, 140, 40), srgb(90, 120, 235)]
        let a = saturated[Int(pick(r, 4) * Float(saturated.count))]
        let b = pick(r, 5) < 0.4 ? srgb(250, 250, 245) : saturated[Int(pick(r, 6) * Float(saturated.count))]
        let perspective = v > camera.horizon + 0.02 ? 0.2 * camera.focal / g.z : pixel * 4
        let cell = min(pixel * 12, max(pixel * 2.2, perspective))
        let gx = u / cell, gy = v / cell
        let ix = Int32(gx.rounded(.down)), iy = Int32(gy.rounded(.down))
        var best: Float = 9, petal = a, key: Int32 = 0
        for dj in Int32(-1)...1 {
            for di in Int32(-1)...1 {
                let cx = ix &+ di, cy = iy &+ dj
                let px = Float(cx) + 0.5 + 0.7 * (Noise.cell(cx, cy, r.seed) - 0.5)
                let py = Float(cy) + 0.5 + 0.7 * (Noise.cell(cx, cy, r.seed &+ 1) - 0.5)
                let radius = 0.3 + 0.18 * Noise.cell(cx, cy, r.seed &+ 2)
                let d = ((gx - px) * (gx - px) + (gy - py) * (gy - py)).squareRoot() / radius
                if d < best { best = d; key = cx &* 7919 &+ cy; petal = Noise.cell(cx, cy, r.seed &+ 3) < 0.65 ? a : b }
            }
        }
        let edge = max(0.15, pixel / cell * 1.5)
        let inside = 1 - smoothstep(1 - edge, 1 + edge, best)
        let heart = cell > pixel * 5 ? 1 - smoothstep(0.25, 0.4, best) : 0
        var bloom = petal * (0.85 + 0.3 * Noise.cell(key, 9, r.seed)) * (1.05 - 0.25 * best)
        bloom = mix(bloom, srgb(250, 200, 40), heart * 0.8)
        let c = mix(base, bloom, inside) * light.light(SIMD3(0, 1, 0))
        return light.fog(c, distance: g.z)
    }

    // MARK: Rocks and vegetation

    /// Lumps: a Voronoi field of rounded stones, each lit as a sphere, crevices dark,
    /// the whole region shaded as one boulder too, with a shadow at its foot.
    func rock(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let s = min(max(min(r.width, r.height) * 0.45, pixel * 2.5), 0.14)
        let gx = u / s, gy = v / s
        let ix = Int32(gx.rounded(.down)), iy = Int32(gy.rounded(.down))
        var d1: Float = 9, d2: Float = 9, off = SIMD2<Float>(0, 0), key: Int32 = 0
        for dj in Int32(-1)...1 {
            for di in Int32(-1)...1 {
                let cx = ix &+ di, cy = iy &+ dj
                let p = SIMD2(Float(cx) + 0.5 + 0.8 * (Noise.cell(cx, cy, r.seed) - 0.5),
                              Float(cy) + 0.5 + 0.8 * (Noise.cell(cx, cy, r.seed &+ 1) - 0.5))
                let dv = SIMD2(gx, gy) - p
                let d = (dv * dv).sum().squareRoot()
                if d < d1 { d2 = d1; d1 = d; off = dv; key = cx &* 131 &+ cy } else if d < d2 { d2 = d }
            }
        }
        // Lump normal (sphere around its cell centre) blended with the region's own dome.
        let lump = off / 0.75
        let whole = (SIMD2(u, v) - r.centroid) / SIMD2(max(r.width * 0.5, pixel), max(r.height * 0.5, pixel))
        let q = lump * 0.6 + whole * 0.55
        let detail = Noise.fbm(u / s * 3, v / s * 3, r.seed &+ 5, octaves: 3, footprint: pixel / s * 3)
        let nz = max(0.15, 1 - min(1, (q * q).sum())).squareRoot()
        let normal = normalize(SIMD3(q.x + detail * 0.2, -q.y + 0.25 + detail * 0.15, -nz))
        let tone = pick(r, 7)
        var albedo = mix(srgb(150, 140, 125), srgb(100, 96, 94), tone) * (0.85 + 0.3 * Noise.cell(key, 4, r.seed)) * (0.9 + 0.15 * detail)
        let crevice = smoothstep(0, 0.18, d2 - d1)
        albedo *= 0.35 + 0.65 * crevice
        let foot = smoothstep(0.75, 1, r.runPosition(v)) * 0.45
        var c = albedo * light.light(normal) * (1 - foot)
        if isWinter { c = mix(c, SIMD3(0.82, 0.85, 0.9) * light.light(SIMD3(0, 1, 0)), smoothstep(0.2, 0.6, -q.y + detail * 0.3) * 0.8) }
        return light.fog(c, distance: distance(r))
    }

    /// Crowns: a jittered grid of leaf clumps shaded as spheres (or cones for
    /// conifers), gaps dark, lower rows in the shade of the upper.
    func crowns(_ u: Float, _ v: Float, _ r: RegionPoint, bush: Bool) -> SIMD3<Float> {
        let conifer = !bush && (isWinter ? pick(r, 8) < 0.8 : pick(r, 8) < 0.3)
        let s = bush ? min(max(min(r.width, r.height) * 0.35, pixel * 2), 0.06)
                     : min(max(min(r.width, r.height) * 0.3, pixel * 2.5), 0.09)
        let cellH = s * (conifer ? 1.3 : 0.85)
        let gu = u / s, gv = (v - r.box.y) / cellH
        let iu = Int32(gu.rounded(.down)), iv = Int32(gv.rounded(.down))
        var bestCy: Float = -1e9, nx: Float = 0, ny: Float = 0, key: Int32 = 0, inside = false
        for dj in Int32(-1)...1 {
            for di in Int32(-1)...1 {
                let cu = iu &+ di, cv = iv &+ dj
                let cx = Float(cu) + 0.5 + 0.6 * (Noise.cell(cu, cv, r.seed) - 0.5)
                let cy = Float(cv) + 0.5 + 0.6 * (Noise.cell(cu, cv, r.seed &+ 1) - 0.5)
                let radius = 0.62 + 0.3 * Noise.cell(cu, cv, r.seed &+ 2)
                let dx = (gu - cx) / radius, dy = (gv - cy) / radius
                let within = conifer ? dy > -1 && dy < 0.9 && abs(dx) < (dy + 1) * 0.5 : dx * dx + dy * dy < 1
                if within && cy > bestCy {
                    bestCy = cy; inside = true
                    nx = conifer ? dx / max(0.2, (dy + 1) * 0.5) : dx
                    ny = dy
                    key = cu &* 7919 &+ cv
                }
            }
        }
        let leaf = Noise.fbm(u / s * 3, v / s * 3, r.seed &+ 3, octaves: 2, footprint: pixel / s * 3)
        let nz = max(0.1, 1 - min(1, nx * nx) * 0.8 - min(1, ny * ny) * 0.5).squareRoot()
        let n = normalize(SIMD3(nx * 0.9 + leaf * 0.25, -ny * 0.8 + 0.25, -nz))
        var albedo: SIMD3<Float>
        if bush {
            albedo = colors.bush[Int(Noise.hash(key, 1, r.seed) % UInt32(colors.bush.count))] * 1.1
        } else {
            albedo = conifer ? colors.conifer : colors.leaves[Int(Noise.hash(key, 3, r.seed) % UInt32(colors.leaves.count))]
        }
        albedo *= 0.8 + 0.35 * Noise.cell(key, 5, r.seed)
        let deep = 1 - 0.4 * r.runPosition(v) * (r.runLength > pixel * 6 ? 1 : 0)
        var c = albedo * light.light(n) * (0.8 + 0.25 * leaf) * deep * (inside ? 1 : 0.45)
        if isWinter && ny < -0.2 && leaf > -0.2 { c = mix(c, SIMD3(0.8, 0.83, 0.88) * light.light(SIMD3(0, 1, 0)), 0.6) }
        return light.fog(c, distance: distance(r))
    }

    // MARK: Man-made

    /// A roof along the region's top edge (tiles, a dark eave), walls below with a
    /// grid of windows fitted to the region and a door at the bottom.
    func house(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let wallColors: [SIMD3<Float>] = [srgb(235, 230, 215), srgb(225, 200, 150), srgb(200, 120, 90), srgb(245, 240, 235),
                                          srgb(180, 150, 115), srgb(210, 215, 205), srgb(150, 95, 70)]
        let roofColors: [SIMD3<Float>] = [srgb(170, 70, 50), srgb(80, 80, 90), srgb(120, 60, 45), srgb(150, 90, 60), srgb(60, 65, 75)]
        let wall = wallColors[Int(pick(r, 1) * Float(wallColors.count))]
        let roofColor = roofColors[Int(pick(r, 2) * Float(roofColors.count))]
        let roofDepth = min(max(r.height * 0.32, pixel * 1.5), 0.25)
        let fromTop = v - r.runTop
        let sunSide: Float = light.sun.x >= 0 ? 1 : -1
        if !r.clippedTop && fromTop < roofDepth && r.runLength > pixel * 2.5 {
            let t = fromTop / roofDepth
            var albedo: SIMD3<Float>
            if isWinter {
                albedo = SIMD3(0.85, 0.87, 0.92) * (0.95 + 0.05 * Noise.gradient(u / pixel * 0.3, v / pixel * 0.3, r.seed))
            } else {
                let rows = fract(fromTop / max(pixel * 2, roofDepth / 6))
                let line = (1 - smoothstep(0, 0.3, rows)) * (roofDepth > pixel * 8 ? 1 : 0)
                albedo = roofColor * (0.95 - 0.3 * line + 0.08 * Noise.gradient(u / pixel * 0.2, v / pixel * 0.5, r.seed))
            }
            // The roof slopes toward the camera and down: lit from above, darker at the eave.
            let slope = (u - r.centroid.x) / max(r.width * 0.5, pixel)
            let n = normalize(SIMD3(slope * 0.5, 0.8, -0.6))
            return light.fog(albedo * light.light(n) * (1 - 0.25 * t * t), distance: distance(r))
        }
        let wallTop = r.clippedTop ? r.box.y : min(r.box.w - pixel, r.box.y + roofDepth)
        let wallH = max(pixel, r.box.w - wallTop)
        var albedo = wall * (0.95 + 0.05 * Noise.gradient(u / pixel * 0.4, v / pixel * 0.4, r.seed))
        let cell = min(max(min(r.width, wallH) * 0.3, pixel * 2), 0.14)
        let columns = max(1, Int((r.width / cell).rounded()))
        let rows = max(1, Int((wallH / (cell * 1.15)).rounded()))
        let cellW = r.width / Float(columns), cellH = wallH / Float(rows)
        let cx = fract((u - r.box.x) / cellW) - 0.5
        let row = Int(((v - wallTop) / cellH).rounded(.down))
        let ty = fract((v - wallTop) / cellH)
        let glass = SIMD3<Float>(0.04, 0.06, 0.09) + light.skyHorizon * 0.15
        let detail = clamp01(cellW / pixel * 0.35 - 0.4)
        var window: Float = abs(cx) < 0.22 && ty > 0.25 && ty < 0.75 && v > wallTop ? 1 : 0
        let frame: Float = abs(cx) < 0.27 && ty > 0.2 && ty < 0.8 && window == 0 && v > wallTop ? 1 : 0
        var door: Float = 0
        let columnIndex = Int(((u - r.box.x) / cellW).rounded(.down))
        if row == rows - 1 && columnIndex == columns / 2 && columns >= 2 && abs(cx) < 0.25 && ty > 0.25 { door = 1; window = 0 }
        albedo = mix(albedo, srgb(240, 238, 232), frame * detail * 0.7)
        albedo = mix(albedo, glass, window * detail + 0.15 * (1 - detail))
        albedo = mix(albedo, srgb(90, 60, 40), door * detail)
        // Shade under the eave and a plinth at the foot.
        if !r.clippedTop && v - wallTop < max(pixel, roofDepth * 0.15) { albedo *= 0.6 }
        if r.box.w - v < max(pixel * 0.8, wallH * 0.05) { albedo *= 0.75 }
        let n = normalize(SIMD3(0.35 * sunSide, 0.05, -1))
        return light.fog(albedo * light.light(n), distance: distance(r))
    }

    /// Boards with dark gaps and two rails; thin strokes are plain weathered wood.
    func fence(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let woods: [SIMD3<Float>] = [srgb(125, 90, 60), srgb(230, 228, 220), srgb(150, 140, 125), srgb(100, 75, 55)]
        var albedo = woods[Int(pick(r, 1) * Float(woods.count))]
        let h = r.runLength
        albedo *= 0.9 + 0.15 * Noise.fbm(u / pixel * 0.3, v / pixel * 0.05, r.seed, octaves: 2)
        var shade: Float = 1
        if h > pixel * 4 {
            let period = min(max(h * 0.22, pixel * 2.5), 0.06)
            let board = fract((u - r.box.x) / period)
            let t = r.runPosition(v)
            let rail = abs(t - 0.28) < 0.07 || abs(t - 0.72) < 0.07
            if rail { shade = 1.1 } else if board > 0.72 { shade = 0.4 } else { shade = 0.85 + 0.3 * board }
        }
        let c = albedo * light.light(normalize(SIMD3(0.2, 0.3, -1))) * shade
        return light.fog(c, distance: distance(r))
    }

    /// A hull darkening to the waterline under a light gunwale; tall boats carry a sail.
    func boat(_ u: Float, _ v: Float, _ r: RegionPoint) -> SIMD3<Float> {
        let hulls: [SIMD3<Float>] = [srgb(240, 240, 235), srgb(190, 45, 40), srgb(40, 70, 140), srgb(35, 80, 60),
                                     srgb(150, 100, 60), srgb(240, 200, 60)]
        let hull = hulls[Int(pick(r, 1) * Float(hulls.count))]
        var n = SIMD3<Float>(0.1, 0.1, -1)
        var albedo: SIMD3<Float>
        let inBox = clamp01((v - r.box.y) / max(r.height, pixel))
        let tall = r.height > r.width * 0.7 && r.height > pixel * 6
        if tall && inBox < 0.6 {
            // Sail and mast.
            let mast = abs(u - r.centroid.x) < max(pixel * 0.5, r.width * 0.02)
            albedo = mast ? srgb(120, 110, 100) : srgb(245, 242, 232)
            n = normalize(SIMD3(0.4 * (light.sun.x >= 0 ? 1 : -1), 0.2, -1))
        } else {
            let t = tall ? clamp01((inBox - 0.6) / 0.4) : r.runPosition(v)
            let gunwale = hull.x > 0.7 && hull.y > 0.7 ? srgb(40, 70, 140) : srgb(240, 240, 235)
            albedo = t < 0.22 && r.runLength > pixel * 3 ? gunwale : hull
            albedo *= 1 - 0.35 * t
            if t > 0.85 && r.runLength > pixel * 5 { albedo *= 0.6 }
        }
        return light.fog(albedo * light.light(normalize(n)), distance: distance(r))
    }

    // MARK: Water

    /// Water at pixel (x, y): a mirror of what stands above the top of its run (flat
    /// ground does not show; the sky does, mirrored about the horizon), a deep body
    /// colour where it faces down, ripples and a glitter path under a visible sun.
    func water(x: Int, y: Int, top: Int, width: Int, region: RegionPoint, color: [SIMD3<Float>], waterWeight: [Float],
               labels: [UInt8]) -> SIMD3<Float> {
        let height = color.count / width
        let fh = Float(height)
        let u = (Float(x) + 0.5) / fh, v = (Float(y) + 0.5) / fh
        let g = groundPoint(u, v)
        let depthBelow = Float(y - top) + 0.5
        let surface = WaterSurface(x: g.x, z: g.z, footprint: g.footprint, seed: region.seed, calm: overcast ? 0.7 : 1.0,
                                   depthBelow: depthBelow)
        let rippleY = surface.rippleY
        let rx = min(width - 1, max(0, x + surface.rippleX))
        var reflected: SIMD3<Float>? = nil
        let ra = Int((Float(top) - depthBelow - rippleY).rounded())
        if ra >= 0 && ra < top {
            let q = ra * width + rx
            if Self.stands(labels[q]) && waterWeight[q] < 0.95 { reflected = color[q] / (1 - waterWeight[q]) }
        }
        if reflected == nil {
            let mirrored = 2 * camera.horizon - v - rippleY / fh
            reflected = light.sky(camera.ray(u: u, v: min(mirrored, camera.horizon - 0.002)))
        }
        let bodyTint = isWinter ? srgb(25, 50, 70) : [srgb(28, 85, 130), srgb(30, 75, 100), srgb(25, 90, 115)][Int(pick(region, 2) * 3)]
        return surface.color(reflected: reflected!, light: light, camera: camera, u: u, v: v, viewV: max(v, camera.horizon + 0.002),
                             winter: isWinter, bodyTint: bodyTint, reflectivity: (0.3, 0.6))
    }

    /// Things that show in water: everything but flat ground and water itself.
    static func stands(_ id: UInt8) -> Bool {
        switch LandscapeClass(rawValue: id) {
        case .grass?, .sand?, .road?, .snow?, .flower?, .water?, nil: return false
        default: return true
        }
    }
}
