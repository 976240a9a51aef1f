import Layouts
import Support

/// Renders painted layouts: every class inside an arbitrary mask, with the cues that
/// make it read as that class (see `PaintedMaterials`). Same alignment as the
/// procedural renderer: the layout is the class of each pixel's centre sample; the
/// image blends the classes of all samples in a pixel by coverage, each shaded once
/// at the centroid of its samples; water is added last and reflects what is above it.
public struct PaintedRenderer: Sendable {
    public let supersampling: Int

    public init(supersampling: Int = 3) {
        invariant(supersampling >= 1 && supersampling % 2 == 1, "supersampling must be odd")
        self.supersampling = supersampling
    }

    /// Only the layout (cheap: the centre samples).
    public func labels(_ scene: PaintedScene, width: Int, height: Int) -> LabelMap {
        var labels = LabelMap(width: width, height: height)
        labels.ids = scene.classSamples(width: width, height: height, factor: 1)
        return labels
    }

    public func render(_ scene: PaintedScene, width: Int, height: Int, style: RenderStyle) -> RenderedLandscape {
        let f = supersampling
        let samples = scene.classSamples(width: width, height: height, factor: f)
        return render(samples: samples, width: width, height: height, factor: f, horizon: scene.horizon,
                      isWinter: scene.isWinter, style: style)
    }

    /// Renders any layout, e.g. one painted in the editor (one sample per pixel, so
    /// edges are not anti-aliased). The horizon defaults to where the sky ends.
    public func render(layout: LabelMap, style: RenderStyle, horizon: Float? = nil) -> RenderedLandscape {
        let h = horizon ?? Self.estimateHorizon(layout)
        return render(samples: layout.ids, width: layout.width, height: layout.height, factor: 1, horizon: h,
                      isWinter: Self.isWintry(layout), style: style)
    }

    /// Snow covers more ground than grass (and a tenth of the image): render it as winter.
    public static func isWintry(_ layout: LabelMap) -> Bool {
        let snow = layout.ids.reduce(0) { $0 + ($1 == LandscapeClass.snow.rawValue ? 1 : 0) }
        let grass = layout.ids.reduce(0) { $0 + ($1 == LandscapeClass.grass.rawValue ? 1 : 0) }
        return snow > grass && snow > layout.ids.count / 10
    }

    /// The mean of the rows where each column's sky ends (0.45 where there is no sky).
    static func estimateHorizon(_ layout: LabelMap) -> Float {
        var sum: Float = 0, n: Float = 0
        for x in 0..<layout.width {
            var last = -1
            for y in 0..<layout.height where layout.ids[y * layout.width + x] == LandscapeClass.sky.rawValue { last = y }
            if last >= 0 { sum += Float(last + 1); n += 1 }
        }
        return n > 0 ? sum / n / Float(layout.height) : 0.45
    }

    func render(samples: [UInt8], width: Int, height: Int, factor f: Int, horizon: Float, isWinter: Bool,
                style: RenderStyle) -> RenderedLandscape {
        let sw = width * f, sh = height * f
        let regions = PaintedRegions(classes: samples, sampleWidth: sw, sampleHeight: sh)
        let materials = PaintedMaterials(style: style, aspect: Float(width) / Float(height), horizon: horizon,
                                         isWinter: isWinter, height: height)
        let water = LandscapeClass.water.rawValue
        let n = width * height
        var labels = LabelMap(width: width, height: height)
        var color = [SIMD3<Float>](repeating: .zero, count: n)
        var waterWeight = [Float](repeating: 0, count: n)
        var waterSample = [Int32](repeating: -1, count: n)
        let step = 1 / Float(sh)
        let invCount = 1 / Float(f * f)
        var firstSample = [Int](repeating: 0, count: 16), counts = [Int](repeating: 0, count: 16)
        var sumU = [Float](repeating: 0, count: 16), sumV = [Float](repeating: 0, count: 16)
        // Pass 1: every class but water, blended by coverage.
        for y in 0..<height {
            for x in 0..<width {
                let p = y * width + x
                labels.ids[p] = samples[(y * f + f / 2) * sw + x * f + f / 2]
                for c in 0..<16 { counts[c] = 0; sumU[c] = 0; sumV[c] = 0 }
                for sy in 0..<f {
                    for sx in 0..<f {
                        let i = (y * f + sy) * sw + x * f + sx
                        let c = min(Int(samples[i]), 15)   // ids past the palette shade as fence, never out of bounds
                        if counts[c] == 0 { firstSample[c] = i }
                        counts[c] += 1
                        sumU[c] += (Float(x * f + sx) + 0.5) * step
                        sumV[c] += (Float(y * f + sy) + 0.5) * step
                    }
                }
                var c = SIMD3<Float>.zero
                for cls in 0..<16 where counts[cls] > 0 {
                    let w = Float(counts[cls]) * invCount
                    if cls == Int(water) {
                        waterWeight[p] = w
                        waterSample[p] = Int32(firstSample[cls])
                        continue
                    }
                    let region = regions.point(sample: firstSample[cls], styleSeed: materials.styleSeed)
                    let u = sumU[cls] / Float(counts[cls]), v = sumV[cls] / Float(counts[cls])
                    c += materials.shade(LandscapeClass(rawValue: UInt8(cls)) ?? .sky, u, v, region) * w
                }
                color[p] = c
            }
        }
        // Pass 2: water mirrors the finished pixels above the top of its run.
        var final = color
        for p in 0..<n where waterWeight[p] > 0 {
            let x = p % width, y = p / width
            let i = Int(waterSample[p])
            let region = regions.point(sample: i, styleSeed: materials.styleSeed)
            let top = Int((region.runTop * Float(height)).rounded(.down))
            final[p] = color[p] + materials.water(x: x, y: y, top: top, width: width, region: region, color: color,
                                                  waterWeight: waterWeight, labels: labels.ids) * waterWeight[p]
        }
        let image = LandscapeRenderer.toneMap(final, width: width, height: height, exposure: materials.light.exposure)
        return RenderedLandscape(labels: labels, image: image)
    }
}
