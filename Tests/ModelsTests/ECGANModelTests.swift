import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training
import XCTest

final class ECGANModelTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "ecgan-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A tiny label network (a segmenter of the test palette; not the evaluator),
    /// optionally fitted to the synthetic scenes' real images so that Eq. 2 has something to ask of G.
    func labelNetwork(size: Int = 32, fitted: Bool = false) throws -> Segmenter {
        let network = try Segmenter(SegmenterConfiguration(palette: palette, inputWidth: size, inputHeight: size,
                                                           baseWidth: 4, depth: 2), seed: 9)
        guard fitted else { return network }
        let batch = SyntheticScenes.batch([0, 1, 2, 3], size: size)
        let optimizer = Adam(network, learningRate: 1e-2)
        for _ in 0..<40 {
            optimizer.zeroGrad()
            crossEntropy(logits: network.forward(batch.real).logits, targets: batch.input.indices).backward()
            optimizer.step()
        }
        network.eval()
        return network
    }

    /// The batch with the Canny edges of its real images, as `BatchPrefetcher` makes them.
    func batchWithEdges(_ ks: [Int], size: Int = 32) -> TrainingBatch {
        var batch = SyntheticScenes.batch(ks, size: size)
        let images = ks.map { SyntheticScenes.image(for: SyntheticScenes.layout($0, width: size, height: size)) }
        batch.edges = TensorImages.tensor(images.map { CannyEdges().edgeImage($0) })
        return batch
    }

    func trainer(plusPlus: Bool = true, seed: UInt64 = 1, bank: Bool = true, fittedLabels: Bool = false) throws -> ECGANTrainer {
        var config = plusPlus ? ECGANConfig.plusPlus(classCount: palette.count) : ECGANConfig(classCount: palette.count)
        let tiny = ECGANConfig.tiny(classCount: palette.count)
        config.baseWidth = tiny.baseWidth; config.spadeHidden = tiny.spadeHidden
        config.spadeHiddenFullResolution = tiny.spadeHiddenFullResolution; config.featureWidth = tiny.featureWidth
        config.contrastDimension = tiny.contrastDimension; config.discriminatorWidth = tiny.discriminatorWidth
        config.discriminatorLayers = tiny.discriminatorLayers
        var options = ECGANTrainingOptions()
        options.size = 32
        options.seed = seed
        options.contrastPixels = 16
        options.similarityPixels = 32
        options.generatorLearningRate = 1e-3
        options.discriminatorLearningRate = 1e-3
        if !bank { options.contrastLayouts = 2 }
        return try ECGANTrainer(config: config, palette: palette, options: options, labelNetwork: labelNetwork(fitted: fittedLabels))
    }

    /// Every view exists at the layout's size, for a size that is not a multiple of the model's.
    func testEveryViewHasTheLayoutsShape() throws {
        let network = try ECGANNetwork(config: .plusPlus(classCount: palette.count), seed: 3)
        let generator = try ECGANGenerator(network: network, palette: palette)
        let labels = SyntheticScenes.layout(2, width: 44, height: 28)
        let v = try generator.views(labels)
        for image in [v.final, v.coarse, v.edge!] { XCTAssertEqual([image.width, image.height], [44, 28]) }
        XCTAssertEqual(v.attention!.count, 44 * 28)
        XCTAssertTrue(v.attention!.allSatisfy { $0 > 0 && $0 < 1 })
        let present = Set(labels.ids.map(Int.init))
        XCTAssertEqual(Set(v.classImages.keys), present)
        for image in v.classImages.values { XCTAssertEqual([image.width, image.height], [44, 28]) }
        // Each class image is zero (mid-grey 128) outside its class.
        let sky = v.classImages[0]!
        for i in 0..<labels.ids.count where labels.ids[i] != 0 { XCTAssertEqual(sky.pixels[3 * i], 128) }
        // The generator protocol's view: the final image.
        XCTAssertEqual(try generator.generate(labels, seed: 0, shouldCancel: { false }).fused, v.final)
        // Ablations drop their views: no G_e, no edge or attention.
        var config = ECGANConfig.tiny(classCount: palette.count)
        config.useEdge = false
        config.useSemanticPreserving = false
        let plain = try ECGANGenerator(network: ECGANNetwork(config: config), palette: palette).views(labels)
        XCTAssertNil(plain.edge)
        XCTAssertNil(plain.attention)
        XCTAssertTrue(plain.classImages.isEmpty)
    }

    /// A tiny overfit run on two fixed scenes: every term finite; the terms that
    /// measure the generator against a target fall (the adversarial terms trade
    /// off against D and need not).
    func testEveryLossTermIsFiniteAndTheNonAdversarialOnesFallOnATinyOverfitRun() throws {
        let trainer = try trainer(fittedLabels: true)
        let batch = batchWithEdges([0, 1])
        var records: [ECGANLossRecord] = []
        for _ in 0..<40 { records.append(trainer.trainStep(batch)) }
        for r in records { for (name, v) in r.named { XCTAssertTrue(v.isFinite, "\(name) = \(v)") } }
        func mean(_ rs: ArraySlice<ECGANLossRecord>, _ name: String) -> Float {
            rs.map { r in r.named.first { $0.0 == name }!.1 }.reduce(0, +) / Float(rs.count)
        }
        for name in ["l1", "sim", "contrast", "cross", "class_l1", "l1_final"] {
            let early = mean(records[0..<5], name), late = mean(records[35..<40], name)
            XCTAssertNotEqual(early, 0, "\(name) is computed")
            XCTAssertLessThan(late, early, "\(name) falls: \(early) -> \(late)")
        }
        for name in ["g_edge", "g_coarse", "g_final", "fm", "d_real", "d_fake"] {
            XCTAssertNotEqual(mean(records[0..<40], name), 0, "\(name) is computed")
        }
    }

    /// Save after 2 steps, run 2 more; a trainer loaded from the save reaches the
    /// same losses and weights (no memory bank, which is not saved).
    func testCheckpointRoundTripAndResumeContinueIdentically() throws {
        let dir = try scratch()
        let path = dir + "/checkpoint.safetensors"
        let trainer = try trainer(seed: 4, bank: false)
        let batches = [batchWithEdges([0, 1]), batchWithEdges([2, 3])]
        for b in batches { trainer.trainStep(b) }
        try trainer.save(to: path)
        let continued = batches.map { trainer.trainStep($0) }
        let resumed = try ECGANTrainer.load(from: path)
        XCTAssertEqual(resumed.step, 2)
        XCTAssertEqual(resumed.options, trainer.options)
        XCTAssertEqual(resumed.config, trainer.config)
        XCTAssertNotNil(resumed.labelNetwork)
        let again = batches.map { resumed.trainStep($0) }
        for (a, b) in zip(continued, again) {
            for ((name, x), (_, y)) in zip(a.named, b.named) { XCTAssertEqual(x, y, accuracy: 1e-3 * max(1, abs(x)), name) }
        }
        let w1 = trainer.generator.stateDict(), w2 = resumed.generator.stateDict()
        for (name, t) in w1 {
            let d = zip(t.values, w2[name]!.values).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(d, 1e-3, name)
        }
        XCTAssertEqual(try ECGANTrainer.load(from: path) { $0.steps = 77 }.options.steps, 77)
    }

    /// The model file loads through the same loader as LGGAN's and gives the same images.
    func testModelFileRoundTripThroughTheModelLoader() throws {
        let dir = try scratch()
        let trainer = try trainer()
        trainer.trainStep(batchWithEdges([0, 1]))
        let path = dir + "/model.safetensors"
        try trainer.exportModel(to: path)
        let loaded = try ModelLoader.load(path: path)
        XCTAssertTrue(loaded is ECGANGenerator)
        let layout = SyntheticScenes.layout(3, width: 40, height: 36)
        let direct = try ECGANGenerator(network: trainer.generator, palette: palette).views(layout)
        let again = try (loaded as! ECGANGenerator).views(layout)
        XCTAssertEqual(direct.final, again.final)
        XCTAssertEqual(direct.edge, again.edge)
        XCTAssertEqual(direct.classImages, again.classImages)
    }

    /// A layout of another palette, a file whose palette does not fit its config,
    /// an unknown id: each is one line naming what is wrong.
    func testModelPaletteMismatchIsRefusedWithOneLine() throws {
        let dir = try scratch()
        let network = try ECGANNetwork(config: .tiny(classCount: palette.count))
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(1, 2, 3)),
                                                         PaletteClass(id: 1, name: "lava", color: RGBColor(200, 20, 0))])
        let path = dir + "/model.safetensors"
        try ECGANModelFile.write(network, palette: palette, to: path)
        let generator = try ModelLoader.load(path: path)
        XCTAssertThrowsError(try PaletteCompatibility.check(other, of: "the layout", against: generator.palette, of: path)) {
            let text = "\($0)"
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.contains("'other'") && text.contains("'test-scenes'") && text.contains(path), text)
        }
        // A model file whose palette has fewer classes than its config.
        let bad = dir + "/bad.safetensors"
        try ECGANModelFile.write(network, palette: other, to: bad)
        XCTAssertThrowsError(try ModelLoader.load(path: bad)) {
            let text = "\($0)"
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.contains(bad) && text.contains("2 classes") && text.contains("5"), text)
        }
        var labels = SyntheticScenes.layout(0)
        labels[3, 4] = 99
        XCTAssertThrowsError(try generator.generate(labels, seed: 0, shouldCancel: { false })) {
            XCTAssertTrue("\($0)".contains("pixel (3, 4)"), "\($0)")
        }
        // A trainer refuses a label network of another palette.
        var options = ECGANTrainingOptions()
        options.size = 32
        let foreign = try Segmenter(SegmenterConfiguration(palette: other, inputWidth: 32, inputHeight: 32, baseWidth: 4, depth: 2))
        XCTAssertThrowsError(try ECGANTrainer(config: .tiny(classCount: palette.count), palette: palette, options: options,
                                              labelNetwork: foreign)) {
            XCTAssertTrue("\($0)".contains("label network"), "\($0)")
        }
    }

    /// The backbone can start from a trained LGGAN with the same widths.
    func testBackboneInitialisesFromAnLGGAN() throws {
        var lgganConfig = LGGANConfig.tiny(classCount: palette.count)
        lgganConfig.maxWidthMultiplier = 4
        let lggan = try LGGANNetwork(config: lgganConfig, seed: 8)
        let trainer = try trainer()
        XCTAssertThrowsError(try trainer.warmStart(from: lggan, source: "lggan")) // C = 8 is not LGGAN's level-1 width 16
        var config = trainer.config
        config.featureWidth = lgganConfig.width(level: 1)
        var options = trainer.options
        options.size = 32
        let matching = try ECGANTrainer(config: config, palette: palette, options: options, labelNetwork: labelNetwork())
        XCTAssertGreaterThan(try matching.warmStart(from: lggan, source: "lggan").copied, 10)
        XCTAssertEqual(matching.generator.stateDict()["encoder.input.weight"]!.values, lggan.stateDict()["encoder.input.weight"]!.values)
    }

    // MARK: Texture noise (issues 13 and 15: LGGAN's mechanism, the same code)

    func textureConfig(channels: Int = 4) -> ECGANConfig {
        var config = ECGANConfig.tiny(classCount: palette.count)
        config.textureNoiseChannels = channels
        return config
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Every SPADE of the backbone (ECGAN's only label-modulated norms) reads
    /// the map: a seed gives the same bits in every view, another seed another
    /// picture, also deep inside a one-class field, where only the noise varies.
    func testTextureNoiseSeedsGiveTheSameBitsOrAnotherPicture() throws {
        let network = SyntheticScenes.amplified(try ECGANNetwork(config: textureConfig(), seed: 5))
        let names = network.stateDict().keys
        let projections = names.filter { $0.hasPrefix("backbone.") && $0.hasSuffix("noiseProjection.weight") }
        XCTAssertEqual(projections.count, names.filter { $0.hasPrefix("backbone.") && $0.hasSuffix(".modulation.weight") }.count)
        XCTAssertEqual(names.filter(TextureNoise.isParameter).count, projections.count, "no noise weights outside the backbone")
        let generator = try ECGANGenerator(network: network, palette: palette)
        XCTAssertTrue(generator.hasNoiseInput)
        let layout = SyntheticScenes.layout(2, width: 40, height: 32)
        let a = try generator.views(layout, seed: 11), again = try generator.views(layout, seed: 11)
        let b = try generator.views(layout, seed: 12)
        XCTAssertEqual(a.final, again.final)
        XCTAssertEqual(a.coarse, again.coarse)
        XCTAssertEqual(a.edge, again.edge)
        XCTAssertEqual(a.attention, again.attention)
        // The noise reaches F, so every view made from it changes.
        XCTAssertNotEqual(a.final, b.final)
        XCTAssertNotEqual(a.coarse, b.coarse)
        XCTAssertNotEqual(a.edge, b.edge)
        XCTAssertEqual(try generator.generate(layout, seed: 11, shouldCancel: { false }).fused, a.final)
        // The generator keeps the last seed's map: another size draws its own, and coming back gives the same bits.
        let small = try generator.views(SyntheticScenes.layout(2, width: 24, height: 16), seed: 11)
        XCTAssertEqual([small.final.width, small.final.height], [24, 16])
        XCTAssertEqual(try generator.views(layout, seed: 11).final, a.final)

        // Inside a one-class 64x64 field: the per-pixel spread over seeds in the centre.
        let input = try SemanticInput(labels: LabelMap(width: 64, height: 64, fill: 1), palette: palette)
        let images = (UInt64(1)...4).map { seed in
            GradMode.withoutGrad { network.forward(input, textureNoise: network.textureNoise(batch: 1, height: 64, width: 64, seed: seed)).final }
        }
        XCTAssertGreaterThan(TextureNoiseTests.centreSpread(images), 0.01, "per-pixel spread over seeds in the centre")
        // No map is the mean path: what a zero map computes.
        let mean = GradMode.withoutGrad { network.forward(input).final }
        let zero = GradMode.withoutGrad { network.forward(input, textureNoise: Tensor.zeros([1, 4, 64, 64])).final }
        XCTAssertEqual(mean.values, zero.values)
    }

    /// K is stored in the model file's config, checked like the other sizes; files without the key have none.
    func testTextureNoiseRoundTripsThroughTheModelFile() throws {
        let dir = try scratch()
        let network = SyntheticScenes.amplified(try ECGANNetwork(config: textureConfig(channels: 3), seed: 2))
        let path = dir + "/noisy.safetensors"
        try ECGANModelFile.write(network, palette: palette, to: path)
        let loaded = try ECGANModelFile.read(path: path).network
        XCTAssertEqual(loaded.config.textureNoiseChannels, 3)
        XCTAssertEqual(loaded.config, network.config)
        let layout = SyntheticScenes.layout(1, width: 40, height: 24)
        let before = try ECGANGenerator(network: network, palette: palette).views(layout, seed: 7)
        let after = try XCTUnwrap(try ModelLoader.load(path: path) as? ECGANGenerator).views(layout, seed: 7)
        XCTAssertEqual(before.final, after.final)
        XCTAssertEqual(before.edge, after.edge)
        XCTAssertEqual(try ECGANConfig.decode(json: "{\"classCount\": 5}").textureNoiseChannels, 0)
        for bad in [-1, 65] {
            XCTAssertThrowsError(try textureConfig(channels: bad).validate()) {
                XCTAssertTrue("\($0)".contains("texture noise channels \(bad)"), "\($0)")
            }
        }
    }

    /// The ECGAN shipped until session 10 (step 400; Tests/Fixtures), written
    /// before texture noise: the network it was trained as (no noise tensors,
    /// no noise input), in f32 the same bits for any seed and with any map
    /// given (it has nothing to read one with). ECGANCLITests compares its
    /// picture with the e437f44 build's.
    func testAModelFromBeforeTextureNoiseHasNoneAndComputesAsBefore() throws {
        let path = Self.packageRoot + "/Tests/Fixtures/ecgan-step400-before-style.safetensors"
        let (network, shippedPalette, _) = try ECGANModelFile.read(path: path)
        XCTAssertEqual(network.config.textureNoiseChannels, 0)
        XCTAssertFalse(network.stateDict().keys.contains(where: TextureNoise.isParameter))
        XCTAssertNil(network.textureNoise(batch: 1, height: 64, width: 64, seed: 1))
        let generator = try ECGANGenerator(network: network, palette: shippedPalette, precision: .f32)
        XCTAssertFalse(generator.hasNoiseInput)
        let layout = try LayoutFile.read(path: Self.packageRoot + "/samples/lake.png", palette: shippedPalette).labels.resized(width: 96, height: 64)
        let a = try generator.views(layout, seed: 5), b = try generator.views(layout, seed: 6)
        XCTAssertEqual(a.final, b.final)
        XCTAssertEqual(a.coarse, b.coarse)
        let input = try SemanticInput(labels: layout, palette: shippedPalette)
        var rng = RandomGenerator(seed: 4)
        let map = Tensor.randomNormal([1, 4, 64, 96], using: &rng)
        let plain = GradMode.withoutGrad { ConvolutionSettings.with(precision: .f32) { network.forward(input) } }
        let given = GradMode.withoutGrad { ConvolutionSettings.with(precision: .f32) { network.forward(input, textureNoise: map) } }
        XCTAssertEqual(plain.final.values, given.final.values)
        XCTAssertEqual(plain.edge?.values, given.edge?.values)
    }

    /// ECGAN warm-started from an LGGAN without texture noise: the projections
    /// start at zero (F is the LGGAN's for any map), learn at the style rate,
    /// every loss stays finite on a tiny overfit run, the projections move from
    /// zero (then the map changes the picture), and a resumed step draws the same map.
    func testTextureNoiseProjectionsMoveFromZeroOnATinyOverfitRun() throws {
        let lgganConfig = LGGANConfig.tiny(classCount: palette.count)
        let lggan = try LGGANNetwork(config: lgganConfig, seed: 8)
        var config = textureConfig()
        config.featureWidth = lgganConfig.width(level: 1)
        config.useSimilarity = false
        var options = ECGANTrainingOptions()
        options.size = 32
        options.seed = 3
        options.contrastPixels = 16
        options.generatorLearningRate = 1e-3
        options.discriminatorLearningRate = 1e-3
        options.styleLearningRateFactor = 10
        options.contrastLayouts = 2   // no memory bank, which a checkpoint does not keep
        let trainer = try ECGANTrainer(config: config, palette: palette, options: options, labelNetwork: nil)
        let summary = try trainer.warmStart(from: lggan, source: "lggan.safetensors")
        let names = trainer.generator.stateDict().keys.filter(TextureNoise.isParameter).sorted()
        XCTAssertGreaterThan(names.count, 4)
        XCTAssertEqual(summary.zeroed, names.count)
        XCTAssertEqual(Set(trainer.styleOptimizer?.parameters.map(\.name) ?? []), Set(names), "the projections learn at the style rate")
        func weights(_ name: String) -> [Float] { trainer.generator.stateDict()[name]!.values }
        for name in names { XCTAssertEqual(weights(name).map(abs).max(), 0, name) }
        let batch = batchWithEdges([0, 1])
        func final(seed: UInt64) -> [Float] {
            defer { trainer.generator.train() }
            trainer.generator.eval()
            let map = trainer.generator.textureNoise(batch: 2, height: 32, width: 32, seed: seed)
            return GradMode.withoutGrad { trainer.generator.forward(batch.input, textureNoise: map).final.values }
        }
        XCTAssertEqual(final(seed: 1), final(seed: 2), "at zero the map changes nothing")

        var records: [ECGANLossRecord] = []
        for _ in 0..<12 { records.append(trainer.trainStep(batch)) }
        for r in records { for (name, v) in r.named { XCTAssertTrue(v.isFinite, "\(name) = \(v)") } }
        for name in names { XCTAssertGreaterThan(weights(name).map(abs).max() ?? 0, 0, "\(name) moved from zero") }
        XCTAssertNotEqual(final(seed: 1), final(seed: 2), "after training the map changes the picture")

        let path = try scratch() + "/checkpoint.safetensors"
        try trainer.save(to: path)
        let continued = trainer.trainStep(batch)
        let resumed = try ECGANTrainer.load(from: path)
        XCTAssertEqual(resumed.config.textureNoiseChannels, 4)
        let again = resumed.trainStep(batch)
        for ((name, x), (_, y)) in zip(continued.named, again.named) {
            XCTAssertEqual(x, y, accuracy: 1e-3 * max(1, abs(x)), name)
        }
    }
}
