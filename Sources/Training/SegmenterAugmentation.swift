import Tensor

/// How one training image is altered: mirrored, and its colours jittered so
/// the evaluator cannot label a region by its exact colour alone (the
/// procedural renders vary little in colour within a class; without jitter,
/// layouts painted in flat palette colours score high).
public struct SegmenterAugmentation: Sendable, Equatable {
    public var mirrored: Bool
    public var brightness: Float
    public var contrast: Float
    public var saturation: Float
    /// Per-channel gains (a colour cast).
    public var gains: (Float, Float, Float)

    public static let identity = SegmenterAugmentation(mirrored: false, brightness: 1, contrast: 1, saturation: 1, gains: (1, 1, 1))

    public static func == (a: Self, b: Self) -> Bool {
        a.mirrored == b.mirrored && a.brightness == b.brightness && a.contrast == b.contrast
            && a.saturation == b.saturation && a.gains == b.gains
    }

    /// A random augmentation; `colorJitter` 0 keeps colours except a +-10%
    /// brightness, 1 adds saturation +-40%, contrast +-25%, channel gains +-10%
    /// and brightness +-20%.
    public static func random(colorJitter j: Float, using rng: inout RandomGenerator) -> SegmenterAugmentation {
        func spread(_ amount: Float) -> Float { 1 + amount * (2 * rng.nextUniform() - 1) }
        let mirrored = rng.nextUniform() < 0.5
        let brightness = spread(0.1 + 0.1 * j)
        guard j > 0 else { return SegmenterAugmentation(mirrored: mirrored, brightness: brightness, contrast: 1, saturation: 1, gains: (1, 1, 1)) }
        return SegmenterAugmentation(mirrored: mirrored, brightness: brightness, contrast: spread(0.25 * j),
                                     saturation: spread(0.4 * j), gains: (spread(0.1 * j), spread(0.1 * j), spread(0.1 * j)))
    }

    /// Writes the augmented image (`pixels`: RGB bytes, w x h) into `out`
    /// as planar [3, h, w] floats in -1...1.
    public func apply(_ pixels: [UInt8], width w: Int, height h: Int, into out: UnsafeMutablePointer<Float>) {
        let plane = w * h
        let (gr, gg, gb) = (gains.0 * brightness, gains.1 * brightness, gains.2 * brightness)
        let (sat, con) = (saturation, contrast)
        @inline(__always) func finish(_ v: Float) -> Float { 2 * Swift.max(0, Swift.min(1, (v - 0.5) * con + 0.5)) - 1 }
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                for x in 0..<w {
                    let s = 3 * (y * w + (mirrored ? w - 1 - x : x))
                    let r = Float(src[s]) / 255, g = Float(src[s + 1]) / 255, b = Float(src[s + 2]) / 255
                    let grey = (r + g + b) / 3
                    let o = y * w + x
                    out[o] = finish((grey + sat * (r - grey)) * gr)
                    out[plane + o] = finish((grey + sat * (g - grey)) * gg)
                    out[2 * plane + o] = finish((grey + sat * (b - grey)) * gb)
                }
            }
        }
    }
}
