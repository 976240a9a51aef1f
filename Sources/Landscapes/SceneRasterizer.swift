import Layouts
import Support

/// Shape ids point-sampled on a grid of factor x factor samples per pixel. The
/// layout is the centre sample of each pixel; the renderer blends the shapes of
/// all samples, so boundaries are anti-aliased yet agree with the layout.
struct SampleRaster {
    let width: Int
    let height: Int
    let factor: Int
    /// Index into scene.shapes, (width*factor) x (height*factor), row-major.
    var ids: [UInt16]

    var sampleWidth: Int { width * factor }
    var sampleHeight: Int { height * factor }
}

enum SceneRasterizer {
    static func rasterize(_ scene: LandscapeScene, width: Int, height: Int, factor: Int = 3) -> SampleRaster {
        invariant(factor >= 1 && factor % 2 == 1, "the supersampling factor must be odd so a sample sits at each pixel centre")
        invariant(scene.shapes.count < Int(UInt16.max), "too many shapes")
        let sw = width * factor, sh = height * factor
        let scale = Float(sh)          // samples per normalised unit
        let step = 1 / scale
        let minHalf: Float = 0.55 / Float(height)
        var ids = [UInt16](repeating: 0, count: sw * sh)
        let camera = scene.camera
        ids.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            for (index, shape) in scene.shapes.enumerated() {
                let id = UInt16(index)
                let b = shape.bounds
                let x0 = max(0, Int((b.u0 * scale - 0.5).rounded(.down)))
                let x1 = min(sw - 1, Int((b.u1 * scale - 0.5).rounded(.up)))
                let y0 = max(0, Int((b.v0 * scale - 0.5).rounded(.down)))
                let y1 = min(sh - 1, Int((b.v1 * scale - 0.5).rounded(.up)))
                guard x1 >= x0 && y1 >= y0 else { continue }
                @inline(__always) func row(_ y: Int) -> UnsafeMutablePointer<UInt16> { out + y * sw }
                @inline(__always) func firstRow(atOrBelow v: Float) -> Int { max(y0, Int((v * scale - 0.5).rounded(.up))) }
                switch shape.geometry {
                case .sky:
                    buffer.update(repeating: id)
                case .ground(let g):
                    var y = firstRow(atOrBelow: g.topV)
                    while y <= y1 {
                        let r = row(y)
                        for x in x0...x1 { r[x] = id }
                        y += 1
                    }
                case .ridge(let ridge):
                    for x in x0...x1 {
                        let top = ridge.top((Float(x) + 0.5) * step)
                        var y = firstRow(atOrBelow: top)
                        while y <= y1 { out[y * sw + x] = id; y += 1 }
                    }
                case .snowCap(let ridge):
                    for x in x0...x1 {
                        let u = (Float(x) + 0.5) * step
                        let p = ridge.profile(u)
                        let depth = ridge.snowDepth(profile: p)
                        guard depth > 0 else { continue }
                        let top = ridge.baseV - ridge.height * p
                        var y = firstRow(atOrBelow: top)
                        let last = min(y1, Int(((top + depth * 1.7) * scale).rounded(.up)))
                        while y <= last {
                            if ridge.isSnow(u: u, v: (Float(y) + 0.5) * step, top: top, depth: depth) { out[y * sw + x] = id }
                            y += 1
                        }
                    }
                case .hill(let hill):
                    let last = min(y1, Int((hill.bottomV * scale - 0.5).rounded(.down)))
                    for x in x0...x1 {
                        var y = firstRow(atOrBelow: hill.top((Float(x) + 0.5) * step))
                        while y <= last { out[y * sw + x] = id; y += 1 }
                    }
                case .region(let region):
                    for y in y0...y1 {
                        let v = (Float(y) + 0.5) * step
                        let z = camera.groundDistance(v: v)
                        let r = row(y)
                        let xScale = z / camera.focal
                        for x in x0...x1 {
                            let u = (Float(x) + 0.5) * step
                            if region.contains(x: (u - camera.centerU) * xScale, z: z) { r[x] = id }
                        }
                    }
                default:
                    for y in y0...y1 {
                        let v = (Float(y) + 0.5) * step
                        let r = row(y)
                        for x in x0...x1 where shape.contains((Float(x) + 0.5) * step, v, camera: camera, minHalfWidth: minHalf) {
                            r[x] = id
                        }
                    }
                }
            }
        }
        return SampleRaster(width: width, height: height, factor: factor, ids: ids)
    }

    /// The layout: the class of each pixel's centre sample.
    static func labels(_ raster: SampleRaster, scene: LandscapeScene) -> LabelMap {
        let classOf = scene.shapes.map { $0.classID.rawValue }
        var labels = LabelMap(width: raster.width, height: raster.height)
        let f = raster.factor, sw = raster.sampleWidth, c = f / 2
        raster.ids.withUnsafeBufferPointer { ids in
            labels.ids.withUnsafeMutableBufferPointer { out in
                for y in 0..<raster.height {
                    let rowBase = (y * f + c) * sw
                    for x in 0..<raster.width {
                        out[y * raster.width + x] = classOf[Int(ids[rowBase + x * f + c])]
                    }
                }
            }
        }
        return labels
    }
}
