import Layouts

/// Weight maps (0...1) as colours: an inferno-like ramp from near-black
/// (0) through purple and red to pale yellow (1), readable in sixel and in
/// 256 colours alike.
public enum HeatMap {
    static let stops: [(Float, Float, Float)] = [
        (0, 0, 4), (87, 16, 110), (188, 55, 84), (249, 142, 9), (252, 255, 164),
    ]

    public static func color(_ value: Float) -> RGBColor {
        let v = value.isFinite ? min(max(value, 0), 1) : 0
        let scaled = v * Float(stops.count - 1)
        let i = min(Int(scaled), stops.count - 2)
        let t = scaled - Float(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ p: Float, _ q: Float) -> UInt8 { UInt8(min(255, max(0, (p + (q - p) * t).rounded()))) }
        return RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// The map as an image; pixels where `mask` is false are black.
    public static func image(_ weights: [Float], width: Int, height: Int, mask: [Bool]? = nil) -> RGBImage {
        precondition(weights.count == width * height, "weight map size mismatch")
        var image = RGBImage(width: width, height: height)
        for i in 0..<weights.count where mask?[i] ?? true {
            let c = color(weights[i])
            image.pixels[3 * i] = c.r
            image.pixels[3 * i + 1] = c.g
            image.pixels[3 * i + 2] = c.b
        }
        return image
    }
}
