import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training
import XCTest

/// Training through the public API: losses on a tiny overfit run, checkpoint
/// round trip and resume, the model file and its validation.
final class LGGANTrainingTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func tinyTrainer(seed: UInt64 = 1, textureNoise: Int = 0) throws -> LGGANTrainer {
        var options = LGGANTrainingOptions()
        options.size = 32
        options.batch = 4
        options.seed = seed
        options.generatorLearningRate = 2e-3
        options.discriminatorLearningRate = 2e-3
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.textureNoiseChannels = textureNoise
        return try LGGANTrainer(config: config, palette: palette, options: options)
    }

    /// Four 32x32 layouts learnt by the tiny model in 200 steps (lr 2e-3): every
    /// loss term finite; the reconstruction terms (Eq. 2 and the fused image's
    /// L1) and the class CE (Eq. 5) fall by at least 30% (first 10 vs last 10
    /// steps); the stated target is a mean |fused - real| under 15/255. Feature
    /// matching is measured in a discriminator that keeps changing, so it only
    /// has to fall by 10%; the hinge terms are a game, not a descent: for them
    /// the discriminator's total must fall.
    func testTinyOverfitRunLearnsFourLayouts() throws {
        let trainer = try tinyTrainer()
        let batch = SyntheticScenes.batch([0, 1, 2, 3])
        var records: [LossRecord] = []
        for _ in 0..<200 { records.append(trainer.trainStep(batch)) }
        for r in records {
            for (name, value) in r.named { XCTAssertTrue(value.isFinite, "\(name) = \(value)") }
        }
        func mean(_ range: Range<Int>, _ key: KeyPath<LossRecord, Float>) -> Float {
            records[range].map { $0[keyPath: key] }.reduce(0, +) / Float(range.count)
        }
        let early = 0..<10, late = 190..<200
        for (name, key, factor) in [("local L1", \LossRecord.localL1, Float(0.7)), ("class CE", \.classification, 0.7),
                                    ("fused L1", \.fusedL1, 0.7), ("feature matching", \.featureMatching, 0.9)] {
            print("overfit \(name): \(mean(early, key)) -> \(mean(late, key))")
            XCTAssertLessThan(mean(late, key), mean(early, key) * factor, name)
        }
        XCTAssertLessThan(mean(late, \.fusedL1), 15)
        let dEarly = mean(early, \.discriminatorReal) + mean(early, \.discriminatorFake)
        let dLate = mean(late, \.discriminatorReal) + mean(late, \.discriminatorFake)
        print("overfit discriminator: \(dEarly) -> \(dLate)")
        XCTAssertLessThan(dLate, dEarly)
    }

    /// Save after 3 steps, run 2 more; a trainer loaded from the save and given
    /// the same 2 batches reaches the same losses and weights (also with
    /// texture noise, whose map each step draws from the seed and the step).
    func testCheckpointRoundTripAndResumeContinueIdentically() throws {
        for textureNoise in [0, 4] { try checkResumeContinuesIdentically(textureNoise: textureNoise) }
    }

    func checkResumeContinuesIdentically(textureNoise: Int) throws {
        let dir = try temporaryDirectory(prefix: "lggan-tests")
        let path = dir + "/checkpoint.safetensors"
        let trainer = try tinyTrainer(seed: 4, textureNoise: textureNoise)
        let batches = [SyntheticScenes.batch([0, 1]), SyntheticScenes.batch([2, 3]), SyntheticScenes.batch([4, 5])]
        for b in batches {
            for (name, value) in trainer.trainStep(b).named { XCTAssertTrue(value.isFinite, "\(name), noise \(textureNoise)") }
        }
        try trainer.save(to: path)
        let continued = [trainer.trainStep(batches[0]), trainer.trainStep(batches[1])]

        let resumed = try LGGANTrainer.load(from: path)
        XCTAssertEqual(resumed.step, 3)
        XCTAssertEqual(resumed.options, trainer.options)
        XCTAssertEqual(resumed.config, trainer.config)
        let again = [resumed.trainStep(batches[0]), resumed.trainStep(batches[1])]
        for (a, b) in zip(continued, again) {
            for ((name, x), (_, y)) in zip(a.named, b.named) { XCTAssertEqual(x, y, accuracy: 1e-4 * max(1, abs(x)), name) }
        }
        let w1 = trainer.generator.stateDict(), w2 = resumed.generator.stateDict()
        for (name, t) in w1 {
            let d = zip(t.values, w2[name]!.values).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(d, 1e-4, name)
        }
        // Options that do not touch the state may change on resume.
        let extended = try LGGANTrainer.load(from: path) { $0.steps = 99 }
        XCTAssertEqual(extended.options.steps, 99)
    }

    /// With a style encoder the real image chooses the noise: the KL term is
    /// trained and saved with the rest, and the model file still needs none of it.
    func testStyleEncoderTrainsAndResumes() throws {
        let dir = try temporaryDirectory(prefix: "lggan-tests")
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.noiseChannels = 4
        var options = LGGANTrainingOptions()
        options.styleEncoder = true
        let trainer = try LGGANTrainer(config: config, palette: palette, options: options)
        XCTAssertNotNil(trainer.styleEncoder)
        let batch = SyntheticScenes.batch([0, 1])
        let first = trainer.trainStep(batch)
        XCTAssertTrue(first.kl.isFinite)
        try trainer.save(to: dir + "/c.safetensors")
        let continued = trainer.trainStep(batch)
        let resumed = try LGGANTrainer.load(from: dir + "/c.safetensors")
        let again = resumed.trainStep(batch)
        XCTAssertEqual(continued.kl, again.kl, accuracy: 1e-5)
        XCTAssertEqual(continued.localL1, again.localL1, accuracy: 1e-4)
        try trainer.exportModel(to: dir + "/m.safetensors")
        XCTAssertTrue(try ModelLoader.load(path: dir + "/m.safetensors").hasNoiseInput)
        // Without noise channels there is nothing to encode into.
        XCTAssertThrowsError(try LGGANTrainer(config: .tiny(classCount: palette.count), palette: palette, options: options))
    }

    func testModelFileRoundTripGivesTheSameImages() throws {
        let dir = try temporaryDirectory(prefix: "lggan-tests")
        let trainer = try tinyTrainer()
        trainer.trainStep(SyntheticScenes.batch([0, 1]))
        let path = dir + "/model.safetensors"
        try trainer.exportModel(to: path)
        let loaded = try ModelLoader.load(path: path)
        XCTAssertEqual(loaded.palette, palette)
        let direct = try LGGANGenerator(network: trainer.generator, palette: palette)
        let layout = SyntheticScenes.layout(3, width: 48, height: 40)
        let a = try direct.generate(layout, seed: 0, shouldCancel: { false })
        let b = try loaded.generate(layout, seed: 0, shouldCancel: { false })
        XCTAssertEqual(a.fused, b.fused)
        XCTAssertEqual(a.classOutputs, b.classOutputs)
        // Half precision: smaller file, images within a couple of levels.
        let halfPath = dir + "/model-f16.safetensors"
        try trainer.exportModel(to: halfPath, dtype: .f16)
        let half = try ModelLoader.load(path: halfPath).generate(layout, seed: 0, shouldCancel: { false })
        let worst = zip(a.fused.pixels, half.fused.pixels).map { abs(Int($0) - Int($1)) }.max()!
        XCTAssertLessThanOrEqual(worst, 3)
    }

    func testPaletteMismatchIsOneClearError() throws {
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(1, 2, 3)),
                                                         PaletteClass(id: 1, name: "lava", color: RGBColor(200, 20, 0))])
        XCTAssertThrowsError(try PaletteCompatibility.check(other, of: "the layout", against: palette, of: "m.safetensors")) {
            XCTAssertTrue($0 is UserFacingError)
            let text = "\($0)"
            XCTAssertTrue(text.contains("'other'") && text.contains("'test-scenes'") && text.contains("m.safetensors"), text)
        }
        XCTAssertNoThrow(try PaletteCompatibility.check(palette, of: "the layout", against: palette, of: "m"))
        // Ids the model's palette does not have are refused, naming the pixel.
        let generator = try LGGANGenerator(network: try LGGANNetwork(config: .tiny(classCount: palette.count)), palette: palette)
        var labels = SyntheticScenes.layout(0)
        labels[5, 6] = 42
        XCTAssertThrowsError(try generator.generate(labels, seed: 0, shouldCancel: { false })) {
            XCTAssertTrue("\($0)".contains("pixel (5, 6)"), "\($0)")
        }
    }

    func testMalformedModelFilesAreRejectedWithOneClearError() throws {
        let dir = try temporaryDirectory(prefix: "lggan-tests")
        let good = dir + "/good.safetensors"
        let trainer = try tinyTrainer()
        try trainer.exportModel(to: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let network = trainer.generator

        var cases: [(String, Data)] = [
            ("garbage", Data("this is not a model".utf8)),
            ("truncated", bytes.prefix(bytes.count / 2)),
        ]
        // Not an LGGAN file: a plain safetensors file without our metadata.
        cases.append(("foreign", try SafeTensors.encode(["x": Tensor.zeros([2])])))
        // A tensor missing.
        var missing = network.stateDict()
        missing.removeValue(forKey: missing.keys.sorted()[0])
        cases.append(("missing tensor", try SafeTensors.encode(missing, metadata: try metadata(of: good))))
        // A tensor of the wrong shape.
        var reshaped = network.stateDict()
        let name = reshaped.keys.sorted().first { reshaped[$0]!.count > 1 }!
        reshaped[name] = Tensor.zeros([reshaped[name]!.count + 1])
        cases.append(("wrong shape", try SafeTensors.encode(reshaped, metadata: try metadata(of: good))))
        // Non-finite weights.
        let poisoned = network.stateDict().mapValues { $0.copy() }
        poisoned[name]!.withUnsafeMutableBufferPointer { $0[0] = .nan }
        cases.append(("nan", try SafeTensors.encode(poisoned, metadata: try metadata(of: good))))
        // A config that does not match the palette.
        var badMeta = try metadata(of: good)
        badMeta["config"] = "{\"classCount\": 3}"
        cases.append(("palette-config", try SafeTensors.encode(network.stateDict(), metadata: badMeta)))

        for (label, data) in cases {
            let path = dir + "/\(label.replacingOccurrences(of: " ", with: "-")).safetensors"
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ModelLoader.load(path: path), label) { error in
                XCTAssertTrue(error is UserFacingError, "\(label): \(error)")
                let text = "\(error)"
                XCTAssertTrue(text.contains(path), "\(label): \(text)")
                XCTAssertFalse(text.contains("\n"), "\(label): \(text)")
            }
        }
        XCTAssertThrowsError(try ModelLoader.load(path: dir + "/absent.safetensors"))
        XCTAssertNoThrow(try ModelLoader.load(path: good))
    }

    func metadata(of path: String) throws -> [String: String] {
        try SafeTensors.read(path).metadata
    }
}
