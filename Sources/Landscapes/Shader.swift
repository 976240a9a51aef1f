#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func normalize(_ v: SIMD3<Float>) -> SIMD3<Float> { v / max((v * v).sum().squareRoot(), 1e-6) }
@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func fract(_ x: Float) -> Float { x - x.rounded(.down) }

/// Per-class procedural materials. Every function returns linear RGB before
/// exposure, with atmospheric perspective applied for its distance.
struct Shader {
    let scene: LandscapeScene
    let camera: Camera
    let light: Lighting
    let style: RenderStyle
    let colors: SeasonColors
    /// Size of one pixel in normalised units.
    let pixel: Float
    let styleSeed: UInt32

    init(scene: LandscapeScene, style: RenderStyle, height: Int) {
        self.scene = scene
        camera = scene.camera
        light = Lighting(style: style)
        self.style = style
        colors = SeasonColors(style.season)
        pixel = 1 / Float(height)
        styleSeed = UInt32(truncatingIfNeeded: style.seed)
    }

    /// A per-object random number in [0, 1) that also changes with the style seed.
    @inline(__always) func pick(_ seed: UInt32, _ k: Int32) -> Float { Noise.cell(k, 7, seed ^ styleSeed) }

    func shade(_ shape: SceneShape, _ u: Float, _ v: Float) -> SIMD3<Float> {
        switch shape.geometry {
        case .sky: return sky(u, v)
        case .cloud(let c): return cloud(c, u, v)
        case .ridge(let r): return mountain(r, u, v, snow: false)
        case .snowCap(let r): return mountain(r, u, v, snow: true)
        case .hill(let h): return hill(h, shape.classID, u, v, seed: shape.seed)
        case .ground: return ground(shape.classID, nil, u, v, seed: shape.seed)
        case .region(let r): return ground(shape.classID, r, u, v, seed: shape.seed)
        case .tree(let t): return tree(t, u, v, depth: shape.depth)
        case .blob(let b): return b.kind == .bush ? bush(b, u, v, depth: shape.depth) : boulder(b, u, v, depth: shape.depth)
        case .house(let h): return house(h, u, v, depth: shape.depth)
        case .fence(let f): return fence(f, u, v, depth: shape.depth)
        case .boat(let b): return boat(b, u, v, depth: shape.depth)
        }
    }

    // MARK: Sky and clouds

    func sky(_ u: Float, _ v: Float) -> SIMD3<Float> { light.sky(camera.ray(u: u, v: v)) }

    func cloud(_ c: Cloud, _ u: Float, _ v: Float) -> SIMD3<Float> {
        let dens = c.density(u, v)
        var lit: Float
        switch c.kind {
        case .cumulus:
            var best: Float = -10, nx: Float = 0, ny: Float = 0
            for p in c.puffs {
                let dx = u - p.x, dy = v - p.y
                let d = 1 - (dx * dx + dy * dy).squareRoot() / p.z
                if d > best { best = d; nx = dx / p.z; ny = dy / p.z }
            }
            let up = -ny
            let toward = nx * (light.sun.x >= 0 ? 1 : -1)
            let baseShade = smoothstep(0, 1, (v - (c.baseV - c.size.y * 0.7)) / (c.size.y * 0.7))
            lit = 0.55 + 0.35 * up + 0.22 * toward * (1 - light.overcast) - 0.4 * baseShade
            lit += 0.12 * Noise.fbm(u / c.size.y * 3, v / c.size.y * 3, c.seed &+ 3, octaves: 3, footprint: pixel / c.size.y * 3)
        case .stratus:
            lit = 0.75 + 0.3 * Noise.fbm(u / c.size.x * 3, v / c.size.y * 1.5, c.seed &+ 9, octaves: 3)
        }
        let col = mix(light.cloudShade, light.cloudLit, clamp01(lit))
        let alpha = 0.6 + 0.4 * smoothstep(0, 0.3, dens)
        return mix(sky(u, v), col, alpha)
    }

