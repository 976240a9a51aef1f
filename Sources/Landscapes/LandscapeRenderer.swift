#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Layouts
import Support

/// A layout and its photo-like render.
public struct RenderedLandscape: Sendable {
    public let labels: LabelMap
    public let image: RGBImage
}

/// Renders a scene: rasterizes it with supersampling (the layout is the centre
/// sample of each pixel), shades each shape covering a pixel once at the centroid
/// of its samples and blends them by coverage, then adds water (which reflects what
/// is above it) and maps light to 8-bit sRGB.
public struct LandscapeRenderer: Sendable {
    public let supersampling: Int

    public init(supersampling: Int = 3) {
        invariant(supersampling >= 1 && supersampling % 2 == 1, "supersampling must be odd")
        self.supersampling = supersampling
    }

    /// Only the layout (cheaper than `render`).
    public func labels(_ scene: LandscapeScene, width: Int, height: Int) -> LabelMap {
        SceneRasterizer.labels(SceneRasterizer.rasterize(scene, width: width, height: height, factor: 1), scene: scene)
    }

    public func render(_ scene: LandscapeScene, width: Int, height: Int, style: RenderStyle) -> RenderedLandscape {
        let f = supersampling
        let raster = SceneRasterizer.rasterize(scene, width: width, height: height, factor: f)
        let labels = SceneRasterizer.labels(raster, scene: scene)
        let shader = Shader(scene: scene, style: style, height: height)
        let shapes = scene.shapes
        let isWater = shapes.map { $0.classID == .water }
        let standing = shapes.map { Self.reflectionRole($0) }
        var role = [UInt8](repeating: 0, count: width * height)
        var depth = [Float](repeating: 0, count: width * height)
        let n = width * height
        var color = [SIMD3<Float>](repeating: .zero, count: n)
        var waterWeight = [Float](repeating: 0, count: n)
        var waterShape = [Int32](repeating: -1, count: n)
        let sw = raster.sampleWidth
        let step = 1 / Float(height * f)
        let invCount = 1 / Float(f * f)
        // Pass 1: everything but water.
        raster.ids.withUnsafeBufferPointer { ids in
            var distinct = [Int](repeating: 0, count: f * f)
            var counts = [Int](repeating: 0, count: f * f)
            var sumU = [Float](repeating: 0, count: f * f)
            var sumV = [Float](repeating: 0, count: f * f)
            for y in 0..<height {
                for x in 0..<width {
                    let p = y * width + x
                    let centre = Int(ids[(y * f + f / 2) * sw + x * f + f / 2])
                    role[p] = standing[centre]
                    depth[p] = shapes[centre].depth
                    let first = Int(ids[(y * f) * sw + x * f])
                    var uniform = true
                    for sy in 0..<f where uniform {
                        let r = (y * f + sy) * sw + x * f
                        for sx in 0..<f where Int(ids[r + sx]) != first { uniform = false; break }
                    }
                    if uniform {
                        if isWater[first] {
                            waterWeight[p] = 1; waterShape[p] = Int32(first)
                        } else {
                            let u = (Float(x) + 0.5) / Float(height), v = (Float(y) + 0.5) / Float(height)
                            color[p] = shader.shade(shapes[first], u, v)
                        }
                        continue
                    }
                    var k = 0
                    for sy in 0..<f {
                        let r = (y * f + sy) * sw + x * f
                        let v = (Float(y * f + sy) + 0.5) * step
                        for sx in 0..<f {
                            let id = Int(ids[r + sx])
                            let u = (Float(x * f + sx) + 0.5) * step
                            var j = 0
                            while j < k && distinct[j] != id { j += 1 }
                            if j == k { distinct[k] = id; counts[k] = 0; sumU[k] = 0; sumV[k] = 0; k += 1 }
                            counts[j] += 1; sumU[j] += u; sumV[j] += v
                        }
                    }
                    var c = SIMD3<Float>.zero
                    var best = 0
                    for j in 0..<k {
                        let w = Float(counts[j]) * invCount
                        let id = distinct[j]
                        if isWater[id] {
                            waterWeight[p] += w
                            if counts[j] > best { best = counts[j]; waterShape[p] = Int32(id) }
                        } else {
                            let cu = sumU[j] / Float(counts[j]), cv = sumV[j] / Float(counts[j])
                            c += shader.shade(shapes[id], cu, cv) * w
                        }
                    }
                    color[p] = c
                }
            }
        }
        // Pass 2: water reflects the finished pixels above its top edge in each column.
        var runStart = [Int32](repeating: 0, count: n)
        for x in 0..<width {
            var start = 0
            for y in 0..<height {
                let p = y * width + x
                if waterWeight[p] < 0.5 { start = y + 1 }
                runStart[p] = Int32(start)
            }
        }
        var final = color
        for p in 0..<n where waterWeight[p] > 0 {
            let x = p % width, y = p / width
            let w = waterWeight[p]
            let c = water(shader: shader, shape: shapes[Int(waterShape[p])], x: x, y: y, width: width, height: height,
                          start: Int(runStart[p]), color: color, waterWeight: waterWeight, role: role, depth: depth)
            final[p] = color[p] + c * w
        }
        return RenderedLandscape(labels: labels, image: Self.toneMap(final, width: width, height: height, exposure: shader.light.exposure))
    }

