import Foundation

/// Finite-difference gradient checking, for the tests of any module that
/// writes ops (the engine's, the models' fused ones).
///
/// The scalar checked is L = sum(f(inputs) * R) with fixed random R, so every
/// output element's gradient path is exercised. Numeric derivatives are central
/// differences (f(x+e) - f(x-e)) / 2e with e = 1e-2 in Float32: truncation error
/// is O(e^2 * f''') ~ 1e-4 for these smooth ops, and Float32 rounding of L (a sum
/// of at most a few thousand O(1) terms, relative error ~1e-6) contributes about
/// 1e-6 * |L| / e ~ 1e-3 absolute at worst. So an element passes when
/// |analytic - numeric| <= 2e-3 * max(1, max|numeric|) + 2e-2 * |numeric|;
/// real bugs (a missing term, a wrong index) give errors of order the gradient itself.
public enum NumericGradient {
    /// What disagrees between backward and finite differences (empty: the gradients agree).
    /// At most `sample` elements of each input are probed.
    public static func mismatches(_ inputs: [Tensor], sample: Int = 48, epsilon: Float = 1e-2,
                                  _ f: ([Tensor]) -> Tensor) -> [String] {
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
        var problems: [String] = []
        for (index, t) in inputs.enumerated() {
            guard let grad = t.grad else {
                problems.append("input \(index) got no gradient")
                continue
            }
            guard grad.shape == t.shape else {
                problems.append("gradient shape \(grad.shape) of input \(index) \(t.shape)")
                continue
            }
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
                if abs(a - n) > 2e-3 * scale + 2e-2 * abs(n) {
                    problems.append("input \(index) \(t.shape) element \(p): analytic \(a), numeric \(n)")
                    break
                }
            }
        }
        return problems
    }
}
