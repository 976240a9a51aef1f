import Support

/// Fréchet distance between two Gaussians fitted to feature sets:
/// |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
///
/// This is the formula of FID, but scenepaint applies it to features of its own
/// segmentation network (no Inception weights are reachable here), so the
/// numbers are not FID and are not comparable with published FID values.
public enum FrechetDistance {
    /// Mean and covariance (unbiased, n-1) of row vectors `features` (count x dim).
    public static func statistics(_ features: [[Double]]) -> (mean: [Double], covariance: [Double]) {
        invariant(!features.isEmpty, "FrechetDistance: no features")
        let dim = features[0].count
        var mean = [Double](repeating: 0, count: dim)
        for f in features { for j in 0..<dim { mean[j] += f[j] } }
        for j in 0..<dim { mean[j] /= Double(features.count) }
        var cov = [Double](repeating: 0, count: dim * dim)
        for f in features {
            for i in 0..<dim {
                let di = f[i] - mean[i]
                for j in i..<dim { cov[i * dim + j] += di * (f[j] - mean[j]) }
            }
        }
        let denominator = Double(max(1, features.count - 1))
        for i in 0..<dim {
            for j in i..<dim {
                cov[i * dim + j] /= denominator
                cov[j * dim + i] = cov[i * dim + j]
            }
        }
        return (mean, cov)
    }

    /// Distance between N(mean1, cov1) and N(mean2, cov2); covariances row-major dim x dim.
    /// Tr((S1 S2)^(1/2)) is computed as the sum of square roots of the
    /// eigenvalues of S1^(1/2) S2 S1^(1/2), which is symmetric PSD.
    public static func distance(mean1: [Double], cov1: [Double], mean2: [Double], cov2: [Double]) throws -> Double {
        let dim = mean1.count
        invariant(mean2.count == dim && cov1.count == dim * dim && cov2.count == dim * dim, "FrechetDistance: statistics of different dimensions")
        var meanTerm = 0.0
        for j in 0..<dim { meanTerm += (mean1[j] - mean2[j]) * (mean1[j] - mean2[j]) }
        var trace1 = 0.0, trace2 = 0.0
        for j in 0..<dim { trace1 += cov1[j * dim + j]; trace2 += cov2[j * dim + j] }

        // S1^(1/2) = V diag(sqrt(max(l, 0))) V^T
        let (values, vectors) = try SymmetricEigen.decompose(cov1, n: dim, vectors: true)
        var sqrt1 = [Double](repeating: 0, count: dim * dim)
        for k in 0..<dim {
            let s = values[k] > 0 ? values[k].squareRoot() : 0
            guard s > 0 else { continue }
            for i in 0..<dim {
                let vik = vectors[k * dim + i] * s  // column k, row i (column-major)
                for j in 0..<dim { sqrt1[i * dim + j] += vik * vectors[k * dim + j] }
            }
        }
        let product = multiply(multiply(sqrt1, cov2, dim), sqrt1, dim)
        var symmetric = product
        for i in 0..<dim { for j in 0..<dim { symmetric[i * dim + j] = 0.5 * (product[i * dim + j] + product[j * dim + i]) } }
        let eig = try SymmetricEigen.decompose(symmetric, n: dim, vectors: false).values
        let traceSqrt = eig.reduce(0) { $0 + ($1 > 0 ? $1.squareRoot() : 0) }
        return max(0, meanTerm + trace1 + trace2 - 2 * traceSqrt)
    }

    /// Distance between two feature sets.
    public static func distance(_ a: [[Double]], _ b: [[Double]]) throws -> Double {
        let sa = statistics(a), sb = statistics(b)
        return try distance(mean1: sa.mean, cov1: sa.covariance, mean2: sb.mean, cov2: sb.covariance)
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                if aik == 0 { continue }
                for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
            }
        }
        return c
    }
}