    // MARK: Mountains and hills

    func mountain(_ r: Ridge, _ u: Float, _ v: Float, snow: Bool) -> SIMD3<Float> {
        let e: Float = 0.025
        let top = r.top(u)
        // Face orientation from the broad silhouette (fine silhouette detail would streak).
        let slope = (r.top(u + e) - r.top(u - e)) / (2 * e)
        let below = max(0, (v - top) / r.height)
        // Eroded faces: ridged noise as a height field, its gradient as the facet normal.
        let k = 7 / max(r.height, 0.05)
        let fp = pixel * k
        let f0 = Noise.ridged(u * k, v * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let fx = Noise.ridged((u + pixel) * k, v * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let fy = Noise.ridged(u * k, (v + pixel) * k * 1.3, r.seed &+ 11, octaves: 4, footprint: fp)
        let gx = (fx - f0) / fp, gy = (fy - f0) / fp
        let crestWeight = expf(-below * 2)
        let nx = max(-1.5, min(1.5, slope * 0.7 * crestWeight - gx * 0.45))
        let ny = 0.55 - gy * 0.25 - 0.2 * below
        let n = normalize(SIMD3(nx, ny, -0.75))
        var albedo: SIMD3<Float>
        if snow {
            albedo = SIMD3(0.85, 0.87, 0.92)
        } else {
            let strata = Noise.fbm(u * k * 0.5, v * k * 2.5, r.seed &+ 21, octaves: 3, footprint: fp * 2.5)
            albedo = mix(srgb(135, 122, 108), srgb(92, 88, 90), 0.5 + 0.5 * strata) * (0.85 + 0.3 * f0)
            if !scene.isWinter {
                let veg = smoothstep(0.4, 0.85, below + 0.25 * (f0 - 0.5))
                albedo = mix(albedo, colors.slopeVegetation * 0.75, veg * 0.85)
            } else {
                albedo = mix(albedo, SIMD3(0.6, 0.62, 0.66), 0.3)
            }
        }
        let c = albedo * light.light(n)
        return light.fog(c, distance: r.distance)
    }

    func hill(_ h: Hill, _ cls: LandscapeClass, _ u: Float, _ v: Float, seed: UInt32) -> SIMD3<Float> {
        let z = h.distance
        switch cls {
        case .tree:
            return forestCanopy(h, u, v, seed: seed)
        case .rock:
            let s: Float = 0.03
            let n0 = Noise.fbm(u / s, v / s, seed, octaves: 4, footprint: pixel / s)
            let n1 = Noise.fbm((u + pixel) / s, v / s, seed, octaves: 4, footprint: pixel / s)
            let top = h.top(u)
            let slope = (h.top(u + 0.004) - h.top(u - 0.004)) / 0.008
            let n = normalize(SIMD3(slope * 0.6 + (n1 - n0) / (pixel / s) * 0.15, 0.45 - 0.3 * clamp01((v - top) * 20), -0.8))
            let cracks = Noise.ridged(u / s * 0.7, v / s * 2, seed &+ 4, octaves: 2, footprint: pixel / s * 2)
            let albedo = mix(srgb(140, 128, 112), srgb(95, 90, 88), 0.5 + 0.5 * n0) * (1 - 0.35 * cracks * cracks)
            return light.fog(albedo * light.light(n), distance: z)
        default:
            // Grass, snow or sand hills: the ground material seen at the hill's distance.
            let x = (u - camera.centerU) * z / camera.focal
            let slope = (h.top(u + 0.004) - h.top(u - 0.004)) / 0.008
            let zFake = z + (v - h.smoothTop(u)) * z * 4
            return groundSurface(cls, nil, x: x, z: zFake, u: u, v: v, footprint: z * pixel / camera.focal * 3,
                                 tilt: SIMD2(slope * 0.5, 0), seed: seed, fogDistance: z)
        }
    }

    /// A wall of tree crowns: the silhouette crowns along the top, then a jittered
    /// grid of crowns below, each shaded as a small sphere (or cone), darker deeper in.
    func forestCanopy(_ h: Hill, _ u: Float, _ v: Float, seed: UInt32) -> SIMD3<Float> {
        let s = h.crownSize
        let conifer = h.surface == .coniferCrowns || scene.isWinter
        let smooth = h.smoothTop(u)
        var nx: Float, ny: Float, key: Int32
        var inside = true
        if v < smooth {
            let (k, off, bump) = h.crown(u)
            let rel = bump > 0 ? clamp01((v - (smooth - bump)) / bump) : 1
            nx = off; ny = conifer ? rel * 1.4 - 0.4 : rel * 2 - 1; key = k
        } else {
            let cellH = s * (conifer ? 1.3 : 0.85)
            let gu = u / s, gv = (v - smooth) / cellH
            let iu = Int32(gu.rounded(.down)), iv = Int32(gv.rounded(.down))
            var bestCy: Float = -1e9
            nx = 0; ny = 0; key = 0; inside = false
            for dj in Int32(-1)...1 {
                for di in Int32(-1)...1 {
                    let cu = iu &+ di, cv = iv &+ dj
                    let cx = Float(cu) + 0.5 + 0.6 * (Noise.cell(cu, cv, seed) - 0.5)
                    let cy = Float(cv) + 0.5 + 0.6 * (Noise.cell(cu, cv, seed &+ 1) - 0.5)
                    let r = 0.62 + 0.3 * Noise.cell(cu, cv, seed &+ 2)
                    let dx = (gu - cx) / r, dy = (gv - cy) / r
                    let within: Bool
                    if conifer { within = dy > -1 && dy < 0.9 && abs(dx) < (dy + 1) * 0.5 } else { within = dx * dx + dy * dy < 1 }
                    if within && cy > bestCy {
                        bestCy = cy; inside = true
                        nx = conifer ? dx / max(0.2, (dy + 1) * 0.5) : dx
                        ny = dy
                        key = cu &* 7919 &+ cv
                    }
                }
            }
        }
        let leaf = Noise.fbm(u / s * 3, v / s * 3, seed, octaves: 2, footprint: pixel / s * 3)
        let nz = max(0.1, 1 - min(1, nx * nx) * 0.8 - min(1, ny * ny) * 0.5).squareRoot()
        let n = normalize(SIMD3(nx * 0.9 + leaf * 0.25, -ny * 0.8 + 0.25, -nz))
        let pickIndex = Int(Noise.hash(key, 3, seed) % UInt32(colors.leaves.count))
        var albedo = conifer ? colors.conifer : colors.leaves[pickIndex]
        albedo *= 0.8 + 0.35 * Noise.cell(key, 5, seed)
        let deep = 1 - 0.45 * clamp01((v - smooth) / (s * 5))
        var c = albedo * light.light(n) * (0.8 + 0.25 * leaf) * deep * (inside ? 1 : 0.45)
        if scene.isWinter && ny < -0.2 && leaf > -0.2 { c = mix(c, SIMD3(0.8, 0.83, 0.88) * light.light(SIMD3(0, 1, 0)), 0.6) }
        return light.fog(c, distance: h.distance)
    }

    // MARK: Ground

    func ground(_ cls: LandscapeClass, _ region: GroundRegion?, _ u: Float, _ v: Float, seed: UInt32) -> SIMD3<Float> {
        let vv = max(v, camera.horizon + pixel * 0.5)
        let p = camera.groundPoint(u: u, v: vv)
        // Metres per pixel, across and along the view.
        let across = p.y * pixel / camera.focal
        let along = across * p.y / camera.eyeHeight
        return groundSurface(cls, region, x: p.x, z: p.y, u: u, v: v, footprint: (across * along).squareRoot() * 1.2,
                             tilt: .zero, seed: seed, fogDistance: p.y)
    }

    func groundSurface(_ cls: LandscapeClass, _ region: GroundRegion?, x: Float, z: Float, u: Float, v: Float,
                       footprint fp: Float, tilt: SIMD2<Float>, seed: UInt32, fogDistance: Float) -> SIMD3<Float> {
        var albedo: SIMD3<Float>
        var n = SIMD3<Float>(tilt.x, 1, -tilt.y)
        switch cls {
        case .grass, .flower:
            let big = Noise.fbm(x / 45, z / 45, 101 ^ styleSeed, octaves: 3, footprint: fp / 45)
            let mid = Noise.fbm(x / 4, z / 4, 102, octaves: 3, footprint: fp / 4)
            let blades = Noise.fbm(x * 2.5, z * 2.5, 103, octaves: 2, footprint: fp * 2.5)
            albedo = mix(colors.grassB, colors.grassA, clamp01(0.5 + 0.6 * big))
            albedo = mix(albedo, colors.grassDry, clamp01(0.25 * mid + 0.1))
            albedo *= 0.85 + 0.18 * mid + 0.2 * blades
            n += SIMD3(0.25 * mid, 0, 0.15 * blades)
            if cls == .flower { albedo = flowers(albedo, x: x, z: z, fp: fp, seed: seed) }
        case .sand:
            let ripple = sinf(z * 2.2 + x * 0.4 + 4 * Noise.fbm(x / 6, z / 6, 201, octaves: 2))
            let rippleWeight = clamp01(1 - fp / 0.25)
            let grain = Noise.fbm(x * 4, z * 4, 202, octaves: 2, footprint: fp * 4)
            let patches = Noise.fbm(x / 20, z / 20, 203 ^ styleSeed, octaves: 2, footprint: fp / 20)
            albedo = srgb(238, 210, 152) * (0.92 + 0.08 * grain + 0.07 * patches)
            n += SIMD3(0, 0, 0.25 * ripple * rippleWeight)
        case .road:
            albedo = road(region, x: x, z: z, fp: fp, seed: seed)
        case .snow:
            let drift = Noise.fbm(x / 15, z / 15, 301, octaves: 3, footprint: fp / 15)
            let fine = Noise.fbm(x * 1.5, z * 1.5, 302, octaves: 2, footprint: fp * 1.5)
            albedo = SIMD3(0.86, 0.88, 0.92) * (0.95 + 0.05 * fine)
            n += SIMD3(0.18 * drift + 0.06 * fine, 0, 0.12 * drift)
        case .rock:
            let g = Noise.fbm(x / 2, z / 2, 401, octaves: 3, footprint: fp / 2)
            albedo = mix(srgb(130, 120, 108), srgb(90, 86, 84), 0.5 + 0.5 * g)
        default:
            albedo = colors.grassA
        }
        let c = albedo * light.light(normalize(n))
        return light.fog(c, distance: fogDistance)
    }

    /// Flowers: coloured dots on grass; beyond dot size they blend to a tinted field.
    func flowers(_ grass: SIMD3<Float>, x: Float, z: Float, fp: Float, seed: UInt32) -> SIMD3<Float> {
        // The main colour is always a saturated one: white or orange alone reads as
        // gravel or bare earth from a distance.
        let saturated: [SIMD3<Float>] = [srgb(240, 50, 50), srgb(255, 215, 40), srgb(175, 95, 225), srgb(250, 110, 185)]
        let second = saturated + [srgb(250, 250, 245)]
        let a = saturated[Int(Noise.hash(1, 1, seed ^ styleSeed) % UInt32(saturated.count))]
        let b = second[Int(Noise.hash(2, 1, seed ^ styleSeed) % UInt32(second.count))]
        let cell: Float = 0.22
        let far = mix(grass, mix(a, b, 0.3), 0.8)
        let blend = smoothstep(cell * 0.6, cell * 1.6, fp)
        if blend >= 1 { return far * (0.9 + 0.15 * Noise.fbm(x / 2, z / 2, seed, octaves: 2)) }
        let cx = (x / cell).rounded(.down), cz = (z / cell).rounded(.down)
        let ix = Int32(cx), iz = Int32(cz)
        let jx = Noise.cell(ix, iz, seed), jz = Noise.cell(ix, iz, seed &+ 1)
        let dx = x / cell - cx - (0.2 + 0.6 * jx), dz = z / cell - cz - (0.2 + 0.6 * jz)
        let r = 0.34 + 0.12 * Noise.cell(ix, iz, seed &+ 2)
        let inside = 1 - smoothstep(r * 0.7, r, (dx * dx + dz * dz).squareRoot())
        let petal = Noise.cell(ix, iz, seed &+ 3) < 0.7 ? a : b
        let near = mix(grass * 0.8, petal, inside)
        return mix(near, far, blend)
    }

    func road(_ region: GroundRegion?, x: Float, z: Float, fp: Float, seed: UInt32) -> SIMD3<Float> {
        let grain = Noise.fbm(x * 2, z * 2, 501, octaves: 2, footprint: fp * 2)
        let patches = Noise.fbm(x / 8, z / 8, 502, octaves: 2, footprint: fp / 8)
        guard let region else { return srgb(95, 95, 98) }
        switch region.form {
        case .band(let path, let halfWidth, _, _, _):
            let across = x - path.x(atZ: z)
            if halfWidth < 2.4 {
                // A dirt path: packed earth with two lighter wheel tracks.
                var c = srgb(140, 115, 85) * (0.9 + 0.1 * grain + 0.08 * patches)
                let t = abs(abs(across) - halfWidth * 0.45)
                c = mix(c, srgb(165, 145, 115), (1 - smoothstep(0.1, 0.35, t)) * clamp01(1 - fp / 0.3) * 0.7)
                return c
            }
            var c = srgb(88, 88, 92) * (0.9 + 0.08 * grain + 0.1 * patches)
            let lineW = max(0.08, fp * 0.5)
            let edge = halfWidth - 0.35
            if abs(abs(across) - edge) < lineW { c = mix(c, srgb(225, 225, 220), clamp01(0.12 / lineW)) }
            if abs(across) < lineW && fract(z / 9) < 0.5 { c = mix(c, srgb(230, 200, 90), clamp01(0.1 / lineW)) }
            return c
        default:
            // A quay: paving stones.
            let sx = fract(x / 1.2), sz = fract(z / 0.8)
            let joint = min(min(sx, 1 - sx) * 1.2, min(sz, 1 - sz) * 0.8)
            let stone = Noise.cell(Int32((x / 1.2).rounded(.down)), Int32((z / 0.8).rounded(.down)), 503)
            var c = srgb(150, 145, 135) * (0.85 + 0.2 * stone + 0.05 * grain)
            c = mix(c, srgb(90, 88, 85), (1 - smoothstep(0.02, 0.06, joint)) * clamp01(1 - fp / 0.4))
            return c
        }
    }

    // MARK: Vegetation and rocks

    func tree(_ t: Tree, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        let cw = t.crownWidth
        let leafPick = Int(Noise.hash(0, 0, t.seed ^ styleSeed) % UInt32(colors.leaves.count))
        var leafColor = t.kind == .conifer || scene.isWinter && t.kind != .deciduous ? colors.conifer : colors.leaves[leafPick]
        leafColor *= 0.85 + 0.3 * pick(t.seed, 1)
        if !t.crownContains(u, v) {
            let dx = (u - t.trunk.a.x) / max(t.trunk.halfWidth, pixel * 0.5)
            let n = normalize(SIMD3(max(-1, min(1, dx)), 0.2, -1))
            let bark = srgb(85, 65, 50) * (0.85 + 0.2 * Noise.fbm(u / cw * 10, v / cw * 2, t.seed, octaves: 2, footprint: pixel / cw * 10))
            return light.fog(bark * light.light(n) * 0.8, distance: depth)
        }
        let leafScale = 7 / cw
        let leaf = Noise.fbm(u * leafScale, v * leafScale, t.seed &+ 1, octaves: 3, footprint: pixel * leafScale)
        var n: SIMD3<Float>
        var ao: Float = 1
        var snowCover: Float = 0
        switch t.kind {
        case .deciduous:
            let i = t.puffIndex(u, v)
            let p = i >= 0 ? t.puffs[i] : SIMD3(t.base.x, (t.crownTop + t.crownBottom) / 2, cw)
            let nx = (u - p.x) / p.z, ny = (v - p.y) / p.z
            let nz = max(0.05, 1 - nx * nx - ny * ny).squareRoot()
            n = normalize(SIMD3(nx, -ny, -nz) + SIMD3(leaf * 0.35, leaf * 0.2, 0))
            ao = 0.6 + 0.4 * clamp01(0.6 - ny * 0.8) * (i > 0 ? 1 : 0.8)
            if scene.isWinter { snowCover = smoothstep(0.3, 0.7, -ny + leaf * 0.4) }
        case .conifer:
            let hw = max(t.coniferHalfWidth(v), pixel)
            let tt = (v - t.crownTop) / (t.crownBottom - t.crownTop)
            let saw = fract(tt * 5)
            let nx = max(-1, min(1, (u - t.base.x) / hw))
            n = normalize(SIMD3(nx, 0.6 - saw * 0.9, -0.7) + SIMD3(leaf * 0.3, 0, 0))
            ao = 0.7 + 0.3 * (1 - saw)
            if scene.isWinter { snowCover = smoothstep(0.35, 0.1, saw) * smoothstep(-0.2, 0.3, leaf + 0.2) }
        case .poplar:
            let cy = (t.crownTop + t.crownBottom) * 0.5, ry = (t.crownBottom - t.crownTop) * 0.5
            let nx = (u - t.base.x) / cw, ny = (v - cy) / ry
            let nz = max(0.05, 1 - nx * nx - ny * ny).squareRoot()
            n = normalize(SIMD3(nx, -ny * 0.5, -nz) + SIMD3(leaf * 0.4, leaf * 0.2, 0))
            ao = 0.75 + 0.25 * clamp01(-ny + 0.5)
        }
        var c = leafColor * light.light(n) * ao * (0.8 + 0.3 * leaf)
        if snowCover > 0 { c = mix(c, SIMD3(0.82, 0.85, 0.9) * light.light(SIMD3(0, 1, -0.3)), snowCover * 0.85) }
        return light.fog(c, distance: depth)
    }

    func bush(_ b: Blob, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        let i = b.puffIndex(u, v)
        let p = i >= 0 ? b.puffs[i] : SIMD3(b.center.x, b.center.y, b.radii.x)
        let nx = (u - p.x) / p.z, ny = (v - p.y) / p.z
        let nz = max(0.05, 1 - nx * nx - ny * ny).squareRoot()
        let s = 9 / b.radii.x
        let leaf = Noise.fbm(u * s, v * s, b.seed, octaves: 3, footprint: pixel * s)
        let n = normalize(SIMD3(nx, -ny, -nz) + SIMD3(leaf * 0.4, leaf * 0.3, 0))
        var albedo = colors.bush[Int(Noise.hash(0, 0, b.seed ^ styleSeed) % UInt32(colors.bush.count))]
        albedo *= 0.8 + 0.3 * pick(b.seed, 2)
        var c = albedo * light.light(n) * (0.7 + 0.3 * leaf) * (0.65 + 0.35 * clamp01(0.5 - ny))
        if scene.isWinter { c = mix(c, SIMD3(0.8, 0.83, 0.88) * light.light(SIMD3(0, 1, 0)), smoothstep(0.2, 0.6, -ny + leaf * 0.3) * 0.8) }
        return light.fog(c, distance: depth)
    }

    func boulder(_ b: Blob, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        let nx = (u - b.center.x) / b.radii.x, ny = (v - b.center.y) / b.radii.y
        let s = 3 / b.radii.x
        let f0 = Noise.fbm(u * s, v * s, b.seed, octaves: 3, footprint: pixel * s)
        let f1 = Noise.fbm((u + pixel) * s, v * s, b.seed, octaves: 3, footprint: pixel * s)
        let f2 = Noise.fbm(u * s, (v + pixel) * s, b.seed, octaves: 3, footprint: pixel * s)
        let gx = (f1 - f0) / (pixel * s), gy = (f2 - f0) / (pixel * s)
        let nz = max(0.1, 1 - nx * nx - ny * ny).squareRoot()
        let n = normalize(SIMD3(nx + gx * 0.25, -ny - gy * 0.25, -nz))
        let tone = pick(b.seed, 3)
        var albedo = mix(srgb(150, 140, 125), srgb(105, 100, 98), tone) * (0.85 + 0.25 * f0)
        let crack = Noise.ridged(u * s * 0.8, v * s * 0.8, b.seed &+ 2, octaves: 2, footprint: pixel * s)
        albedo *= 1 - 0.35 * crack * crack * crack
        var c = albedo * light.light(n) * (0.7 + 0.3 * clamp01(0.8 - ny))
        if scene.isWinter { c = mix(c, SIMD3(0.82, 0.85, 0.9) * light.light(SIMD3(0, 1, 0)), smoothstep(0.1, 0.5, -ny + f0 * 0.3) * 0.85) }
        return light.fog(c, distance: depth)
    }

    // MARK: Man-made

    func house(_ h: House, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        var i = h.faceIndex(u, v)
        if i < 0 { i = h.faces.count - 1 }
        let f = h.faces[i]
        let dir = camera.ray(u: u, v: v)
        let denom = dot(dir, f.normal)
        let tHit = abs(denom) > 1e-6 ? dot(f.origin - camera.eye, f.normal) / denom : depth
        let p = camera.eye + dir * tHit - f.origin
        let s = dot(p, f.axisS), t = dot(p, f.axisT)
        let metrePx = camera.focal / max(depth, 1) / pixel   // pixels per metre
        let wallColors: [SIMD3<Float>] = [srgb(235, 230, 215), srgb(225, 200, 150), srgb(200, 120, 90), srgb(245, 240, 235),
                                          srgb(180, 150, 115), srgb(210, 215, 205), srgb(150, 95, 70)]
        let roofColors: [SIMD3<Float>] = [srgb(170, 70, 50), srgb(80, 80, 90), srgb(120, 60, 45), srgb(150, 90, 60), srgb(60, 65, 75)]
        let wall = wallColors[Int(Noise.hash(1, 2, h.seed ^ styleSeed) % UInt32(wallColors.count))]
        let roofC = roofColors[Int(Noise.hash(3, 4, h.seed ^ styleSeed) % UInt32(roofColors.count))]
        var albedo: SIMD3<Float>
        switch f.kind {
        case .roof:
            if scene.isWinter {
                albedo = SIMD3(0.85, 0.87, 0.92) * (0.95 + 0.05 * Noise.gradient(s, t, h.seed))
            } else {
                let rows = fract(t / 0.4)
                let line = (1 - smoothstep(0.0, 0.25, rows)) * clamp01(metrePx * 0.4 - 0.5)
                albedo = roofC * (0.95 - 0.3 * line + 0.08 * Noise.gradient(s * 2, t * 2, h.seed))
            }
        case .wall, .gable:
            albedo = wall * (0.95 + 0.05 * Noise.gradient(s * 3, t * 3, h.seed))
            let storeyH: Float = 2.8
            let wallTop: Float = f.kind == .gable ? (h.storeys == 2 ? 5.6 : 3.2) : f.height
            // Windows in a grid; blended to an average tint when smaller than a pixel or two.
            let columns = max(1, Int((f.width / 2.7).rounded()))
            let cellW = f.width / Float(columns)
            let cx = fract(s / cellW) - 0.5
            let storey = (t / storeyH).rounded(.down)
            let ty = t - storey * storeyH
            let glass = SIMD3<Float>(0.05, 0.07, 0.1) + light.skyHorizon * 0.12
            var windowMask: Float = 0
            if t < wallTop - 0.6 && storey < Float(h.storeys) && s > 0.4 && s < f.width - 0.4 {
                let wx = 0.55 / cellW, inWindow = abs(cx) < wx * 0.5 / 0.55 * 0.55 && ty > 0.9 && ty < 2.2
                windowMask = inWindow ? 1 : 0
            }
            var doorMask: Float = 0
            if f.isFront && t < 2.1 && abs(s - f.width * 0.5) < 0.55 { doorMask = 1; windowMask = 0 }
            let detail = clamp01(metrePx * 0.6 - 0.6)
            let avgGlass: Float = f.kind == .wall ? 0.18 : 0.08
            albedo = mix(albedo, glass, windowMask * detail + avgGlass * (1 - detail))
            albedo = mix(albedo, srgb(90, 60, 40), doorMask * detail)
        }
        let c = albedo * light.light(f.normal)
        return light.fog(c, distance: depth)
    }

    func fence(_ f: Fence, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        let colorsF: [SIMD3<Float>] = [srgb(125, 90, 60), srgb(230, 228, 220), srgb(150, 140, 125), srgb(100, 75, 55)]
        let albedo = colorsF[Int(Noise.hash(5, 6, f.seed ^ styleSeed) % UInt32(colorsF.count))]
        let i = f.strokeIndex(u, v, minHalfWidth: pixel * 0.55)
        var shade: Float = 1
        if i >= 0 {
            let stroke = f.strokes[i]
            let d = stroke.distance(u, v).0 / max(stroke.halfWidth, pixel * 0.55)
            shade = f.isPost[i] ? 0.9 + 0.1 * d : (v > (stroke.a.y + stroke.b.y) / 2 ? 0.8 : 1.0)
        }
        let c = albedo * light.light(normalize(SIMD3(0.2, 0.3, -1))) * shade
        return light.fog(c, distance: depth)
    }

    func boat(_ b: Boat, _ u: Float, _ v: Float, depth: Float) -> SIMD3<Float> {
        let hulls: [SIMD3<Float>] = [srgb(240, 240, 235), srgb(190, 45, 40), srgb(40, 70, 140), srgb(35, 80, 60),
                                     srgb(150, 100, 60), srgb(240, 200, 60)]
        let hull = hulls[Int(Noise.hash(7, 8, b.seed ^ styleSeed) % UInt32(hulls.count))]
        let part = b.part(u, v, minHalfWidth: pixel * 0.55)
        var albedo: SIMD3<Float>
        var n = SIMD3<Float>(0.1, 0.1, -1)
        switch part {
        case .cabin:
            let tt = clamp01((v - b.cabin!.bounds.v0) / max(b.cabin!.bounds.v1 - b.cabin!.bounds.v0, pixel))
            albedo = tt > 0.25 && tt < 0.55 ? srgb(40, 50, 60) : srgb(235, 235, 230)
            if tt < 0.2 { n = SIMD3(0, 1, -0.3) }
        case .sail:
            albedo = srgb(245, 242, 232)
            n = normalize(SIMD3(0.4 * (light.sun.x >= 0 ? 1 : -1), 0.2, -1))
        case .mast:
            albedo = srgb(150, 150, 155)
        default:
            let tt = clamp01((v - b.deckV) / max(b.waterV - b.deckV, pixel))
            albedo = tt < 0.22 ? (hull.x > 0.7 && hull.y > 0.7 ? srgb(40, 70, 140) : srgb(240, 240, 235)) : hull
            albedo *= 1 - 0.3 * tt
        }
        let c = albedo * light.light(normalize(n))
        return light.fog(c, distance: depth)
    }
}
