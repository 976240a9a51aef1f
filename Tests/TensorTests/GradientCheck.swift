import Tensor
import XCTest

/// Gradient checks in tests: NumericGradient (Sources/Tensor) compares
/// backward with finite differences; a mismatch fails the calling test.
/// The helpers below make inputs away from kinks.
struct GradientCheck {
    static func check(_ inputs: [Tensor], sample: Int = 48, epsilon: Float = 1e-2,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ f: ([Tensor]) -> Tensor) {
        for problem in NumericGradient.mismatches(inputs, sample: sample, epsilon: epsilon, f) {
            XCTFail(problem, file: file, line: line)
        }
    }

    /// Random values kept at least `gap` away from zero (for relu/abs kinks).
    static func awayFromZero(_ shape: [Int], seed: UInt64, gap: Float = 0.1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let t = Tensor.randomNormal(shape, using: &rng)
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices where abs(b[i]) < gap { b[i] = b[i] < 0 ? -gap - abs(b[i]) : gap + abs(b[i]) }
        }
        return t
    }

    /// Random values at least `gap` away from each of `kinks` (hinge losses at +-1).
    static func avoiding(_ kinks: [Float], shape: [Int], seed: UInt64, gap: Float = 0.05) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let t = Tensor.randomNormal(shape, std: 1.5, using: &rng)
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices {
                for k in kinks where abs(b[i] - k) < gap { b[i] = k + (b[i] < k ? -gap : gap) * 2 }
            }
        }
        return t
    }

    static func random(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, std: std, using: &rng)
    }
}
