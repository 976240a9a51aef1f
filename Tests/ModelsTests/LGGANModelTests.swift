import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import XCTest

/// The generator's structure through its public API: every view's shape, the
/// sparse local generation against its dense definition, the ablation flags.
final class LGGANModelTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func tinyNetwork(_ edit: (inout LGGANConfig) -> Void = { _ in }, seed: UInt64 = 3) throws -> LGGANNetwork {
        var config = LGGANConfig.tiny(classCount: palette.count)
        edit(&config)
        return try LGGANNetwork(config: config, seed: seed)
    }

    func testEveryViewHasTheLayoutsSizeEvenWhenNotAMultipleOfEight() throws {
        let generator = try LGGANGenerator(network: try tinyNetwork(), palette: palette)
        let labels = SyntheticScenes.layout(1, width: 44, height: 26)
        let views = try generator.generate(labels, seed: 1, shouldCancel: { false })
        for image in [views.fused, views.global!, views.local!] {
            XCTAssertEqual(image.width, 44)
            XCTAssertEqual(image.height, 26)
        }
        XCTAssertEqual(views.globalWeight?.count, 44 * 26)
        XCTAssertEqual(views.localWeight?.count, 44 * 26)
        for (g, l) in zip(views.globalWeight!, views.localWeight!) { XCTAssertEqual(g + l, 1, accuracy: 1e-5) }
        XCTAssertEqual(Set(views.classOutputs.keys), Set(labels.idsPresent))
        for image in views.classOutputs.values { XCTAssertEqual([image.width, image.height], [44, 26]) }
        XCTAssertFalse(generator.hasNoiseInput)
    }

    func testNetworkOutputShapes() throws {
        let network = try tinyNetwork()
        let batch = SyntheticScenes.batch([0, 1, 2], size: 32)
        let out = GradMode.withoutGrad { network.forward(batch.input) }
        XCTAssertEqual(out.fused.shape, [3, 3, 32, 32])
        XCTAssertEqual(out.global?.shape, [3, 3, 32, 32])
        XCTAssertEqual(out.local?.shape, [3, 3, 32, 32])
        XCTAssertEqual(out.weights?.shape, [3, 2, 32, 32])
        XCTAssertEqual(out.classImages?.shape, [3, 3 * palette.count, 32, 32])
        let pairs = batch.input.regions.map(\.count).reduce(0, +)
        XCTAssertEqual(out.classLogits?.shape, [pairs, palette.count])
        XCTAssertEqual(out.classPairs.count, pairs)
    }

    /// Inference keeps activations channels-last between convolutions (Tensor's
    /// `ChannelsLast`): the default-size network's outputs equal those with NCHW between convs.
    func testChannelsLastInferenceEqualsNCHW() throws {
        let network = try LGGANNetwork(config: .standard(classCount: palette.count), seed: 5)
        let batch = SyntheticScenes.batch([0, 1], size: 32)
        let fast = GradMode.withoutGrad { network.forward(batch.input) }
        let plain = ConvolutionSettings.with(channelsLast: false) { GradMode.withoutGrad { network.forward(batch.input) } }
        let pairs: [(String, Tensor?, Tensor?)] = [
            ("fused", fast.fused, plain.fused), ("global", fast.global, plain.global), ("local", fast.local, plain.local),
            ("weights", fast.weights, plain.weights), ("class images", fast.classImages, plain.classImages),
        ]
        for (name, a, b) in pairs {
            let (a, b) = (try XCTUnwrap(a, name), try XCTUnwrap(b, name))
            XCTAssertEqual(a.shape, b.shape, name)
            let difference = zip(a.values, b.values).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(difference, 1e-4, name)
        }
    }

    func testCancellationStopsBetweenStages() throws {
        let generator = try LGGANGenerator(network: try tinyNetwork(), palette: palette)
        XCTAssertThrowsError(try generator.generate(SyntheticScenes.layout(0), seed: 0, shouldCancel: { true })) {
            XCTAssertTrue($0 is GenerationCancelled)
        }
    }

    /// The forward pass reports every global block, the local features and the
    /// stages in order, and stopping at a global block skips everything after
    /// it (the editor drops a stale generation there instead of at the end of
    /// the global generator). With the branches one after the other; side by
    /// side (2+ threads) see ConcurrentBranchesTests.
    func testForwardReportsEveryGlobalBlockAndStopsWhereTold() throws {
        try ConcurrentBranches.with(enabled: false) { try forwardReportsEveryGlobalBlockAndStopsWhereTold() }
    }

    func forwardReportsEveryGlobalBlockAndStopsWhereTold() throws {
        let network = try tinyNetwork()
        let depth = network.config.globalDepth
        let batch = SyntheticScenes.batch([0], size: 32)
        var seen: [LGGANNetwork.Stage] = []
        _ = GradMode.withoutGrad { network.forward(batch.input, noise: nil) { seen.append($0) } }
        let blocks = (0..<depth).map { LGGANNetwork.Stage.globalBlock($0) }
        XCTAssertEqual(seen, [.encoder, .modulations, .localFeatures, .local] + blocks + [.global, .fusion])

        struct Stop: Error {}
        var after: [LGGANNetwork.Stage] = []
        XCTAssertThrowsError(try GradMode.withoutGrad {
            try network.forward(batch.input, noise: nil) { stage in
                after.append(stage)
                if stage == .globalBlock(0) { throw Stop() }
            }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(after, [.encoder, .modulations, .localFeatures, .local, .globalBlock(0)])
    }

    /// The sparse local path (bounding boxes grown by the kernel radius, the
    /// constant tanh(bias) elsewhere) equals every class convolved densely over
    /// its whole masked feature - values and gradients - with classes touching
    /// every border, absent classes and a one-pixel class.
    func testSparseLocalGenerationEqualsDense() throws {
        // (class kernel, texture noise channels): the noise enters f' before the masks.
        for (kernel, noiseChannels) in [(3, 0), (5, 0), (5, 4)] {
            let network = try tinyNetwork({ $0.classKernel = kernel; $0.textureNoiseChannels = noiseChannels })
            var rng = RandomGenerator(seed: 11)
            // Larger weights than LGGAN's 0.02 init and non-zero biases, so every term matters.
            network.initialize(weights: .xavierNormal(gain: 1), biases: .normal(std: 0.5), using: &rng)
            var layouts = [SyntheticScenes.layout(2, width: 40, height: 24), SyntheticScenes.layout(5, width: 40, height: 24)]
            layouts[1][39, 0] = 7  // a single house pixel in a corner
            var indices: [Int] = []
            for l in layouts { indices += try SemanticInput.indices(of: l, palette: palette) }
            let input = SemanticInput(indices: indices, batch: 2, height: 24, width: 40, classCount: palette.count)
            let noise = network.textureNoise(batch: 2, height: 24, width: 40, seed: 7)
            let sparse = network.sparseClassImages(input, textureNoise: noise)!
            let dense = network.denseClassImages(input, textureNoise: noise)!
            XCTAssertEqual(sparse.shape, dense.shape)
            let maxDifference = zip(sparse.values, dense.values).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(maxDifference, 1e-5, "kernel \(kernel), noise \(noiseChannels)")

            let probe = Tensor.randomNormal(sparse.shape, using: &rng)
            let parameters = network.namedParameters().filter { $0.0.contains("local.") }
            func gradients(_ f: () -> Tensor) -> [Float] {
                network.zeroGrad()
                (f() * probe).sum().backward()
                return parameters.flatMap { $0.1.grad?.values ?? [] }
            }
            let gs = gradients { network.sparseClassImages(input, textureNoise: noise)! }
            let gd = gradients { network.denseClassImages(input, textureNoise: noise)! }
            XCTAssertEqual(gs.count, gd.count)
            let scale = max(1, gd.map { abs($0) }.max()!)
            let gradientDifference = zip(gs, gd).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(gradientDifference / scale, 1e-4, "kernel \(kernel), noise \(noiseChannels)")
        }
    }

    func testAblationConfigurationsBuildAndRun() throws {
        let batch = SyntheticScenes.batch([3], size: 32)
        let variants: [(String, (inout LGGANConfig) -> Void)] = [
            ("S1 global only", { $0.useLocal = false }),
            ("S2 sum fusion", { $0.localFusion = .sum; $0.useClassification = false; $0.useWeightMap = false }),
            ("S3 conv fusion", { $0.useClassification = false; $0.useWeightMap = false }),
            ("S4 + classification", { $0.useWeightMap = false }),
            ("S5 full", { _ in }),
            ("local only", { $0.useGlobal = false }),
            ("noise", { $0.noiseChannels = 4 }),
        ]
        for (name, edit) in variants {
            let network = try tinyNetwork(edit)
            let out = GradMode.withoutGrad { network.forward(batch.input, noise: network.noise(batch: 1, seed: 5)) }
            XCTAssertEqual(out.fused.shape, [1, 3, 32, 32], name)
            XCTAssertTrue(out.fused.values.allSatisfy { $0.isFinite }, name)
            XCTAssertEqual(out.global == nil, !network.config.useGlobal, name)
            XCTAssertEqual(out.local == nil, !network.config.useLocal, name)
            XCTAssertEqual(out.weights != nil, network.config.useGlobal && network.config.useLocal && network.config.useWeightMap, name)
            XCTAssertEqual(out.classLogits != nil, network.config.useLocal && network.config.useClassification, name)
        }
        XCTAssertThrowsError(try tinyNetwork { $0.useGlobal = false; $0.useLocal = false })
    }

    func testNoiseChangesTheImageOnlyWhenTheModelHasNoise() throws {
        let network = try tinyNetwork { $0.noiseChannels = 4 }
        var rng = RandomGenerator(seed: 2)
        network.initialize(weights: .xavierNormal(gain: 1), using: &rng)
        let generator = try LGGANGenerator(network: network, palette: palette)
        XCTAssertTrue(generator.hasNoiseInput)
        let a = try generator.generate(SyntheticScenes.layout(0), seed: 1, shouldCancel: { false })
        let b = try generator.generate(SyntheticScenes.layout(0), seed: 2, shouldCancel: { false })
        let a2 = try generator.generate(SyntheticScenes.layout(0), seed: 1, shouldCancel: { false })
        XCTAssertNotEqual(a.fused, b.fused)
        XCTAssertEqual(a.fused, a2.fused)
    }

    func testConfigJSONRoundTripAndDefaults() throws {
        var config = LGGANConfig.standard(classCount: 15)
        config.localFusion = .sum
        config.noiseChannels = 8
        XCTAssertEqual(try LGGANConfig.decode(json: config.encodedJSON()), config)
        // Missing keys take the defaults.
        XCTAssertEqual(try LGGANConfig.decode(json: "{\"classCount\": 15}"), LGGANConfig.standard(classCount: 15))
        XCTAssertThrowsError(try LGGANConfig.decode(json: "{\"baseWidth\": 4}"))
    }
}
