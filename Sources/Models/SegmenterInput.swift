import Foundation
import Layouts
import Tensor
import Support

/// Turning images and layouts into what the segmenter sees and is scored on.
public enum SegmenterInput {
    /// Resamples an RGB image with a triangle (bilinear) filter widened by the
    /// scale factor when shrinking, so downsampling averages (antialiased, like
    /// PIL's BILINEAR) instead of picking pixels. Same size: returned unchanged.
    public static func resample(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        if image.width == width && image.height == height { return image }
        let columns = filterTaps(from: image.width, to: width)
        let rows = filterTaps(from: image.height, to: height)
        // Horizontal pass into floats, then vertical pass into bytes.
        var horizontal = [Float](repeating: 0, count: image.height * width * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let row = y * image.width * 3
                for x in 0..<width {
                    var r: Float = 0, g: Float = 0, b: Float = 0
                    for (i, w) in columns[x] {
                        let p = row + 3 * i
                        r += w * Float(src[p]); g += w * Float(src[p + 1]); b += w * Float(src[p + 2])
                    }
                    let o = (y * width + x) * 3
                    horizontal[o] = r; horizontal[o + 1] = g; horizontal[o + 2] = b
                }
            }
        }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                var r: Float = 0, g: Float = 0, b: Float = 0
                for (j, w) in rows[y] {
                    let p = (j * width + x) * 3
                    r += w * horizontal[p]; g += w * horizontal[p + 1]; b += w * horizontal[p + 2]
                }
                let o = (y * width + x) * 3
                out[o] = UInt8(Swift.max(0, Swift.min(255, r.rounded())))
                out[o + 1] = UInt8(Swift.max(0, Swift.min(255, g.rounded())))
                out[o + 2] = UInt8(Swift.max(0, Swift.min(255, b.rounded())))
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// For each output index, the (input index, weight) pairs of a triangle
    /// filter, weights summing to 1.
    static func filterTaps(from inSize: Int, to outSize: Int) -> [[(Int, Float)]] {
        let scale = Double(inSize) / Double(outSize)
        let support = Swift.max(1, scale)
        return (0..<outSize).map { o in
            let center = (Double(o) + 0.5) * scale
            let lo = Swift.max(0, Int((center - support).rounded(.down)))
            let hi = Swift.min(inSize - 1, Int((center + support).rounded(.up)))
            var taps: [(Int, Float)] = []
            var total = 0.0
            for i in lo...hi {
                let w = Swift.max(0, 1 - abs((Double(i) + 0.5 - center) / support))
                if w > 0 { taps.append((i, Float(w))); total += w }
            }
            if taps.isEmpty { return [(Swift.min(inSize - 1, Swift.max(0, Int(center))), 1)] }
            return taps.map { ($0.0, Float(Double($0.1) / total)) }
        }
    }

    /// Images (already at the segmenter's size) as a batch [N, 3, H, W] in -1...1.
    public static func tensor(_ images: [RGBImage]) -> Tensor {
        invariant(!images.isEmpty, "SegmenterInput: empty batch")
        let (w, h) = (images[0].width, images[0].height)
        let plane = w * h
        var values = [Float](repeating: 0, count: images.count * 3 * plane)
        for (n, image) in images.enumerated() {
            invariant(image.width == w && image.height == h, "SegmenterInput: batch images differ in size")
            image.pixels.withUnsafeBufferPointer { src in
                let base = n * 3 * plane
                for i in 0..<plane {
                    for c in 0..<3 { values[base + c * plane + i] = Float(src[3 * i + c]) / 127.5 - 1 }
                }
            }
        }
        return Tensor(shape: [images.count, 3, h, w], values: values)
    }

    /// A layout's ids as class positions of `palette` at the given size (nearest
    /// resize); the palette's ignore id and unknown ids become -1 (not scored).
    public static func targets(_ labels: LabelMap, palette: Palette, width: Int, height: Int) -> [Int] {
        let resized = labels.resized(width: width, height: height)
        var table = [Int](repeating: -1, count: 256)
        for (position, cls) in palette.classes.enumerated() { table[cls.id] = position }
        return resized.ids.map { table[Int($0)] }
    }
}
