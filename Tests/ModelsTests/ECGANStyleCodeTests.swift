import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training
import XCTest

/// ECGAN's style code (issue 15, the same mechanism as LGGAN's): the code
/// reaches every SPADE modulation of the backbone, the style encoder trains
/// with the KL and saves into the model file, a warm start from an LGGAN with
/// a style code copies it, and files without one behave as before.
final class ECGANStyleCodeTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func styleConfig(encoder: Bool = true) -> ECGANConfig {
        var config = ECGANConfig.tiny(classCount: palette.count)
        config.styleChannels = 6
        config.styleEncoder = encoder
        return config
    }

    static func styleProjections(_ network: ECGANNetwork) -> Int {
        network.stateDict().keys.filter { $0.hasPrefix("backbone.") && $0.hasSuffix("styleProjection.weight") }.count
    }

    static func spades(_ network: ECGANNetwork) -> Int {
        network.stateDict().keys.filter { $0.hasPrefix("backbone.") && $0.hasSuffix("modulation.weight") }.count
    }

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "ecgan-style-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func options() -> ECGANTrainingOptions {
        var options = ECGANTrainingOptions()
        options.size = 32
        options.contrastPixels = 16
        options.generatorLearningRate = 1e-3
        options.discriminatorLearningRate = 1e-3
        options.klFreeBits = 0.1
        options.klWarmupSteps = 4
        options.styleLearningRateFactor = 10
        options.contrastLayouts = 2   // no memory bank, which a checkpoint does not keep
        return options
    }

    func trainer(_ config: ECGANConfig) throws -> ECGANTrainer {
        var config = config
        config.useSimilarity = false
        return try ECGANTrainer(config: config, palette: palette, options: options(), labelNetwork: nil)
    }

    func batchWithEdges(_ ks: [Int], size: Int = 32) -> TrainingBatch {
        var batch = SyntheticScenes.batch(ks, size: size)
        let images = ks.map { SyntheticScenes.image(for: SyntheticScenes.layout($0, width: size, height: size)) }
        batch.edges = TensorImages.tensor(images.map { CannyEdges().edgeImage($0) })
        return batch
    }

    func testDifferentSeedsGiveDifferentImagesAndTheSameSeedTheSameBits() throws {
        let generator = try ECGANGenerator(network: SyntheticScenes.amplified(try ECGANNetwork(config: styleConfig(), seed: 5)), palette: palette)
        XCTAssertTrue(generator.hasNoiseInput)
        let layout = SyntheticScenes.layout(2, width: 40, height: 32)
        let a = try generator.views(layout, seed: 11)
        let again = try generator.views(layout, seed: 11)
        let b = try generator.views(layout, seed: 12)
        XCTAssertEqual(a.final, again.final)
        XCTAssertEqual(a.coarse, again.coarse)
        XCTAssertEqual(a.edge, again.edge)
        XCTAssertNotEqual(a.final, b.final)
        // The code reaches F, so every view that is made from it changes: I', the edge map.
        XCTAssertNotEqual(a.coarse, b.coarse)
        XCTAssertNotEqual(a.edge, b.edge)
        // Through the editor's protocol too.
        XCTAssertEqual(try generator.generate(layout, seed: 11, shouldCancel: { false }).fused, a.final)
    }

    /// The code acts in SPADE after the instance norm: a constant offset changes the image; no code means z = 0.
    func testTheCodeIsNotNormalisedAway() throws {
        let network = SyntheticScenes.amplified(try ECGANNetwork(config: styleConfig(encoder: false), seed: 7))
        let batch = SyntheticScenes.batch([1], size: 32)
        let zero = GradMode.withoutGrad { network.forward(batch.input, style: Tensor.zeros([1, 6])) }
        let shifted = GradMode.withoutGrad { network.forward(batch.input, style: Tensor(shape: [1, 6], values: [1, 1, 1, 1, 1, 1])) }
        let diff = zip(zero.final.values, shifted.final.values).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(diff, 1e-3)
        XCTAssertEqual(GradMode.withoutGrad { network.forward(batch.input) }.final.values, zero.final.values)
        XCTAssertEqual(Self.styleProjections(network), Self.spades(network), "every SPADE of the backbone reads the code")
    }

    /// A tiny overfit run with the style code and its encoder: every term finite,
    /// the reconstruction terms fall, the KL is there and the style weights move
    /// at their own rate; a checkpoint resumes the style optimiser; the model
    /// file keeps the encoder, which then reads a reference image's style.
    func testTheStylePathTrainsResumesAndEncodesReferences() throws {
        let dir = try scratch()
        let trainer = try trainer(styleConfig())
        XCTAssertNotNil(trainer.styleOptimizer)
        let projection = "backbone.finalNorm.styleProjection.weight"
        let before = trainer.generator.stateDict()[projection]!.values
        let batch = batchWithEdges([0, 1])
        var records: [ECGANLossRecord] = []
        for _ in 0..<30 { records.append(trainer.trainStep(batch)) }
        for r in records { for (name, v) in r.named { XCTAssertTrue(v.isFinite, "\(name) = \(v)") } }
        func mean(_ rs: ArraySlice<ECGANLossRecord>, _ name: String) -> Float {
            rs.map { r in r.named.first { $0.0 == name }!.1 }.reduce(0, +) / Float(rs.count)
        }
        for name in ["l1", "l1_final", "contrast"] {
            let early = mean(records[0..<5], name), late = mean(records[25..<30], name)
            XCTAssertLessThan(late, early, "\(name) falls: \(early) -> \(late)")
        }
        XCTAssertEqual(records[0].kl, 0, "the KL weight starts at 0 (warm-up)")
        XCTAssertGreaterThan(records[0].styleKL, 0)
        // After the warm-up the free-bits floor holds: 6 dimensions x 0.1 nats x the weight.
        XCTAssertGreaterThanOrEqual(records[10].kl, 6 * 0.1 * trainer.options.klWeight * 0.999)
        XCTAssertNotEqual(trainer.generator.stateDict()[projection]!.values, before)

        let path = dir + "/checkpoint.safetensors"
        try trainer.save(to: path)
        let continued = trainer.trainStep(batch)
        let resumed = try ECGANTrainer.load(from: path)
        XCTAssertEqual(resumed.config, trainer.config)
        XCTAssertEqual(resumed.options, trainer.options)
        XCTAssertEqual(resumed.styleOptimizer?.stepCount, 30)
        let again = resumed.trainStep(batch)
        for ((name, x), (_, y)) in zip(continued.named, again.named) {
            XCTAssertEqual(x, y, accuracy: 1e-3 * max(1, abs(x)), name)
        }

        try trainer.exportModel(to: dir + "/m.safetensors")
        let loaded = try ModelLoader.load(path: dir + "/m.safetensors")
        let generator = try XCTUnwrap(loaded as? ECGANGenerator)
        XCTAssertTrue(generator.hasStyleEncoder)
        let reference = dir + "/ref.png"
        try SyntheticScenes.image(for: SyntheticScenes.layout(3, width: 64, height: 48)).write(path: reference)
        let style = try generator.styleReference(path: reference)
        XCTAssertEqual(style.mean.count, 6)
        let layout = SyntheticScenes.layout(0)
        let styled = try generator.generate(layout, settings: GenerationSettings(seed: 4, style: style), shouldCancel: { false })
        XCTAssertEqual(styled.fused, try generator.generate(layout, seed: 4, style: style, shouldCancel: { false }).fused)
        // The editor's style key: the styled generator keeps ECGAN's views and name.
        let switched = try XCTUnwrap(try generator.styled(referencePath: reference) as? StyleSwitching)
        XCTAssertEqual(switched.style, style)
        XCTAssertEqual(switched.views, generator.views)
        XCTAssertEqual(switched.modelName, generator.modelName)
        XCTAssertEqual(try switched.generate(layout, seed: 4, shouldCancel: { false }).fused, styled.fused)
        // A code of the wrong size is refused.
        let wrong = StyleReference(mean: [0, 0], logVariance: [0, 0], source: "x.png")
        XCTAssertThrowsError(try generator.generate(layout, settings: GenerationSettings(seed: 1, style: wrong), shouldCancel: { false }))
        // A model without an encoder says so in one line naming the file.
        let plain = try ECGANGenerator(network: try ECGANNetwork(config: .tiny(classCount: palette.count)), palette: palette)
        XCTAssertThrowsError(try plain.styleReference(path: reference)) {
            XCTAssertTrue("\($0)".hasPrefix(reference + ": ") && "\($0)".contains("no style encoder"), "\($0)")
        }
    }

    /// `train ecgan --init-from` an LGGAN with a style code: the encoder, the
    /// backbone with its SPADE style projections and the style encoder come from
    /// the LGGAN; from one without, the projections start at zero (so F is what
    /// the LGGAN's global generator computed, for every code) and the encoder fresh.
    func testWarmStartFromAnLGGANCopiesItsStyleCode() throws {
        var lgganConfig = LGGANConfig.tiny(classCount: palette.count)
        lgganConfig.styleChannels = 6
        lgganConfig.styleEncoder = true
        let lggan = try LGGANNetwork(config: lgganConfig, seed: 8)
        for (_, t) in lggan.namedParameters() { t.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] += 0.01 } } }
        var config = styleConfig()
        config.featureWidth = lgganConfig.width(level: 1)
        let trainer = try trainer(config)
        let summary = try trainer.warmStart(from: lggan, source: "styled.safetensors")
        XCTAssertEqual(summary.zeroed, 0)
        let mine = trainer.generator.stateDict(), theirs = lggan.stateDict()
        for name in ["styleEncoder.mean.weight", "styleEncoder.convs.0.weight", "encoder.input.weight"] {
            XCTAssertEqual(mine[name]!.values, theirs[name]!.values, name)
        }
        XCTAssertEqual(mine["backbone.finalNorm.styleProjection.weight"]!.values, theirs["global.finalNorm.styleProjection.weight"]!.values)
        XCTAssertEqual(mine["backbone.blocks.0.norm0.styleProjection.weight"]!.values,
                       theirs["global.blocks.0.norm0.styleProjection.weight"]!.values)
        XCTAssertEqual(summary.copied, mine.keys.filter { ECGANNetwork.lgganSourceName($0) != nil }.count)

        // The style code must be kept: an ECGAN without it (or with another size) is refused, naming the flags.
        for (channels, encoder) in [(0, false), (4, true), (6, false)] {
            var other = config
            other.styleChannels = channels
            other.styleEncoder = encoder
            XCTAssertThrowsError(try self.trainer(other).warmStart(from: lggan, source: "styled.safetensors")) {
                XCTAssertTrue("\($0)".hasPrefix("styled.safetensors: ") && "\($0)".contains("--style-code 6 --style-encoder"), "\($0)")
            }
        }

        // From an LGGAN without a style code: projections zero, encoder fresh; F is the LGGAN's for every code.
        let plainLGGAN = try LGGANNetwork(config: .tiny(classCount: palette.count), seed: 9)
        let fresh = try self.trainer(config)
        let plainSummary = try fresh.warmStart(from: plainLGGAN, source: "plain.safetensors")
        XCTAssertEqual(plainSummary.zeroed, Self.styleProjections(fresh.generator))
        XCTAssertGreaterThan(plainSummary.zeroed, 4)
        let batch = SyntheticScenes.batch([0, 3], size: 32)
        let reference = GradMode.withoutGrad { fresh.generator.forward(batch.input, style: Tensor.zeros([2, 6])) }
        let coded = GradMode.withoutGrad { fresh.generator.forward(batch.input, style: fresh.generator.styleCode(batch: 2, seed: 3)) }
        XCTAssertEqual(reference.final.values, coded.final.values)
        // C must be LGGAN's level-1 width, said with the flag.
        var narrow = config
        narrow.featureWidth = 8
        XCTAssertThrowsError(try self.trainer(narrow).warmStart(from: lggan, source: "styled.safetensors")) {
            XCTAssertTrue("\($0)".contains("--feature-width \(lgganConfig.width(level: 1))"), "\($0)")
        }
    }

    /// Files written before the style code have no style keys: the same network
    /// (no new tensors), and the seed changes nothing.
    func testOldModelFilesLoadAsBefore() throws {
        let config = try ECGANConfig.decode(json: "{\"classCount\": 5}")
        XCTAssertEqual(config.styleChannels, 0)
        XCTAssertFalse(config.styleEncoder)
        let network = try ECGANNetwork(config: config, seed: 1)
        XCTAssertFalse(network.stateDict().keys.contains { $0.lowercased().contains("style") })
        XCTAssertNil(network.styleCode(batch: 1, seed: 3))
        let generator = try ECGANGenerator(network: network, palette: palette)
        XCTAssertFalse(generator.hasNoiseInput)
        let layout = SyntheticScenes.layout(1)
        XCTAssertEqual(try generator.views(layout, seed: 1).final, try generator.views(layout, seed: 2).final)
        // The loss log of an older run (no KL terms) still reads.
        let line = "{\"ganEdge\":1,\"ganCoarse\":2,\"ganFinal\":3,\"featureMatching\":4,\"reconstruction\":5,\"similarity\":6,"
            + "\"contrastive\":7,\"crossScale\":0,\"classL1\":0,\"discriminatorReal\":1,\"discriminatorFake\":1,\"finalL1\":9}"
        let record = try JSONDecoder().decode(ECGANLossRecord.self, from: Data(line.utf8))
        XCTAssertEqual(record.reconstruction, 5)
        XCTAssertEqual(record.kl, 0)
    }
}
