#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: small, fast and the same on every platform, so a seed names one
/// scene forever (Swift's own `random(in:)` algorithms are not promised stable).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * unit() }

    /// Uniform integer in the closed range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func chance(_ probability: Float) -> Bool { unit() < probability }

    /// Standard normal (Box-Muller).
    public mutating func normal() -> Float {
        let a = max(unit(), 1e-7), b = unit()
        return (-2 * logf(a)).squareRoot() * cosf(2 * .pi * b)
    }

    public mutating func sign() -> Float { chance(0.5) ? 1 : -1 }

    /// A fresh 32-bit seed for a noise field.
    public mutating func noiseSeed() -> UInt32 { UInt32(truncatingIfNeeded: next()) }

    /// Picks by weight.
    public mutating func pick<T>(_ options: [(T, Float)]) -> T {
        let total = options.reduce(0) { $0 + $1.1 }
        var r = unit() * total
        for (value, weight) in options {
            if r < weight { return value }
            r -= weight
        }
        return options[options.count - 1].0
    }

    /// Derives an independent seed from a seed and a salt (for item n of a dataset).
    public static func derive(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g.next()
    }
}
