import Tensor
import XCTest

/// Finite-difference gradient checking.
///
/// The scalar checked is L = sum(f(inputs) * R) with fixed random R, so every
/// output element's gradient path is exercised. Numeric derivatives are central
/// differences (f(x+e) - f(x-e)) / 2e with e = 1e-2 in Float32: truncation error
/// is O(e^2 * f''') ~ 1e-4 for these smooth ops, and Float32 rounding of L (a sum
/// of at most a few thousand O(1) terms, relative error ~1e-6) contributes about
/// 1e-6 * |L| / e ~ 1e-3 absolute at worst. So an element passes when
/// |analytic - numeric| <= 2e-3 * max(1, max|numeric|) + 2e-2 * |numeric|;
/// real bugs (a missing term, a wrong index) give errors of order the gradient itself.
struct GradientCheck {
    static func check(_ inputs: [Tensor], sample: Int = 48, epsilon: Float = 1e-2,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ f: ([Tensor]) -> Tensor) {
        var rng = RandomGenerator(seed: 99)
        for t in inputs { t.requiresGrad = true; t.grad = nil }
        let probe = f(inputs)
        let weights = Tensor.randomNormal(probe.shape, using: &rng)
        func loss() -> Double {
            let out = GradMode.withoutGrad { f(inputs) }
            var s: Double = 0
            let o = out.values, w = weights.values
            for i in 0..<o.count { s += Double(o[i]) * Double(w[i]) }
            return s
        }
        (probe * weights).sum().backward()
        for (index, t) in inputs.enumerated() {
            guard let grad = t.grad else {
                XCTFail("input \(index) got no gradient", file: file, line: line)
                continue
            }
            XCTAssertEqual(grad.shape, t.shape, "gradient shape of input \(index)", file: file, line: line)
            let analytic = grad.values
            var positions = Array(0..<t.count)
            if positions.count > sample {
                var chosen: [Int] = []
                for _ in 0..<sample { chosen.append(rng.nextInt(below: t.count)) }
                positions = chosen
            }
            var numeric: [Float] = []
            for p in positions {
                let original = t.withUnsafeBufferPointer { $0[p] }
                t.withUnsafeMutableBufferPointer { $0[p] = original + epsilon }
                let plus = loss()
                t.withUnsafeMutableBufferPointer { $0[p] = original - epsilon }
                let minus = loss()
                t.withUnsafeMutableBufferPointer { $0[p] = original }
                numeric.append(Float((plus - minus) / Double(2 * epsilon)))
            }
            let scale = max(1, numeric.map { abs($0) }.max() ?? 0)
            for (k, p) in positions.enumerated() {
                let a = analytic[p], n = numeric[k]
                let tolerance = 2e-3 * scale + 2e-2 * abs(n)
                if abs(a - n) > tolerance {
                    XCTFail("input \(index) \(t.shape) element \(p): analytic \(a), numeric \(n)", file: file, line: line)
                    return
                }
            }
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
