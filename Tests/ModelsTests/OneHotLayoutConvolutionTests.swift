import Foundation
@testable import Models
@testable import Tensor
import XCTest

/// The generators with their layout convolutions computed by lookup
/// (`OneHotConvolution`: LGGAN's encoder input and every SPADE's shared conv,
/// ECGAN's the same) against the dense convolutions, in f32 and bf16 inference
/// and in a training step's weight gradients.
final class OneHotLayoutConvolutionTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func lggan() throws -> LGGANNetwork {
        var config = LGGANConfig.standard(classCount: palette.count)
        config.styleChannels = 6
        config.textureNoiseChannels = 4
        return SyntheticScenes.amplified(try LGGANNetwork(config: config, seed: 21), by: 5)
    }

    func lgganViews(_ network: LGGANNetwork, lookup: Bool, precision: ConvolutionPrecision) -> [(String, Tensor?)] {
        let input = SyntheticScenes.batch([0, 2], size: 32).input
        var rng = RandomGenerator(seed: 22)
        let style = Tensor.randomNormal([2, network.config.styleChannels], using: &rng)
        let noise = network.textureNoise(batch: 2, height: 32, width: 32, seed: 23)
        let out = ConvolutionSettings.with(oneHotLookup: lookup) {
            ConvolutionSettings.with(precision: precision) {
                GradMode.withoutGrad { network.forward(input, style: style, textureNoise: noise) }
            }
        }
        return [("fused", out.fused), ("global", out.global), ("local", out.local), ("weights", out.weights)]
    }

    func ecganViews(_ network: ECGANNetwork, lookup: Bool, precision: ConvolutionPrecision) -> [(String, Tensor?)] {
        let input = SyntheticScenes.batch([1, 3], size: 32).input
        let out = ConvolutionSettings.with(oneHotLookup: lookup) {
            ConvolutionSettings.with(precision: precision) { GradMode.withoutGrad { network.forward(input) } }
        }
        return [("final", out.final), ("coarse", out.coarse), ("image branch", out.imageBranch)]
    }

    /// f32: the same sums in another order (1e-4 on outputs in -1...1). bf16: the dense
    /// layout convs round their weights to bf16, the lookup adds the f32 weights (2e-2,
    /// the bf16 path's tolerance against f32 elsewhere in the tests).
    func assertClose(_ a: [(String, Tensor?)], _ b: [(String, Tensor?)], precision: ConvolutionPrecision,
                     _ model: String) throws {
        let tolerance: Float = precision == .f32 ? 1e-4 : 2e-2
        for ((name, x), (_, y)) in zip(a, b) {
            let (x, y) = (try XCTUnwrap(x, name), try XCTUnwrap(y, name))
            XCTAssertEqual(x.shape, y.shape, name)
            let difference = zip(x.values, y.values).map { abs($0 - $1) }.max() ?? .infinity
            let spread = (x.values.max() ?? 0) - (x.values.min() ?? 0)
            XCTAssertGreaterThan(spread, 1e-2, "\(model) \(name) is not constant (the comparison tests something)")
            XCTAssertLessThan(difference, tolerance, "\(model) \(name), \(precision)")
        }
    }

    func testLGGANOutputsMatchTheDenseLayoutConvolutions() throws {
        let network = try lggan()
        for precision in [ConvolutionPrecision.f32, .bf16] {
            try assertClose(lgganViews(network, lookup: true, precision: precision),
                            lgganViews(network, lookup: false, precision: precision), precision: precision, "LGGAN")
        }
    }

    func testECGANOutputsMatchTheDenseLayoutConvolutions() throws {
        let network = SyntheticScenes.amplified(try ECGANNetwork(config: .tiny(classCount: palette.count), seed: 24))
        let profile = OpProfile()
        _ = profile.recording { ecganViews(network, lookup: true, precision: .f32) }
        XCTAssertGreaterThan(profile.entries.filter { $0.name.contains("one-hot lookup") }.count, 1,
                             "ECGAN's layout convs are lookups: \(profile.entries.map(\.name))")
        for precision in [ConvolutionPrecision.f32, .bf16] {
            try assertClose(ecganViews(network, lookup: true, precision: precision),
                            ecganViews(network, lookup: false, precision: precision), precision: precision, "ECGAN")
        }
    }

    /// The layout's convolutions really are lookups in a preview (all of LGGAN's: the
    /// encoder input and every SPADE's shared conv, at every level).
    func testEveryLayoutConvolutionOfAPreviewIsALookup() throws {
        let network = try lggan()
        let profile = OpProfile()
        _ = profile.recording { lgganViews(network, lookup: true, precision: .f32) }
        let lookups = profile.entries.filter { $0.name.contains("one-hot lookup") }.map(\.calls).reduce(0, +)
        let spades = network.namedParameters().filter { $0.0.hasSuffix(".shared.weight") }.count
        XCTAssertGreaterThan(spades, 3)
        XCTAssertEqual(lookups, spades + 1, "\(profile.entries.map(\.name))")
        XCTAssertFalse(profile.entries.contains { $0.name.hasPrefix("conv") && $0.name.contains(" \(palette.count)->") && !$0.name.contains("lookup") },
                       "no dense conv reads the \(palette.count)-class layout")
    }

    /// A training step's gradients (every parameter's, through the whole generator)
    /// with the layout convs by lookup against the dense ones.
    func testTrainingGradientsMatchTheDenseLayoutConvolutions() throws {
        let input = SyntheticScenes.batch([0, 1], size: 32).input
        func gradients(lookup: Bool) throws -> [String: [Float]] {
            let network = try lggan()
            let out = ConvolutionSettings.with(oneHotLookup: lookup) { network.forward(input) }
            out.fused.squared().mean().backward()
            var grads: [String: [Float]] = [:]
            for (name, p) in network.namedParameters() { if let g = p.grad { grads[name] = g.values } }
            return grads
        }
        let fast = try gradients(lookup: true), dense = try gradients(lookup: false)
        XCTAssertEqual(Set(fast.keys), Set(dense.keys))
        var layoutWeights = 0
        for (name, a) in dense {
            let b = try XCTUnwrap(fast[name], name)
            let scale = a.map(abs).max() ?? 0
            let difference = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(difference, 1e-3 * Swift.max(scale, 1e-6), "\(name): scale \(scale)")
            if name.hasSuffix("shared.weight") || name == "encoder.input.weight" {
                XCTAssertGreaterThan(scale, 0, name)
                layoutWeights += 1
            }
        }
        XCTAssertGreaterThan(layoutWeights, 3)
    }
}