    /// How a shape shows in water: 0 flat ground (never), 1 far (mirrored about the
    /// horizon), 2 standing near the water (mirrored about the water's far edge).
    static func reflectionRole(_ shape: SceneShape) -> UInt8 {
        switch shape.geometry {
        case .ground, .region: return 0
        case .sky, .cloud, .ridge, .snowCap: return 1
        default: return 2
        }
    }

    private func water(shader: Shader, shape: SceneShape, x: Int, y: Int, width: Int, height: Int, start: Int,
                       color: [SIMD3<Float>], waterWeight: [Float], role: [UInt8], depth: [Float]) -> SIMD3<Float> {
        let camera = shader.camera, light = shader.light
        let fh = Float(height)
        let u = (Float(x) + 0.5) / fh, v = max((Float(y) + 0.5) / fh, camera.horizon + 0.5 / fh)
        let g = camera.groundPoint(u: u, v: v)
        let wx = g.x, wz = g.y
        let across = wz / (camera.focal * fh)
        let along = across * wz / camera.eyeHeight
        let fp = (across * along).squareRoot()
        let calm: Float = shader.style.weather == .overcast ? 0.7 : 1.0
        let depthBelow = Float(y - start) + 0.5
        let surface = WaterSurface(x: wx, z: wz, footprint: fp, seed: shape.seed, calm: calm, depthBelow: depthBelow)
        let rippleY = surface.rippleY
        let rx = min(width - 1, max(0, x + surface.rippleX))
        // Things standing at the far edge mirror about that edge; everything far away
        // (sky, mountains) mirrors about the horizon; flat ground does not show.
        var reflected: SIMD3<Float>? = nil
        let ra = Int((Float(start) - depthBelow - rippleY).rounded())
        if ra >= 0 && ra < height {
            let q = ra * width + rx
            // Only what stands at that edge: a forest far behind it does not mirror here.
            let edgeDistance = camera.groundDistance(v: max(Float(start) / fh, camera.horizon + 0.5 / fh))
            if role[q] == 2 && waterWeight[q] < 0.95 && depth[q] < edgeDistance * 1.3 + 10 {
                reflected = color[q] / (1 - waterWeight[q])
            }
        }
        if reflected == nil {
            let vb = 2 * camera.horizon - v - rippleY / fh
            let rb = Int((vb * fh - 0.5).rounded())
            if rb >= 0 && rb < height {
                let q = rb * width + rx
                if role[q] != 0 && waterWeight[q] < 0.95 { reflected = color[q] / (1 - waterWeight[q]) }
            }
            if reflected == nil { reflected = shader.sky(u, vb) }
        }
        let winter = shader.scene.isWinter
        return surface.color(reflected: reflected!, light: light, camera: camera, u: u, v: v, viewV: v, winter: winter,
                             bodyTint: winter ? srgb(25, 50, 70) : srgb(28, 85, 130), reflectivity: (0.25, 0.65))
    }

    /// Identity up to 0.75, then a soft roll-off to 1: authored colours stay as
    /// authored, highlights (sun, snow in sun) do not clip hard.
    @inline(__always) static func shoulder(_ x: Float) -> Float {
        let k: Float = 0.75
        if x <= k { return max(0, x) }
        return k + (1 - k) * (1 - expf(-(x - k) / (1 - k)))
    }

    static func toneMap(_ linear: [SIMD3<Float>], width: Int, height: Int, exposure: Float) -> RGBImage {
        var lut = [UInt8](repeating: 0, count: 4097)
        for i in 0...4096 {
            lut[i] = UInt8(min(255, max(0, (powf(Float(i) / 4096, 1 / 2.2) * 255).rounded())))
        }
        var image = RGBImage(width: width, height: height)
        let cx = Float(width) * 0.5, cy = Float(height) * 0.5
        let r2max = cx * cx + cy * cy
        image.pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                for x in 0..<width {
                    let p = y * width + x
                    let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                    let vignette = 1 - 0.12 * (dx * dx + dy * dy) / r2max
                    let c = linear[p] * (exposure * vignette)
                    for ch in 0..<3 {
                        out[3 * p + ch] = lut[Int(Self.shoulder(c[ch]) * 4096)]
                    }
                }
            }
        }
        return image
    }
}
