import Foundation
import Layouts
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

    /// The shipped generators on samples/lake.png (256x256): every view with the
    /// layout convs by lookup against the dense ones. f32: summation order only
    /// (bound 1e-4 on values in -1...1). bf16: the lookup adds f32 weights where
    /// the dense convs round them; both paths' distance to f32 is printed, and the
    /// lookup's may not exceed the dense path's by more than half (it is bf16
    /// rounding elsewhere that dominates).
    func testShippedModelsMatchTheDensePathOnTheSampleLayout() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for name in ["landscape-lggan", "landscape-lggan-styles"] {
            let (network, palette, _) = try LGGANModelFile.read(path: root.appendingPathComponent("models/\(name).safetensors").path)
            let layout = try LayoutFile.read(path: root.appendingPathComponent("samples/lake.png").path, palette: palette)
            let input = try SemanticInput(labels: layout.labels, palette: palette)
            func views(lookup: Bool, _ precision: ConvolutionPrecision) -> [Float] {
                let out = ConvolutionSettings.with(oneHotLookup: lookup) {
                    ConvolutionSettings.with(precision: precision) { GradMode.withoutGrad { network.forward(input) } }
                }
                return [out.fused, out.global, out.local, out.weights, out.classImages].flatMap { $0?.values ?? [] }
            }
            func distance(_ a: [Float], _ b: [Float]) -> (max: Float, rms: Float) {
                XCTAssertEqual(a.count, b.count)
                let d = zip(a, b).map { abs($0 - $1) }
                return (d.max() ?? .infinity, (d.map { $0 * $0 }.reduce(0, +) / Float(Swift.max(d.count, 1))).squareRoot())
            }
            let reference = views(lookup: false, .f32)
            let f32 = distance(views(lookup: true, .f32), reference)
            let bf16Lookup = distance(views(lookup: true, .bf16), reference)
            let bf16Dense = distance(views(lookup: false, .bf16), reference)
            print(String(format: "%@: f32 lookup vs dense max %.2e rms %.2e; bf16 vs f32: lookup max %.2e rms %.2e, dense max %.2e rms %.2e",
                         name, f32.max, f32.rms, bf16Lookup.max, bf16Lookup.rms, bf16Dense.max, bf16Dense.rms))
            XCTAssertLessThanOrEqual(f32.max, 1e-4, name)
            XCTAssertGreaterThan(bf16Dense.rms, 0, "\(name): bf16 differs from f32 at all")
            XCTAssertLessThanOrEqual(bf16Lookup.rms, 1.5 * bf16Dense.rms, name)
        }
    }
}
