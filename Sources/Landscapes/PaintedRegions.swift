/// What the mask renderer knows about the region a sample lies in: its vertical run
/// in that column (where the region starts and ends above and below the sample) and
/// its connected component (bounding box, centroid, main axis). Every class is
/// shaded from these, so a house gets a roof on whatever its top edge is.
struct PaintedRegions {
    /// Sample grid: width * factor by height * factor.
    let sampleWidth: Int
    let sampleHeight: Int
    let classes: [UInt8]
    /// First and last row of each sample's vertical run of one class.
    let runTop: [Int32]
    let runBottom: [Int32]
    /// Component id of each sample (4-connected samples of one class).
    let component: [Int32]
    let components: [Component]

    struct Component {
        var minX: Int32, minY: Int32, maxX: Int32, maxY: Int32
        var count: Float = 0
        var sum = SIMD2<Float>(0, 0)
        var sumSquares = SIMD3<Float>(0, 0, 0)   // xx, yy, xy

        var centroid: SIMD2<Float> { sum / max(count, 1) }

        /// Unit vector along the component's long axis and the ratio of its two spreads.
        var axis: (direction: SIMD2<Float>, elongation: Float, minorSpread: Float) {
            let c = centroid, n = max(count, 1)
            let xx = sumSquares.x / n - c.x * c.x, yy = sumSquares.y / n - c.y * c.y, xy = sumSquares.z / n - c.x * c.y
            let trace = xx + yy, det = xx * yy - xy * xy
            let disc = max(0, trace * trace / 4 - det).squareRoot()
            let major = trace / 2 + disc, minor = max(1e-6, trace / 2 - disc)
            var dir = abs(xy) > 1e-9 ? SIMD2(major - yy, xy) : (xx >= yy ? SIMD2(1, 0) : SIMD2(0, 1))
            dir /= max(1e-9, (dir * dir).sum().squareRoot())
            return (dir, (major / minor).squareRoot(), minor.squareRoot())
        }
    }

    init(classes: [UInt8], sampleWidth sw: Int, sampleHeight sh: Int) {
        sampleWidth = sw
        sampleHeight = sh
        self.classes = classes
        let n = sw * sh
        var top = [Int32](repeating: 0, count: n), bottom = [Int32](repeating: 0, count: n)
        for x in 0..<sw {
            var start = 0
            for y in 0..<sh {
                let i = y * sw + x
                if y > 0 && classes[i] != classes[i - sw] { start = y }
                top[i] = Int32(start)
            }
            var end = sh - 1
            for y in stride(from: sh - 1, through: 0, by: -1) {
                let i = y * sw + x
                if y < sh - 1 && classes[i] != classes[i + sw] { end = y }
                bottom[i] = Int32(end)
            }
        }
        runTop = top
        runBottom = bottom
        // Union-find over 4-neighbours of one class, then compact ids in scan order.
        var parent = [Int32](repeating: 0, count: n)
        parent.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] = Int32(i) }
            func find(_ i: Int32) -> Int32 {
                var i = i
                while p[Int(i)] != i { p[Int(i)] = p[Int(p[Int(i)])]; i = p[Int(i)] }
                return i
            }
            func union(_ a: Int, _ b: Int) {
                let ra = find(Int32(a)), rb = find(Int32(b))
                if ra != rb { if ra < rb { p[Int(rb)] = ra } else { p[Int(ra)] = rb } }
            }
            for y in 0..<sh {
                for x in 0..<sw {
                    let i = y * sw + x
                    if x > 0 && classes[i] == classes[i - 1] { union(i, i - 1) }
                    if y > 0 && classes[i] == classes[i - sw] { union(i, i - sw) }
                }
            }
            for i in 0..<n { p[i] = find(Int32(i)) }
        }
        var ids = [Int32](repeating: -1, count: n)
        var comps: [Component] = []
        var rootId = [Int32](repeating: -1, count: n)
        for y in 0..<sh {
            for x in 0..<sw {
                let i = y * sw + x
                let r = Int(parent[i])
                var id = rootId[r]
                if id < 0 {
                    id = Int32(comps.count)
                    rootId[r] = id
                    comps.append(Component(minX: Int32(x), minY: Int32(y), maxX: Int32(x), maxY: Int32(y)))
                }
                ids[i] = id
                let fx = Float(x), fy = Float(y)
                let k = Int(id)
                comps[k].minX = min(comps[k].minX, Int32(x)); comps[k].maxX = max(comps[k].maxX, Int32(x))
                comps[k].minY = min(comps[k].minY, Int32(y)); comps[k].maxY = max(comps[k].maxY, Int32(y))
                comps[k].count += 1
                comps[k].sum += SIMD2(fx, fy)
                comps[k].sumSquares += SIMD3(fx * fx, fy * fy, fx * fy)
            }
        }
        component = ids
        components = comps
    }
}

/// The region facts for one sample, in normalised image units (divided by the image height).
struct RegionPoint {
    /// Top and bottom of the vertical run through the sample.
    var runTop: Float
    var runBottom: Float
    /// The run is cut by the image's top edge (so its real top is out of view).
    var clippedTop: Bool
    /// Component bounding box (u0, v0, u1, v1) and centroid.
    var box: SIMD4<Float>
    var centroid: SIMD2<Float>
    var axis: SIMD2<Float>
    var elongation: Float
    /// Spread across the long axis (a band's half width is about 1.7 of it).
    var minorSpread: Float
    /// Per-region randomness.
    var seed: UInt32

    var width: Float { box.z - box.x }
    var height: Float { box.w - box.y }
    var runLength: Float { runBottom - runTop }

    /// 0 at the run's top, 1 at its bottom.
    func runPosition(_ v: Float) -> Float { clamp01((v - runTop) / max(runLength, 1e-4)) }
}

extension PaintedRegions {
    func point(sample i: Int, styleSeed: UInt32) -> RegionPoint {
        let scale = 1 / Float(sampleHeight)
        let c = components[Int(component[i])]
        let axis = c.axis
        return RegionPoint(runTop: Float(runTop[i]) * scale, runBottom: (Float(runBottom[i]) + 1) * scale,
                           clippedTop: runTop[i] == 0,
                           box: SIMD4(Float(c.minX), Float(c.minY), Float(c.maxX) + 1, Float(c.maxY) + 1) * scale,
                           centroid: (c.centroid + 0.5) * scale, axis: axis.direction, elongation: axis.elongation,
                           minorSpread: axis.minorSpread * scale,
                           seed: Noise.hash(c.minX, c.minY, styleSeed ^ UInt32(classes[i]) &* 0x9E37))
    }
}
