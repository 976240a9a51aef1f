import Foundation
import Layouts
@testable import Models
import Support
import Tensor
import Training
import XCTest

/// Per-pixel texture noise (issue 13): old files build the network they were
/// trained as, a seed's noise map paints texture inside a uniform region (where
/// a deterministic generator can only paint the region's mean), and the warm
/// start from a model without noise starts exactly as that model.
final class TextureNoiseTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func noiseConfig(channels: Int = 4) -> LGGANConfig {
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.textureNoiseChannels = channels
        return config
    }

    static func isNoiseTensor(_ name: String) -> Bool {
        name.contains("noiseProjection") || name.contains("noiseModulation")
    }

    func testOldConfigsBuildNoNoiseTensorsAndIgnoreANoiseMap() throws {
        let config = try LGGANConfig.decode(json: "{\"classCount\": 5, \"styleChannels\": 0}")
        XCTAssertEqual(config.textureNoiseChannels, 0)
        let network = try LGGANNetwork(config: config, seed: 2)
        XCTAssertFalse(network.stateDict().keys.contains(where: Self.isNoiseTensor))
        XCTAssertNil(network.textureNoise(batch: 1, height: 32, width: 32, seed: 1))
        let batch = SyntheticScenes.batch([1], size: 32)
        var rng = RandomGenerator(seed: 4)
        let map = Tensor.randomNormal([1, 4, 32, 32], using: &rng)
        let plain = GradMode.withoutGrad { network.forward(batch.input) }
        let given = GradMode.withoutGrad { network.forward(batch.input, textureNoise: map) }
        XCTAssertEqual(plain.fused.values, given.fused.values)
        // K is stored with the model and checked like the other sizes.
        XCTAssertEqual(try LGGANConfig.decode(json: noiseConfig(channels: 8).encodedJSON()).textureNoiseChannels, 8)
        for bad in [-1, 65] {
            XCTAssertThrowsError(try noiseConfig(channels: bad).validate()) {
                XCTAssertTrue("\($0)".contains("texture noise channels \(bad)"), "\($0)")
            }
        }
    }

    /// The centre 16x16 of channel c of a [1, 3, 64, 64] image.
    static func centre(_ image: Tensor, channel c: Int) -> [Float] {
        (24..<40).flatMap { y in (24..<40).map { x in image.values[(c * 64 + y) * 64 + x] } }
    }

    static func standardDeviation(_ values: [Float]) -> Float {
        let mean = values.reduce(0, +) / Float(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
    }

    /// Per pixel of the centre of [1, 3, 64, 64] images, the standard deviation
    /// over the images (mean over pixels and channels).
    static func centreSpread(_ images: [Tensor]) -> Float {
        var spread: Float = 0
        for c in 0..<3 {
            let centres = images.map { centre($0, channel: c) }
            for i in 0..<256 { spread += standardDeviation(centres.map { $0[i] }) / (3 * 256) }
        }
        return spread
    }

    /// A 64x64 layout of one class: deep inside it, the deterministic model
    /// computes one image; with noise every seed paints its own texture there.
    func testSeedsPaintTextureInsideAUniformRegion() throws {
        let generator = try LGGANGenerator(network: SyntheticScenes.amplified(try LGGANNetwork(config: noiseConfig(), seed: 5)),
                                           palette: palette)
        XCTAssertTrue(generator.hasNoiseInput)
        let field = LabelMap(width: 64, height: 64, fill: 1)
        try SyntheticScenes.assertSeedsChangeEveryBranch(generator, layout: field)
        // The generator keeps the last map: another size draws its own, and coming back gives the same bits.
        let first = try generator.generate(field, seed: 5, shouldCancel: { false })
        let small = try generator.generate(LabelMap(width: 32, height: 24, fill: 1), seed: 5, shouldCancel: { false })
        XCTAssertEqual([small.fused.width, small.fused.height], [32, 24])
        XCTAssertEqual(try generator.generate(field, seed: 5, shouldCancel: { false }).fused, first.fused)

        let network = generator.network
        let input = try SemanticInput(labels: field, palette: palette)
        let images = (UInt64(1)...4).map { seed in
            GradMode.withoutGrad {
                network.forward(input, textureNoise: network.textureNoise(batch: 1, height: 64, width: 64, seed: seed)).fused
            }
        }
        XCTAssertGreaterThan(Self.centreSpread(images), 0.01, "per-pixel spread over seeds in the centre")
        // And within one image the centre varies more than without noise (texture, not a shifted slab).
        let mean = GradMode.withoutGrad { network.forward(input).fused }
        let textured = (0..<3).map { Self.standardDeviation(Self.centre(images[0], channel: $0)) }.reduce(0, +)
        let plain = (0..<3).map { Self.standardDeviation(Self.centre(mean, channel: $0)) }.reduce(0, +)
        XCTAssertGreaterThan(textured, plain, "centre spread with noise \(textured), without \(plain)")
    }

    func testWarmStartFromAModelWithoutNoiseComputesItsOutputForAnyNoise() throws {
        let trained = SyntheticScenes.amplified(try LGGANNetwork(config: .tiny(classCount: palette.count), seed: 3))
        let config = try WarmStart.config(from: trained.config, styleChannels: 0, styleEncoder: false, textureNoiseChannels: 4)
        XCTAssertEqual(config.textureNoiseChannels, 4)
        XCTAssertEqual(try WarmStart.config(from: config, styleChannels: 0, styleEncoder: false).textureNoiseChannels, 4,
                       "without the flag a warm start keeps the model's noise")
        let warm = try LGGANNetwork(config: config, seed: 9)
        let summary = try WarmStart.load(trained.stateDict(), into: warm, source: "trained")
        XCTAssertEqual(summary.zeroed, warm.stateDict().keys.filter(Self.isNoiseTensor).count)
        XCTAssertGreaterThan(summary.zeroed, 4)    // every SPADE's projection and the local modulation
        XCTAssertEqual(summary.copied, trained.stateDict().count)
        let batch = SyntheticScenes.batch([0, 3], size: 32)
        let reference = GradMode.withoutGrad { trained.forward(batch.input) }
        for seed in [UInt64(1), 2] {
            let map = try XCTUnwrap(warm.textureNoise(batch: 2, height: 32, width: 32, seed: seed))
            let out = GradMode.withoutGrad { warm.forward(batch.input, textureNoise: map) }
            let diff = zip(reference.fused.values, out.fused.values).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(diff, 1e-5)
        }
        // The projections start at zero but their gradients are not zero: one step moves them.
        let trainer = try LGGANTrainer(config: config, palette: palette, options: LGGANTrainingOptions())
        try WarmStart.load(trained.stateDict(), into: trainer.generator, source: "trained")
        let names = ["local.noiseModulation.weight", "global.finalNorm.noiseProjection.weight",
                     "global.blocks.0.norm0.noiseProjection.weight"]
        for name in names { XCTAssertEqual(trainer.generator.stateDict()[name]!.values.map(abs).max(), 0, name) }
        let record = trainer.trainStep(SyntheticScenes.batch([0, 1]))
        for (name, value) in record.named { XCTAssertTrue(value.isFinite, name) }
        for name in names { XCTAssertGreaterThan(trainer.generator.stateDict()[name]!.values.map(abs).max()!, 0, name) }
        // A model trained with noise does not fit a network without it: one line naming the file.
        let plain = try LGGANNetwork(config: .tiny(classCount: palette.count))
        XCTAssertThrowsError(try WarmStart.load(warm.stateDict(), into: plain, source: "noisy.safetensors")) {
            XCTAssertTrue("\($0)".hasPrefix("noisy.safetensors: "), "\($0)")
        }
    }

    /// A seed's level keeps each noise projection's output in inference and
    /// serves it again while nothing wrote to the layer's weights. Every way a
    /// weight changes in place is seen at once: the output is computed afresh,
    /// never served stale.
    func testAKeptProjectionIsNeverServedAfterItsWeightsChange() throws {
        var rng = RandomGenerator(seed: 3)
        let projection = Conv2d(4, 6, kernelSize: 3, padding: 1, bias: false, using: &rng)
        let level = TextureNoiseLevel(Tensor.randomNormal([1, 4, 8, 8], using: &rng))
        func kept() -> Tensor { GradMode.withoutGrad { level.projected(through: projection) } }
        func fresh() -> [Float] { GradMode.withoutGrad { projection(level.map).values } }
        let first = kept()
        XCTAssertEqual(first.values, fresh())
        XCTAssertTrue(kept() === first, "unchanged weights: the kept output")
        let other = Tensor.randomNormal(projection.weight.shape, using: &rng)
        let optimizer = Adam(namedParameters: [("weight", projection.weight)], learningRate: 0.1)
        let edits: [(String, () throws -> Void)] = [
            ("assign", { projection.weight.assign(other) }),
            ("fill", { projection.weight.fill(0.25) }),
            ("subscript", { projection.weight[1, 2, 0, 1] = 3 }),
            ("a raw write", { projection.weight.withUnsafeMutableBufferPointer { $0[5] += 1 } }),
            ("a write through a reshaped alias", { projection.weight.reshaped([projection.weight.count]).fill(-0.5) }),
            ("an optimiser step", {
                projection.weight.grad = Tensor(shape: projection.weight.shape, repeating: 1)
                optimizer.step()
            }),
            ("a model load", { try projection.loadStateDict(["weight": Tensor.randomNormal(projection.weight.shape, using: &rng)]) }),
            ("an initialiser", { Initializer.xavierNormal(gain: 1).fill(projection.weight, using: &rng) }),
        ]
        var previous = first
        for (what, edit) in edits {
            try edit()
            let now = kept()
            XCTAssertEqual(now.values, fresh(), "after \(what)")
            XCTAssertNotEqual(now.values, previous.values, "\(what) changed the weights")
            XCTAssertTrue(kept() === now, "after \(what), unchanged again: kept")
            previous = now
        }
        // Another number format computes afresh too.
        let bf16 = GradMode.withoutGrad { ConvolutionSettings.with(precision: .bf16) { level.projected(through: projection) } }
        XCTAssertFalse(bf16 === previous)
    }
}
