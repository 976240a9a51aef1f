import Layouts

/// Fast colour reduction for the live sixel preview: a fixed 6x7x6 colour
/// cube (252 colours) with 4x4 ordered (Bayer) dithering, one table lookup per
/// channel. libsixel's own path builds a median-cut palette and
/// error-diffuses every frame, which costs 30-60 ms for a pane-sized image;
/// with a fixed palette it only has to write the sixel bytes.
public enum EditorSixelQuantizer {
    static let levels = (r: 6, g: 7, b: 6)

    /// The cube's colours, index = r * 42 + g * 6 + b.
    public static let palette: [RGBColor] = {
        var colors: [RGBColor] = []
        for r in 0..<levels.r {
            for g in 0..<levels.g {
                for b in 0..<levels.b {
                    colors.append(RGBColor(level(r, of: levels.r), level(g, of: levels.g), level(b, of: levels.b)))
                }
            }
        }
        return colors
    }()

    static func level(_ i: Int, of count: Int) -> UInt8 { UInt8((i * 255 + (count - 1) / 2) / (count - 1)) }

    static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]

    /// For each of the 16 Bayer thresholds, channel value -> cube level.
    static func table(levels count: Int) -> [[UInt8]] {
        let step = 255.0 / Double(count - 1)
        return (0..<16).map { t in
            let offset = (Double(t) + 0.5) / 16 - 0.5
            return (0..<256).map { v in
                UInt8(min(Double(count - 1), max(0, (Double(v) / step + offset).rounded())))
            }
        }
    }

    static let tables = (r: table(levels: levels.r), g: table(levels: levels.g), b: table(levels: levels.b))

    public static func indices(_ image: RGBImage) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: image.width * image.height)
        let (tr, tg, tb) = tables
        image.pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<image.height {
                    for x in 0..<image.width {
                        let t = bayer[(y & 3) * 4 + (x & 3)]
                        let i = y * image.width + x
                        let r = Int(tr[t][Int(px[3 * i])]), g = Int(tg[t][Int(px[3 * i + 1])]), b = Int(tb[t][Int(px[3 * i + 2])])
                        dst[i] = UInt8(r * 42 + g * 6 + b)
                    }
                }
            }
        }
        return out
    }
}
