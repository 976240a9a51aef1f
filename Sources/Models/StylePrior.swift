import Foundation
import Support
import Tensor

/// Where a seed's style code comes from (issue 15): the standard normal the
/// KL term pulls the encoder towards, or a Gaussian fitted afterwards to the
/// codes the encoder actually gives training images (ex-post density
/// estimation, Ghosh et al. 2020): with free bits the aggregate posterior does
/// not fill N(0, I), and prior codes from its holes decode off the data.
/// Both draw the same eps from the seed, so seeds stay bit-exact; the fitted
/// one returns z = mean + L eps (L the covariance's Cholesky factor).
public enum StylePrior: Sendable, Equatable {
    case standardNormal
    case fitted(FittedStylePrior)

    /// Codes [batch, channels] for a seed: the same seed gives the same codes, bit for bit.
    public func code(batch: Int, channels: Int, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let eps = Tensor.randomNormal([batch, channels], using: &rng)
        guard case .fitted(let prior) = self else { return eps }
        check(prior.channels == channels, "style prior of \(prior.channels) channels for a \(channels)-channel code")
        return Tensor(shape: [batch, channels], values: prior.transform(eps.values, batch: batch))
    }

    /// Metadata of an ONNX export (comma-separated floats, row-major): ONNX's
    /// `style` input is z itself, so a caller draws z = mean + L eps with these.
    public var onnxMetadata: [(key: String, value: String)] {
        guard case .fitted(let prior) = self else { return [] }
        func text(_ values: [Float]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        return [("style_prior_mean", text(prior.mean)), ("style_prior_cholesky", text(prior.cholesky))]
    }

    /// Names of the prior's tensors in a model file (absent: the standard normal).
    public static let meanTensorName = "stylePrior.mean"
    public static let choleskyTensorName = "stylePrior.cholesky"

    /// The tensors a model file stores (none for the standard normal).
    public var tensors: [String: Tensor] {
        guard case .fitted(let prior) = self else { return [:] }
        return [Self.meanTensorName: Tensor(shape: [prior.channels], values: prior.mean),
                Self.choleskyTensorName: Tensor(shape: [prior.channels, prior.channels], values: prior.cholesky)]
    }

    /// Splits a model file's tensors into the network's weights and the prior
    /// for a `channels`-wide code; a malformed prior is one `ModelFileError`.
    public static func split(_ tensors: [String: Tensor], channels: Int, path: String) throws -> (weights: [String: Tensor], prior: StylePrior) {
        var weights = tensors
        let mean = weights.removeValue(forKey: meanTensorName)
        let cholesky = weights.removeValue(forKey: choleskyTensorName)
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: "its style prior is malformed: \(reason)") }
        switch (mean, cholesky) {
        case (nil, nil):
            return (weights, .standardNormal)
        case (.some, nil), (nil, .some):
            throw fail("it needs both '\(meanTensorName)' and '\(choleskyTensorName)'")
        case (.some(let mean), .some(let cholesky)):
            guard channels > 0 else { throw fail("the model has no style code") }
            guard mean.shape == [channels] else { throw fail("'\(meanTensorName)' has shape \(mean.shape), expected [\(channels)]") }
            guard cholesky.shape == [channels, channels] else {
                throw fail("'\(choleskyTensorName)' has shape \(cholesky.shape), expected [\(channels), \(channels)]")
            }
            do {
                return (weights, .fitted(try FittedStylePrior(mean: mean.values, cholesky: cholesky.values)))
            } catch let error as StylePriorError {
                throw fail(error.message)
            }
        }
    }
}

/// A fitted prior that cannot be used (its message names what is wrong).
public struct StylePriorError: Error, Equatable {
    public let message: String
}

/// N(mean, L L^T) over a `channels`-wide style code: `cholesky` row-major
/// [channels x channels], lower triangular with a positive diagonal.
public struct FittedStylePrior: Sendable, Equatable {
    public let mean: [Float]
    public let cholesky: [Float]
    public var channels: Int { mean.count }

    /// Refuses non-finite values, a non-square or non-triangular factor, and a non-positive diagonal.
    public init(mean: [Float], cholesky: [Float]) throws {
        let c = mean.count
        guard c > 0, cholesky.count == c * c else {
            throw StylePriorError(message: "the Cholesky factor has \(cholesky.count) values for a \(c)-dimensional mean")
        }
        guard mean.allSatisfy(\.isFinite), cholesky.allSatisfy(\.isFinite) else {
            throw StylePriorError(message: "it holds NaN or infinite values")
        }
        for i in 0..<c {
            guard cholesky[i * c + i] > 0 else {
                throw StylePriorError(message: "the Cholesky factor's diagonal entry \(i) is \(cholesky[i * c + i]), not positive")
            }
            for j in (i + 1)..<c where cholesky[i * c + j] != 0 {
                throw StylePriorError(message: "the Cholesky factor is not lower triangular (row \(i), column \(j))")
            }
        }
        self.mean = mean
        self.cholesky = cholesky
    }

