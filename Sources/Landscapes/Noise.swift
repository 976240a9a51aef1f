#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hash-based gradient and value noise. No tables: a noise field is named by a
/// 32-bit seed, so scenes stay reproducible and thread-safe.
enum Noise {
    @inline(__always) static func hash(_ x: Int32, _ y: Int32, _ seed: UInt32) -> UInt32 {
        var h = UInt32(bitPattern: x) &* 0x8DA6_B343 ^ UInt32(bitPattern: y) &* 0xD816_3841 ^ seed &* 0xCB1A_B31F
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        h = h &* 0x297A_2D39
        h ^= h >> 15
        return h
    }

    /// A random value in [0, 1) for an integer lattice cell.
    @inline(__always) static func cell(_ x: Int32, _ y: Int32, _ seed: UInt32) -> Float {
        Float(hash(x, y, seed) >> 8) * (1.0 / 16_777_216.0)
    }

    @inline(__always) static func fade(_ t: Float) -> Float { t * t * t * (t * (t * 6 - 15) + 10) }

    @inline(__always) static func lerp(_ a: Float, _ b: Float, _ t: Float) -> Float { a + (b - a) * t }

    /// 1-D value noise in [-1, 1].
    @inline(__always) static func value1D(_ x: Float, _ seed: UInt32) -> Float {
        let fx = x.rounded(.down)
        let ix = Int32(fx)
        let t = fade(x - fx)
        let a = cell(ix, 0, seed), b = cell(ix &+ 1, 0, seed)
        return lerp(a, b, t) * 2 - 1
    }

    @inline(__always) private static func grad(_ h: UInt32, _ x: Float, _ y: Float) -> Float {
        switch h & 7 {
        case 0: return x + y
        case 1: return x - y
        case 2: return -x + y
        case 3: return -x - y
        case 4: return 1.4142 * x
        case 5: return -1.4142 * x
        case 6: return 1.4142 * y
        default: return -1.4142 * y
        }
    }

    /// 2-D gradient noise, roughly in [-1, 1].
    @inline(__always) static func gradient(_ x: Float, _ y: Float, _ seed: UInt32) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int32(fx), iy = Int32(fy)
        let dx = x - fx, dy = y - fy
        let u = fade(dx), v = fade(dy)
        let n00 = grad(hash(ix, iy, seed), dx, dy)
        let n10 = grad(hash(ix &+ 1, iy, seed), dx - 1, dy)
        let n01 = grad(hash(ix, iy &+ 1, seed), dx, dy - 1)
        let n11 = grad(hash(ix &+ 1, iy &+ 1, seed), dx - 1, dy - 1)
        return lerp(lerp(n00, n10, u), lerp(n01, n11, u), v) * 0.72
    }

    /// Fractal sum of 1-D value noise, roughly in [-1, 1].
    static func fbm1D(_ x: Float, _ seed: UInt32, octaves: Int = 4) -> Float {
        var sum: Float = 0, amp: Float = 0.5, freq: Float = 1, norm: Float = 0
        for o in 0..<octaves {
            sum += amp * value1D(x * freq + Float(o) * 17.3, seed &+ UInt32(o) &* 101)
            norm += amp
            amp *= 0.5
            freq *= 2.03
        }
        return sum / norm
    }

    /// Fractal gradient noise. `footprint` is the size of one pixel in noise
    /// units at the base frequency: octaves finer than a pixel fade out instead of aliasing.
    static func fbm(_ x: Float, _ y: Float, _ seed: UInt32, octaves: Int = 4, footprint: Float = 0,
                    gain: Float = 0.5) -> Float {
        var sum: Float = 0, amp: Float = 1, freq: Float = 1, norm: Float = 0
        for o in 0..<octaves {
            let detail = freq * footprint
            let weight: Float = detail < 0.25 ? 1 : (detail > 0.5 ? 0 : (0.5 - detail) * 4)
            if weight == 0 { break }
            sum += amp * weight * gradient(x * freq + Float(o) * 31.7, y * freq - Float(o) * 11.1,
                                           seed &+ UInt32(o) &* 7919)
            norm += amp
            amp *= gain
            freq *= 2.02
        }
        return norm > 0 ? sum / norm * 1.3 : 0
    }

    /// Ridged noise in [0, 1]: sharp crests, for rock cracks and mountain detail.
    static func ridged(_ x: Float, _ y: Float, _ seed: UInt32, octaves: Int = 3, footprint: Float = 0) -> Float {
        var sum: Float = 0, amp: Float = 1, freq: Float = 1, norm: Float = 0
        for o in 0..<octaves {
            let detail = freq * footprint
            let weight: Float = detail < 0.25 ? 1 : (detail > 0.5 ? 0 : (0.5 - detail) * 4)
            if weight == 0 { break }
            let n = 1 - abs(gradient(x * freq, y * freq, seed &+ UInt32(o) &* 131))
            sum += amp * weight * n * n
            norm += amp
            amp *= 0.5
            freq *= 2.1
        }
        return norm > 0 ? sum / norm : 0.5
    }

    /// 1-D ridged profile in [0, 1].
    static func ridged1D(_ x: Float, _ seed: UInt32, octaves: Int = 4) -> Float {
        var sum: Float = 0, amp: Float = 1, freq: Float = 1, norm: Float = 0
        for o in 0..<octaves {
            let n = 1 - abs(value1D(x * freq, seed &+ UInt32(o) &* 313))
            sum += amp * n * n
            norm += amp
            amp *= 0.5
            freq *= 2.2
        }
        return sum / norm
    }
}
