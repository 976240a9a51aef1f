import Foundation

/// Canny's edge detector as ECGAN trains with it (DESIGN.md): luminance, a 5x5
/// Gaussian, Sobel gradients, non-maximum suppression along the gradient
/// quantised to 0/45/90/135 degrees, and hysteresis with thresholds relative
/// to the image's largest gradient (low 0.075, high 0.175).
public struct CannyEdges: Sendable, Equatable, Codable {
    public var sigma: Float = 1.4
    public var lowRatio: Float = 0.075
    public var highRatio: Float = 0.175

    public init() {}

    /// A map of `image`'s size, 1 on edge pixels and 0 elsewhere (row-major).
    public func detect(_ image: RGBImage) -> [UInt8] {
        let (w, h) = (image.width, image.height)
        guard w >= 3 && h >= 3 else { return [UInt8](repeating: 0, count: w * h) }
        var luma = [Float](repeating: 0, count: w * h)
        for i in 0..<(w * h) {
            let r = Float(image.pixels[3 * i]), g = Float(image.pixels[3 * i + 1]), b = Float(image.pixels[3 * i + 2])
            luma[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 255
        }
        let smooth = gaussian(luma, width: w, height: h)
        var magnitude = [Float](repeating: 0, count: w * h)
        var direction = [UInt8](repeating: 0, count: w * h)
        var largest: Float = 0
        for y in 0..<h {
            for x in 0..<w {
                func p(_ dx: Int, _ dy: Int) -> Float {
                    smooth[Swift.min(h - 1, Swift.max(0, y + dy)) * w + Swift.min(w - 1, Swift.max(0, x + dx))]
                }
                let gx = (p(1, -1) + 2 * p(1, 0) + p(1, 1)) - (p(-1, -1) + 2 * p(-1, 0) + p(-1, 1))
                let gy = (p(-1, 1) + 2 * p(0, 1) + p(1, 1)) - (p(-1, -1) + 2 * p(0, -1) + p(1, -1))
                let m = (gx * gx + gy * gy).squareRoot()
                magnitude[y * w + x] = m
                largest = Swift.max(largest, m)
                direction[y * w + x] = Self.sector(gx: gx, gy: gy)
            }
        }
        guard largest > 1e-6 else { return [UInt8](repeating: 0, count: w * h) }
        // Non-maximum suppression. A step between two pixels gives both the same
        // magnitude; keeping a pixel only when it is >= its predecessor and > its
        // successor along the gradient keeps exactly one of them (one pixel wide).
        let offsets = [(1, 0), (1, 1), (0, 1), (-1, 1)]
        var thin = [Float](repeating: 0, count: w * h)
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                let m = magnitude[y * w + x]
                guard m > 0 else { continue }
                let (dx, dy) = offsets[Int(direction[y * w + x])]
                let before = magnitude[(y - dy) * w + x - dx], after = magnitude[(y + dy) * w + x + dx]
                if m >= before && m > after { thin[y * w + x] = m }
            }
        }
        let high = highRatio * largest, low = lowRatio * largest
        var edges = [UInt8](repeating: 0, count: w * h)
        var stack: [Int] = []
        for i in 0..<(w * h) where thin[i] >= high {
            edges[i] = 1
            stack.append(i)
        }
        while let i = stack.popLast() {
            let (x, y) = (i % w, i / w)
            for dy in -1...1 {
                for dx in -1...1 {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0 && nx < w && ny >= 0 && ny < h else { continue }
                    let j = ny * w + nx
                    if edges[j] == 0 && thin[j] >= low { edges[j] = 1; stack.append(j) }
                }
            }
        }
        return edges
    }

    /// The edge map as a picture: white edges on black.
    public func edgeImage(_ image: RGBImage) -> RGBImage {
        let edges = detect(image)
        var pixels = [UInt8](repeating: 0, count: 3 * edges.count)
        for (i, e) in edges.enumerated() where e != 0 { pixels[3 * i] = 255; pixels[3 * i + 1] = 255; pixels[3 * i + 2] = 255 }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// Gradient direction quantised to 0, 45, 90 or 135 degrees (index into the NMS offsets).
    static func sector(gx: Float, gy: Float) -> UInt8 {
        var angle = atan2f(gy, gx) * 180 / Float.pi
        if angle < 0 { angle += 180 }
        if angle < 22.5 || angle >= 157.5 { return 0 }
        if angle < 67.5 { return 1 }
        if angle < 112.5 { return 2 }
        return 3
    }

    /// Separable 5-tap Gaussian, edges clamped.
    func gaussian(_ v: [Float], width w: Int, height h: Int) -> [Float] {
        var kernel = (-2...2).map { d -> Float in expf(-Float(d * d) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var tmp = [Float](repeating: 0, count: w * h), out = tmp
        for y in 0..<h {
            for x in 0..<w {
                var s: Float = 0
                for k in -2...2 { s += kernel[k + 2] * v[y * w + Swift.min(w - 1, Swift.max(0, x + k))] }
                tmp[y * w + x] = s
            }
        }
        for y in 0..<h {
            for x in 0..<w {
                var s: Float = 0
                for k in -2...2 { s += kernel[k + 2] * tmp[Swift.min(h - 1, Swift.max(0, y + k)) * w + x] }
                out[y * w + x] = s
            }
        }
        return out
    }
}
