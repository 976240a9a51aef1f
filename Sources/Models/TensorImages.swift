import Layouts
import Tensor
import Support

/// Conversions between network tensors (-1...1, NCHW) and 8-bit images.
public enum TensorImages {
    /// Image `n` of x [N, >=3, H, W] (channels `channel`..<channel+3) cropped to
    /// the top-left width x height, mapped from -1...1 to 0...255.
    public static func rgbImage(_ x: Tensor, image n: Int = 0, channel: Int = 0, width: Int? = nil, height: Int? = nil) -> RGBImage {
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        let outW = width ?? w, outH = height ?? h
        var pixels = [UInt8](repeating: 0, count: outW * outH * 3)
        // Each row converts one plane at a time into a contiguous buffer (a loop
        // the compiler vectorises), then interleaves the three: 3x faster than
        // converting straight into the interleaved pixels.
        var rows = [UInt8](repeating: 0, count: 3 * outW)
        x.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                rows.withUnsafeMutableBufferPointer { rowBuffer in
                    let r = rowBuffer.baseAddress!
                    for y in 0..<outH {
                        for k in 0..<3 {
                            let row = src.baseAddress! + (n * c + channel + k) * h * w + y * w
                            let out = r + k * outW
                            for xx in 0..<outW {
                                // (v + 1) * 127.5, rounded half up, clamped to 0...255 (NaN -> 0).
                                let v = row[xx] * 127.5 + 128
                                out[xx] = UInt8(truncatingIfNeeded: Int32(v > 0 ? (v < 255.99 ? v : 255.99) : 0))
                            }
                        }
                        let d = dst.baseAddress! + 3 * y * outW
                        for xx in 0..<outW {
                            d[3 * xx] = r[xx]
                            d[3 * xx + 1] = r[outW + xx]
                            d[3 * xx + 2] = r[2 * outW + xx]
                        }
                    }
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: pixels)
    }

    /// One channel of image n, cropped, as row-major floats.
    public static func plane(_ x: Tensor, image n: Int = 0, channel: Int, width: Int? = nil, height: Int? = nil) -> [Float] {
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        let outW = width ?? w, outH = height ?? h
        var out = [Float](repeating: 0, count: outW * outH)
        x.withUnsafeBufferPointer { src in
            let base = (n * c + channel) * h * w
            for y in 0..<outH {
                for xx in 0..<outW { out[y * outW + xx] = src[base + y * w + xx] }
            }
        }
        return out
    }

    /// Images as a batch [N, 3, H, W] in -1...1 (all the same size).
    public static func tensor(_ images: [RGBImage]) -> Tensor {
        invariant(!images.isEmpty, "TensorImages: empty batch")
        let (h, w) = (images[0].height, images[0].width)
        var values = [Float](repeating: 0, count: images.count * 3 * h * w)
        for (n, image) in images.enumerated() {
            invariant(image.width == w && image.height == h, "images of different sizes in one batch")
            for k in 0..<3 {
                let base = (n * 3 + k) * h * w
                for i in 0..<(h * w) { values[base + i] = Float(image.pixels[3 * i + k]) / 127.5 - 1 }
            }
        }
        return Tensor(shape: [images.count, 3, h, w], values: values)
    }
}