    /// z_b = mean + L eps_b for each of `batch` rows of `eps` (double sums, a fixed order: bit-exact).
    func transform(_ eps: [Float], batch: Int) -> [Float] {
        let c = channels
        var z = [Float](repeating: 0, count: batch * c)
        for b in 0..<batch {
            for i in 0..<c {
                var sum = Double(mean[i])
                for j in 0...i { sum += Double(cholesky[i * c + j]) * Double(eps[b * c + j]) }
                z[b * c + i] = Float(sum)
            }
        }
        return z
    }

    /// The same mean with the spread scaled by `temperature` (covariance times
    /// temperature squared): seeds nearer the typical style, the temperature
    /// trick of Glow (Kingma and Dhariwal 2018) and BigGAN's truncation, which
    /// trade variety for fidelity (measured for run S in docs/models.md).
    public func scaled(by temperature: Float) throws -> FittedStylePrior {
        guard temperature > 0, temperature.isFinite else {
            throw StylePriorError(message: "the temperature must be a positive number, got \(temperature)")
        }
        return try FittedStylePrior(mean: mean, cholesky: cholesky.map { $0 * temperature })
    }

    /// The covariance L L^T, row-major.
    public var covariance: [Double] {
        let c = channels
        var out = [Double](repeating: 0, count: c * c)
        for i in 0..<c {
            for j in 0..<c {
                var sum = 0.0
                for k in 0...min(i, j) { sum += Double(cholesky[i * c + k]) * Double(cholesky[j * c + k]) }
                out[i * c + j] = sum
            }
        }
        return out
    }

    /// The Gaussian of a style encoder's posterior means [N x C] (row-major)
    /// over training images. Their posterior variances are left out: with
    /// them the fit was worse on every measure (docs/models.md, run S).
    public static func fit(means: [Float], channels c: Int) throws -> FittedStylePrior {
        let n = c > 0 ? means.count / c : 0
        guard n >= 2, means.count == n * c else {
            throw StylePriorError(message: "fitting a \(c)-dimensional prior needs at least 2 codes; got \(means.count) values")
        }
        var mu = [Double](repeating: 0, count: c)
        for b in 0..<n { for i in 0..<c { mu[i] += Double(means[b * c + i]) } }
        for i in 0..<c { mu[i] /= Double(n) }
        var cov = [Double](repeating: 0, count: c * c)
        for b in 0..<n {
            for i in 0..<c {
                let di = Double(means[b * c + i]) - mu[i]
                for j in 0...i { cov[i * c + j] += di * (Double(means[b * c + j]) - mu[j]) }
            }
        }
        for i in 0..<c {
            for j in 0...i { cov[i * c + j] /= Double(n - 1); cov[j * c + i] = cov[i * c + j] }
        }
        let factor = try choleskyFactor(cov, n: c)
        return try FittedStylePrior(mean: mu.map { Float($0) }, cholesky: factor.map { Float($0) })
    }

    /// Lower Cholesky factor of a symmetric matrix; a degenerate direction
    /// (fewer codes than dimensions, a code dimension the encoder does not
    /// use) gets a pivot of at least a tiny jitter (1e-6 of the mean variance) rather than failing.
    static func choleskyFactor(_ matrix: [Double], n: Int) throws -> [Double] {
        let trace = (0..<n).reduce(0.0) { $0 + matrix[$1 * n + $1] }
        guard trace > 0, trace.isFinite else { throw StylePriorError(message: "the codes do not vary (covariance trace \(trace))") }
        let jitter = 1e-6 * trace / Double(n)
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = matrix[j * n + j] - (0..<j).reduce(0.0) { $0 + l[j * n + $1] * l[j * n + $1] }
            d = Swift.max(d, jitter)
            let pivot = d.squareRoot()
            l[j * n + j] = pivot
            for i in (j + 1)..<n {
                let s = matrix[i * n + j] - (0..<j).reduce(0.0) { $0 + l[i * n + $1] * l[j * n + $1] }
                l[i * n + j] = s / pivot
            }
        }
        return l
    }
}
