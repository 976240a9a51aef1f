import Foundation
import Layouts

/// A stand-in for a trained model, so the editor works (and every view can be
/// tried) before LGGAN exists. It is NOT a neural network: class colours with
/// a soft global light ("global"), per-class texture ("local"), a local
/// weight that is high inside regions and low near class boundaries, and a
/// textured output per class. The editor says "no model" while it is used.
public struct ShadedLayoutGenerator: SceneGenerator {
    public let palette: Palette
    public var hasNoiseInput: Bool { true }

    public init(palette: Palette) { self.palette = palette }

    public func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        let start = Date()
        let w = labels.width, h = labels.height, n = w * h
        let table = palette.colorTable
        let ids = labels.ids

        // Global: class colours blurred, lit from the top.
        var flat = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            let c = table[Int(ids[i])]
            flat[3 * i] = Float(c.r); flat[3 * i + 1] = Float(c.g); flat[3 * i + 2] = Float(c.b)
        }
        let radius = max(1, min(w, h) / 24)
        let blurred = Self.boxBlur(flat, width: w, height: h, radius: radius)
        var global = RGBImage(width: w, height: h)
        for y in 0..<h {
            let light = 1.12 - 0.3 * Float(y) / Float(max(1, h - 1))
            for x in 0..<w {
                let i = y * w + x
                for c in 0..<3 { global.pixels[3 * i + c] = Self.byte(blurred[3 * i + c] * light) }
            }
        }
        if shouldCancel() { throw GenerationCancelled() }

        // Local: each class's own texture at its pixels.
        var local = RGBImage(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let t = Self.texture(x: x, y: y, classID: Int(ids[i]), seed: seed)
                let c = table[Int(ids[i])]
                local.pixels[3 * i] = Self.byte(Float(c.r) * t)
                local.pixels[3 * i + 1] = Self.byte(Float(c.g) * t)
                local.pixels[3 * i + 2] = Self.byte(Float(c.b) * t)
            }
        }
        if shouldCancel() { throw GenerationCancelled() }

        // Weights: share of same-class pixels in a 5x5 window.
        var localWeight = [Float](repeating: 0, count: n)
        for y in 0..<h {
            for x in 0..<w {
                let id = ids[y * w + x]
                var same = 0, total = 0
                for yy in max(0, y - 2)...min(h - 1, y + 2) {
                    for xx in max(0, x - 2)...min(w - 1, x + 2) {
                        total += 1
                        if ids[yy * w + xx] == id { same += 1 }
                    }
                }
                localWeight[y * w + x] = 0.15 + 0.7 * Float(same) / Float(total)
            }
        }
        let globalWeight = localWeight.map { 1 - $0 }
        var fused = RGBImage(width: w, height: h)
        for i in 0..<n {
            let a = localWeight[i]
            for c in 0..<3 {
                fused.pixels[3 * i + c] = Self.byte(a * Float(local.pixels[3 * i + c]) + (1 - a) * Float(global.pixels[3 * i + c]))
            }
        }
        if shouldCancel() { throw GenerationCancelled() }

        // Per-class outputs: the texture inside the class's mask grown by 3
        // pixels, a constant grey elsewhere (as a masked conv branch gives).
        var outputs: [Int: RGBImage] = [:]
        for id in labels.idsPresent {
            if shouldCancel() { throw GenerationCancelled() }
            var image = RGBImage(width: w, height: h, fill: RGBColor(120, 120, 120))
            let c = table[id]
            for y in 0..<h {
                for x in 0..<w where Self.near(ids, w, h, x, y, UInt8(id), reach: 3) {
                    let t = Self.texture(x: x, y: y, classID: id, seed: seed)
                    let i = y * w + x
                    image.pixels[3 * i] = Self.byte(Float(c.r) * t)
                    image.pixels[3 * i + 1] = Self.byte(Float(c.g) * t)
                    image.pixels[3 * i + 2] = Self.byte(Float(c.b) * t)
                }
            }
            outputs[id] = image
        }
        return GeneratedViews(fused: fused, global: global, local: local, globalWeight: globalWeight,
                              localWeight: localWeight, classOutputs: outputs,
                              seconds: Date().timeIntervalSince(start))
    }

    static func near(_ ids: [UInt8], _ w: Int, _ h: Int, _ x: Int, _ y: Int, _ id: UInt8, reach: Int) -> Bool {
        for yy in max(0, y - reach)...min(h - 1, y + reach) {
            for xx in max(0, x - reach)...min(w - 1, x + reach) where ids[yy * w + xx] == id { return true }
        }
        return false
    }

    /// Brightness factor 0.8...1.2 from a hash of the position, class and seed,
    /// smoothed over 2x2 cells and striped a little per class.
    static func texture(x: Int, y: Int, classID: Int, seed: UInt64) -> Float {
        var v = UInt64(truncatingIfNeeded: (x / 2) &* 73856093 ^ (y / 2) &* 19349663 ^ classID &* 83492791)
        v ^= seed &* 0x9E3779B97F4A7C15
        v = (v ^ (v >> 31)) &* 0xBF58476D1CE4E5B9
        v ^= v >> 29
        let noise = Float(v % 1000) / 1000
        let stripe: Float = ((y + classID) / 3) % 2 == 0 ? 0.04 : -0.04
        return 0.84 + 0.3 * noise + stripe
    }

    static func byte(_ v: Float) -> UInt8 { UInt8(min(255, max(0, v.rounded()))) }

    static func boxBlur(_ src: [Float], width w: Int, height h: Int, radius r: Int) -> [Float] {
        var tmp = [Float](repeating: 0, count: src.count)
        var out = [Float](repeating: 0, count: src.count)
        for y in 0..<h {
            for c in 0..<3 {
                var sum: Float = 0
                var count: Float = 0
                for x in 0...min(r, w - 1) { sum += src[3 * (y * w + x) + c]; count += 1 }
                for x in 0..<w {
                    tmp[3 * (y * w + x) + c] = sum / count
                    let add = x + r + 1, drop = x - r
                    if add < w { sum += src[3 * (y * w + add) + c]; count += 1 }
                    if drop >= 0 { sum -= src[3 * (y * w + drop) + c]; count -= 1 }
                }
            }
        }
        for x in 0..<w {
            for c in 0..<3 {
                var sum: Float = 0
                var count: Float = 0
                for y in 0...min(r, h - 1) { sum += tmp[3 * (y * w + x) + c]; count += 1 }
                for y in 0..<h {
                    out[3 * (y * w + x) + c] = sum / count
                    let add = y + r + 1, drop = y - r
                    if add < h { sum += tmp[3 * (add * w + x) + c]; count += 1 }
                    if drop >= 0 { sum -= tmp[3 * (drop * w + x) + c]; count -= 1 }
                }
            }
        }
        return out
    }
}
