import Foundation
import Models
import Support
import Tensor
import XCTest

/// The seed path's style prior (issue 15): N(0, I) unless the model file holds
/// a Gaussian fitted to the encoder's codes; seeds stay bit-exact with both.
final class StylePriorTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func styleNetwork(channels: Int = 3) throws -> LGGANNetwork {
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.styleChannels = channels
        config.styleEncoder = true
        return try LGGANNetwork(config: config, seed: 4)
    }

    /// A valid 3-dimensional prior (L with a positive diagonal, correlated dimensions).
    let known = (mean: [Float(1.5), -0.5, 0.25],
                 cholesky: [Float(0.5), 0, 0,
                            0.3, 0.2, 0,
                            -0.1, 0.4, 0.6])

    func testWithoutAFittedPriorASeedDrawsTheStandardNormalAsBefore() throws {
        let network = try styleNetwork()
        XCTAssertEqual(network.stylePrior, .standardNormal)
        var rng = RandomGenerator(seed: 11)
        let before = Tensor.randomNormal([2, 3], using: &rng)   // what styleCode drew before the prior existed
        XCTAssertEqual(network.styleCode(batch: 2, seed: 11)?.values, before.values)
        XCTAssertTrue(network.modelFileTensors.keys.allSatisfy { !$0.hasPrefix("stylePrior.") })
    }

    func testFittedPriorSeedsAreBitExactDistinctAndMeanPlusLEps() throws {
        let network = try styleNetwork()
        network.stylePrior = .fitted(try FittedStylePrior(mean: known.mean, cholesky: known.cholesky))
        let a = try XCTUnwrap(network.styleCode(batch: 1, seed: 7)).values
        XCTAssertEqual(a, network.styleCode(batch: 1, seed: 7)?.values)
        XCTAssertNotEqual(a, network.styleCode(batch: 1, seed: 8)?.values)
        var rng = RandomGenerator(seed: 7)
        let eps = Tensor.randomNormal([1, 3], using: &rng).values
        for i in 0..<3 {
            let expected = known.mean[i] + (0...i).reduce(Float(0)) { $0 + known.cholesky[i * 3 + $1] * eps[$1] }
            XCTAssertEqual(a[i], expected, accuracy: 1e-6)
        }
    }

    /// Draws from a known Gaussian; the fit gives back its mean and covariance.
    func testTheFitReproducesAKnownGaussian() throws {
        let truth = try FittedStylePrior(mean: known.mean, cholesky: known.cholesky)
        let n = 20_000
        let samples = StylePrior.fitted(truth).code(batch: n, channels: 3, seed: 3).values
        let fitted = try FittedStylePrior.fit(means: samples, channels: 3)
        for i in 0..<3 { XCTAssertEqual(fitted.mean[i], known.mean[i], accuracy: 0.02) }
        for (f, t) in zip(fitted.covariance, truth.covariance) { XCTAssertEqual(f, t, accuracy: 0.02) }
        XCTAssertThrowsError(try FittedStylePrior.fit(means: [1, 2, 3], channels: 3))   // one code
        XCTAssertThrowsError(try FittedStylePrior.fit(means: [1, 1, 1, 1, 1, 1], channels: 3))   // no spread
        // Fewer codes than dimensions: the unused directions get a tiny jitter, the factor stays valid.
        let few = try FittedStylePrior.fit(means: [0, 1, 2, 1, 0, 0], channels: 3)
        XCTAssertTrue((0..<3).allSatisfy { few.cholesky[$0 * 3 + $0] > 0 })
    }

    func testATemperatureKeepsTheMeanAndScalesTheSpread() throws {
        let truth = try FittedStylePrior(mean: known.mean, cholesky: known.cholesky)
        let half = try truth.scaled(by: 0.5)
        XCTAssertEqual(half.mean, truth.mean)
        for (h, t) in zip(half.covariance, truth.covariance) { XCTAssertEqual(h, 0.25 * t, accuracy: 1e-6) }
        // A seed's code moves towards the mean by the same factor (the same eps).
        let z1 = StylePrior.fitted(truth).code(batch: 1, channels: 3, seed: 5).values
        let zHalf = StylePrior.fitted(half).code(batch: 1, channels: 3, seed: 5).values
        for i in 0..<3 { XCTAssertEqual(zHalf[i] - known.mean[i], 0.5 * (z1[i] - known.mean[i]), accuracy: 1e-5) }
        for bad: Float in [0, -1, .nan, .infinity] { XCTAssertThrowsError(try truth.scaled(by: bad)) }
    }

    func testTheModelFileKeepsThePrior() throws {
        let dir = try temporaryDirectory(prefix: "style-prior")
        let network = try styleNetwork()
        network.stylePrior = .fitted(try FittedStylePrior(mean: known.mean, cholesky: known.cholesky))
        try LGGANModelFile.write(network, palette: palette, to: dir + "/m.safetensors", dtype: .f16)
        let file = try SafeTensors.read(dir + "/m.safetensors")
        XCTAssertEqual(file.dtypes[StylePrior.choleskyTensorName], .f32)   // not rounded with the F16 weights
        let loaded = try LGGANModelFile.read(path: dir + "/m.safetensors").network
        XCTAssertEqual(loaded.stylePrior, network.stylePrior)
        XCTAssertEqual(loaded.styleCode(batch: 1, seed: 5)?.values, network.styleCode(batch: 1, seed: 5)?.values)
        // The ONNX export's `style` input is z itself: its metadata carries the prior, exact float text.
        let metadata = Dictionary(uniqueKeysWithValues: network.onnxModel(palette: palette).metadata.map { ($0.key, $0.value) })
        XCTAssertEqual(metadata["style_prior_mean"]?.split(separator: ",").compactMap { Float(String($0)) }, known.mean)
        XCTAssertEqual(metadata["style_prior_cholesky"]?.split(separator: ",").compactMap { Float(String($0)) }, known.cholesky)
        XCTAssertFalse(try styleNetwork().onnxModel(palette: palette).metadata.contains { $0.key.hasPrefix("style_prior") })
    }

    /// Each malformed prior is one line naming the file and the tensor's problem.
    func testAMalformedPriorIsRefusedInOneLine() throws {
        let dir = try temporaryDirectory(prefix: "style-prior")
        let network = try styleNetwork()
        let weights = network.stateDict()
        let (m, l) = (StylePrior.meanTensorName, StylePrior.choleskyTensorName)
        let mean = Tensor(shape: [3], values: known.mean), cholesky = Tensor(shape: [3, 3], values: known.cholesky)
        var negative = known.cholesky; negative[4] = -0.2
        var upper = known.cholesky; upper[1] = 0.3
        var infinite = known.mean; infinite[2] = .infinity
        let cases: [(String, [String: Tensor], String)] = [
            ("only-mean", [m: mean], "both"),
            ("mean-shape", [m: Tensor(shape: [4], values: [0, 0, 0, 0]), l: cholesky], "shape [4]"),
            ("cholesky-shape", [m: mean, l: Tensor(shape: [9], values: known.cholesky)], "shape [9]"),
            ("negative-diagonal", [m: mean, l: Tensor(shape: [3, 3], values: negative)], "diagonal entry 1"),
            ("upper", [m: mean, l: Tensor(shape: [3, 3], values: upper)], "lower triangular"),
            ("infinite", [m: Tensor(shape: [3], values: infinite), l: cholesky], "infinite"),
        ]
        for (name, prior, reason) in cases {
            let path = dir + "/\(name).safetensors"
            try ModelFileHeader.write(weights.merging(prior) { a, _ in a }, format: LGGANModelFile.format, version: LGGANModelFile.version,
                                      configJSON: network.config.encodedJSON(), palette: palette, metadata: [:], dtype: .f32, to: path)
            XCTAssertThrowsError(try LGGANModelFile.read(path: path), name) { error in
                let line = "\(error)"
                XCTAssertTrue(line.hasPrefix(path + ": "), line)
                XCTAssertTrue(line.contains(reason), line)
                XCTAssertFalse(line.contains("\n"), line)
            }
        }
        // A model without a style code has no use for a prior.
        let plain = try LGGANNetwork(config: .tiny(classCount: palette.count))
        let path = dir + "/plain.safetensors"
        try ModelFileHeader.write(plain.stateDict().merging([m: mean, l: cholesky]) { a, _ in a }, format: LGGANModelFile.format,
                                  version: LGGANModelFile.version, configJSON: plain.config.encodedJSON(), palette: palette,
                                  metadata: [:], dtype: .f32, to: path)
        XCTAssertThrowsError(try LGGANModelFile.read(path: path)) { XCTAssertTrue("\($0)".contains("no style code"), "\($0)") }
    }
}
