import Foundation
import Layouts
import Models
import Support
import Tensor
import Training
import XCTest

/// The style code (issue 15): a per-image code that reaches every SPADE
/// modulation and the local features, the style encoder that sets it from a
/// reference image, and the warm start from a model without one.
final class StyleCodeTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func styleConfig(encoder: Bool = true) -> LGGANConfig {
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.styleChannels = 6
        config.styleEncoder = encoder
        return config
    }

    func testDifferentSeedsGiveDifferentImagesAndTheSameSeedTheSameBits() throws {
        let generator = try LGGANGenerator(network: SyntheticScenes.amplified(try LGGANNetwork(config: styleConfig(), seed: 5)), palette: palette)
        XCTAssertTrue(generator.hasNoiseInput)
        try SyntheticScenes.assertSeedsChangeEveryBranch(generator, layout: SyntheticScenes.layout(2, width: 40, height: 32))
    }

    /// The code acts after the last normalisations: a constant offset in it
    /// changes the output (the first noise design's offsets were removed by
    /// the next instance norm).
    func testTheCodeIsNotNormalisedAway() throws {
        let network = SyntheticScenes.amplified(try LGGANNetwork(config: styleConfig(encoder: false), seed: 7))
        let batch = SyntheticScenes.batch([1], size: 32)
        let zero = GradMode.withoutGrad { network.forward(batch.input, style: Tensor.zeros([1, 6])) }
        let shifted = GradMode.withoutGrad { network.forward(batch.input, style: Tensor(shape: [1, 6], values: [1, 1, 1, 1, 1, 1])) }
        let diff = zip(zero.fused.values, shifted.fused.values).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(diff, 1e-3)
        // No code given means z = 0, the prior's mean.
        let implicit = GradMode.withoutGrad { network.forward(batch.input) }
        XCTAssertEqual(implicit.fused.values, zero.fused.values)
    }

    func testWarmStartComputesWhatTheTrainedModelDidForEveryCode() throws {
        let trained = SyntheticScenes.amplified(try LGGANNetwork(config: .tiny(classCount: palette.count), seed: 3))
        let config = try WarmStart.config(from: trained.config, styleChannels: 6, styleEncoder: true)
        let warm = try LGGANNetwork(config: config, seed: 9)
        let summary = try WarmStart.load(trained.stateDict(), into: warm, source: "trained")
        XCTAssertGreaterThan(summary.zeroed, 8)    // every SPADE's projection and the local modulation
        XCTAssertGreaterThan(summary.fresh, 0)     // the style encoder
        XCTAssertEqual(summary.copied, trained.stateDict().count)
        let batch = SyntheticScenes.batch([0, 3], size: 32)
        let reference = GradMode.withoutGrad { trained.forward(batch.input) }
        for seed in [UInt64(1), 2] {
            let out = GradMode.withoutGrad { warm.forward(batch.input, style: warm.styleCode(batch: 2, seed: seed)) }
            let diff = zip(reference.fused.values, out.fused.values).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(diff, 1e-5)
        }
        // The code's weights start at zero but are not stuck there: one step moves them.
        var options = LGGANTrainingOptions()
        options.klWarmupSteps = 10
        let trainer = try LGGANTrainer(config: config, palette: palette, options: options)
        try WarmStart.load(trained.stateDict(), into: trainer.generator, source: "trained")
        let names = ["local.styleModulation.weight", "global.finalNorm.styleProjection.weight"]
        for name in names { XCTAssertEqual(trainer.generator.stateDict()[name]!.values.map(abs).max(), 0, name) }
        trainer.trainStep(SyntheticScenes.batch([0, 1]))
        for name in names { XCTAssertGreaterThan(trainer.generator.stateDict()[name]!.values.map(abs).max()!, 0, name) }
        // Another architecture is refused with one line naming the file.
        let other = try LGGANNetwork(config: { var c = LGGANConfig.tiny(classCount: palette.count); c.baseWidth = 4; return c }())
        XCTAssertThrowsError(try WarmStart.load(other.stateDict(), into: warm, source: "other.safetensors")) {
            XCTAssertTrue("\($0)".hasPrefix("other.safetensors: "), "\($0)")
        }
    }

    /// Files written before the style code existed have no style keys: they
    /// build the same network (no new tensors) and generate the same images.
    func testOldModelFilesLoadAsBefore() throws {
        let old = "{\"classCount\": 5, \"noiseChannels\": 0}"
        let config = try LGGANConfig.decode(json: old)
        XCTAssertEqual(config.styleChannels, 0)
        XCTAssertFalse(config.styleEncoder)
        let network = try LGGANNetwork(config: config, seed: 1)
        XCTAssertFalse(network.stateDict().keys.contains { $0.lowercased().contains("style") })
        XCTAssertNil(network.styleCode(batch: 1, seed: 3))
    }

    func testFreeBitsFloorTheKL() {
        let mean = Tensor(shape: [2, 3], values: [0.01, 0, 0, 0, 0.01, 0])
        let logVariance = Tensor.zeros([2, 3])
        let plain = StyleEncoder.klDivergence(mean: mean, logVariance: logVariance).scalar
        let floored = StyleEncoder.klDivergence(mean: mean, logVariance: logVariance, freeBits: 0.5).scalar
        XCTAssertLessThan(plain, 1e-3)
        XCTAssertEqual(floored, 1.5, accuracy: 1e-6)   // 3 dimensions at the floor
        // Below the floor nothing pulls the posterior towards the prior.
        let m = Tensor(shape: [2, 3], values: [0.3, 0.1, 0.2, -0.2, 0.4, 0.1], requiresGrad: true)
        Tensor.backward([StyleEncoder.klDivergence(mean: m, logVariance: logVariance, freeBits: 0.5)])
        XCTAssertEqual(m.grad!.values.map(abs).max(), 0)
        var options = LGGANTrainingOptions()
        options.klWarmupSteps = 100
        XCTAssertEqual(options.klWeight(step: 0), 0)
        XCTAssertEqual(options.klWeight(step: 50), options.klWeight / 2, accuracy: 1e-7)
        XCTAssertEqual(options.klWeight(step: 500), options.klWeight)
    }

    /// The VAE path: the real image's code drives the generator, the KL is
    /// measured, and the encoder is saved in the model file for `--style`.
    func testStyleEncoderTrainsSavesAndEncodesReferences() throws {
        let dir = try temporaryDirectory(prefix: "style-tests")
        var options = LGGANTrainingOptions()
        options.klFreeBits = 0.1
        let trainer = try LGGANTrainer(config: styleConfig(), palette: palette, options: options)
        XCTAssertNil(trainer.styleEncoder)   // the encoder is part of the generator now
        let record = trainer.trainStep(SyntheticScenes.batch([0, 1]))
        XCTAssertGreaterThan(record.styleKL, 0)
        XCTAssertGreaterThanOrEqual(record.kl, 6 * 0.1 * options.klWeight * 0.999)
        try trainer.save(to: dir + "/c.safetensors")
        let resumed = try LGGANTrainer.load(from: dir + "/c.safetensors")
        XCTAssertEqual(resumed.generator.stateDict()["styleEncoder.mean.weight"]?.values,
                       trainer.generator.stateDict()["styleEncoder.mean.weight"]?.values)
        try trainer.exportModel(to: dir + "/m.safetensors")
        let generator = try ModelLoader.loadLGGAN(path: dir + "/m.safetensors")
        XCTAssertTrue(generator.hasStyleEncoder)
        let reference = SyntheticScenes.image(for: SyntheticScenes.layout(1, width: 64, height: 48))
        let path = dir + "/ref.png"
        try reference.write(path: path)
        let style = try generator.styleReference(path: path)
        XCTAssertEqual(style.mean.count, 6)
        XCTAssertEqual(style, try generator.styleReference(path: path))
        let layout = SyntheticScenes.layout(0)
        let a = try generator.generate(layout, seed: 4, style: style, shouldCancel: { false })
        XCTAssertEqual(a.fused, try generator.generate(layout, seed: 4, style: style, shouldCancel: { false }).fused)
    }

    func testBadStyleReferencesFailWithOneLine() throws {
        let dir = try temporaryDirectory(prefix: "style-tests")
        let generator = try LGGANGenerator(network: try LGGANNetwork(config: styleConfig()), palette: palette)
        let tiny = dir + "/tiny.png"
        try RGBImage(width: 8, height: 8).write(path: tiny)
        let corrupt = dir + "/corrupt.png"
        var bytes = try RGBImage(width: 64, height: 64).pngData()
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let text = dir + "/text.png"
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: text))
        for path in [tiny, corrupt, text, dir + "/absent.png"] {
            XCTAssertThrowsError(try generator.styleReference(path: path), path) { error in
                XCTAssertTrue(error is UserFacingError, "\(error)")
                let line = "\(error)"
                XCTAssertTrue(line.hasPrefix(path + ": "), line)
                XCTAssertFalse(line.contains("\n"), line)
            }
        }
        // A model without an encoder says so.
        let plain = try LGGANGenerator(network: try LGGANNetwork(config: .tiny(classCount: palette.count)), palette: palette)
        XCTAssertThrowsError(try plain.styleReference(of: RGBImage(width: 64, height: 64), source: "r.png")) {
            XCTAssertTrue("\($0)".contains("no style encoder"), "\($0)")
        }
    }
}
