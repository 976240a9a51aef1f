import Foundation
@testable import Models
@testable import Tensor
import Generation
import Layouts
import XCTest

/// The preview of a model with a style code and texture noise (issue 11 / 15,
/// session 8) on the channels-last inference path: the style code's offset and
/// scale keep the SPADE label maps and the local features channels-last (no
/// round trip to NCHW and back per SPADE), and the outputs equal those with
/// NCHW between the convolutions, in f32 and in bf16.
final class StyleModelChannelsLastTests: XCTestCase {
    let palette = SyntheticScenes.palette

    /// The default model's recipe at test size: style code, style encoder, texture noise.
    func styleNetwork() throws -> LGGANNetwork {
        var config = LGGANConfig.standard(classCount: palette.count)
        config.styleChannels = 6
        config.styleEncoder = true
        config.textureNoiseChannels = 4
        return try LGGANNetwork(config: config, seed: 9)
    }

    func outputs(_ network: LGGANNetwork, channelsLast: Bool, precision: ConvolutionPrecision) -> [(String, Tensor?)] {
        let batch = SyntheticScenes.batch([0, 1], size: 32)
        var rng = RandomGenerator(seed: 12)
        let style = Tensor.randomNormal([2, network.config.styleChannels], using: &rng)
        let noise = network.textureNoise(batch: 2, height: 32, width: 32, seed: 13)
        let out = ConvolutionSettings.with(channelsLast: channelsLast) {
            ConvolutionSettings.with(precision: precision) {
                GradMode.withoutGrad { network.forward(batch.input, style: style, textureNoise: noise) }
            }
        }
        return [("fused", out.fused), ("global", out.global), ("local", out.local),
                ("weights", out.weights), ("class images", out.classImages)]
    }

    func testOutputsEqualTheNCHWPathInBothPrecisions() throws {
        let network = try styleNetwork()
        // f32: the convolutions' kernels differ by layout (last bits); bf16: its rounding of each conv's inputs.
        for (precision, tolerance) in [(ConvolutionPrecision.f32, Float(1e-4)), (.bf16, Float(2e-2))] {
            let fast = outputs(network, channelsLast: true, precision: precision)
            let plain = outputs(network, channelsLast: false, precision: precision)
            for ((name, a), (_, b)) in zip(fast, plain) {
                let (a, b) = (try XCTUnwrap(a, name), try XCTUnwrap(b, name))
                XCTAssertEqual(a.shape, b.shape, name)
                let difference = zip(a.values, b.values).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThan(difference, tolerance, "\(name), \(precision)")
            }
        }
        // The style code and the noise reach the outputs (else the comparison above says little).
        let other = GradMode.withoutGrad {
            network.forward(SyntheticScenes.batch([0, 1], size: 32).input, style: nil, textureNoise: nil)
        }
        XCTAssertNotEqual(other.fused.values, try XCTUnwrap(outputs(network, channelsLast: true, precision: .f32)[0].1).values)
    }

    /// Every SPADE's gamma/beta (the label map after the style offset, its ReLU and
    /// the modulation conv) and the local features after the style's scale and
    /// shift come out channels-last: a silent fall back to NCHW fails here.
    func testStyleModulationsStayChannelsLast() throws {
        let network = try styleNetwork()
        let input = SyntheticScenes.batch([0], size: 32).input
        var rng = RandomGenerator(seed: 14)
        let style = Tensor.randomNormal([1, network.config.styleChannels], using: &rng)
        let noises = network.texturePyramid(of: network.textureNoise(batch: 1, height: 32, width: 32, seed: 15))
        let depth = network.config.globalDepth
        let modulations = GradMode.withoutGrad {
            network.global!.modulations(layouts: (0...depth).map { input.oneHot(downsampledBy: 1 << $0) },
                                        style: style, noises: noises)
        }
        var maps = [modulations.final]
        for block in modulations.blocks { maps += [block.norm0, block.norm1] + (block.shortcut.map { [$0] } ?? []) }
        XCTAssertEqual(maps.count, 1 + 2 * depth + modulations.blocks.filter { $0.shortcut != nil }.count)
        for (i, map) in maps.enumerated() { XCTAssertTrue(map.isChannelsLast, "gamma/beta \(i) \(map.shape)") }
        let features = GradMode.withoutGrad {
            network.local!.features(network.encode(input, noise: nil)[2], style: style, noise: nil)
        }
        XCTAssertTrue(features.isChannelsLast, "local features \(features.shape) after the style's scale and shift")
    }

    /// A kept texture-noise pyramid (the editor's, per seed) keeps each noise
    /// projection's output: the second pass runs none of those convolutions and
    /// gives the first pass's outputs bit for bit, both equal to a pass from the
    /// bare map. Changed weights or another precision compute them afresh.
    func testAKeptNoisePyramidSkipsTheNoiseConvolutionsAndStaysExact() throws {
        let network = try styleNetwork()
        let input = SyntheticScenes.batch([1], size: 32).input
        var rng = RandomGenerator(seed: 16)
        let style = Tensor.randomNormal([1, network.config.styleChannels], using: &rng)
        let map = try XCTUnwrap(network.textureNoise(batch: 1, height: 32, width: 32, seed: 17))
        let pyramid = try XCTUnwrap(network.texturePyramid(of: map))
        let noiseLayers = network.stateDict().keys.filter(TextureNoise.isParameter).count
        let shortcuts = network.global!.blocks.filter { $0.normShortcut != nil }.count
        XCTAssertEqual(noiseLayers, 1 + 2 * network.config.globalDepth + shortcuts + 1, "every SPADE's projection and the local one")

        /// The fused image and how many convolutions ran.
        func pass(_ texture: TextureNoisePyramid?, precision: ConvolutionPrecision = .f32) -> ([Float], Int) {
            let profile = OpProfile()
            let out = profile.recording {
                ConvolutionSettings.with(precision: precision) {
                    GradMode.withoutGrad { network.forward(input, noise: nil, style: style, texture: texture) { _ in } }
                }
            }
            let convs = profile.entries.filter { $0.name.hasPrefix("conv ") }.map(\.calls).reduce(0, +)
            return (out.fused.values + out.classImages!.values, convs)
        }
        let fresh = pass(network.texturePyramid(of: map))
        let first = pass(pyramid), second = pass(pyramid)
        XCTAssertEqual(first.1, fresh.1)
        XCTAssertEqual(second.1, first.1 - noiseLayers, "the kept projections are not computed again")
        XCTAssertTrue(first.0 == fresh.0 && second.0 == fresh.0, "kept projections change no value")

        // Another precision: computed afresh under it (and kept for it), equal to a fresh bf16 pass.
        let bf16 = pass(pyramid, precision: .bf16)
        XCTAssertEqual(bf16.1, fresh.1)
        XCTAssertEqual(bf16.0, pass(network.texturePyramid(of: map), precision: .bf16).0)
        XCTAssertNotEqual(bf16.0, fresh.0)

        // Changed noise weights: computed afresh, equal to a pass from the bare map.
        for (name, tensor) in network.stateDict() where TextureNoise.isParameter(name) {
            tensor.data.update(repeating: 0.01, count: tensor.count)
        }
        let changed = pass(pyramid)
        XCTAssertEqual(changed.1, fresh.1)
        XCTAssertEqual(changed.0, pass(network.texturePyramid(of: map)).0)
        XCTAssertNotEqual(changed.0, fresh.0)
    }

    /// The editor's views (converted side by side at 2 threads) are the network's
    /// outputs for the seed's style code and texture noise, each class's image
    /// from its own channels; a second preview of the seed (kept noise
    /// projections) gives the same views.
    func testTheGeneratorsViewsAreTheNetworksOutputs() throws {
        let network = try styleNetwork()
        let generator = try LGGANGenerator(network: network, palette: palette)
        let labels = SyntheticScenes.layout(2, width: 64, height: 64)
        defer { BLASInfo.setThreads(2) }
        BLASInfo.setThreads(2)
        let views = try generator.generate(labels, seed: 5, shouldCancel: { false })
        let again = try generator.generate(labels, seed: 5, shouldCancel: { false })
        let (input, indices) = try SemanticInput.padded(labels, palette: palette, multiple: network.config.sizeMultiple)
        let out = GradMode.withoutGrad {
            network.forward(input, noise: network.noise(batch: 1, seed: 5), style: network.styleCode(batch: 1, seed: 5),
                            textureNoise: network.textureNoise(batch: 1, height: 64, width: 64, seed: 5))
        }
        XCTAssertEqual(views.fused, TensorImages.rgbImage(out.fused))
        XCTAssertEqual(views.global, TensorImages.rgbImage(out.global!))
        XCTAssertEqual(views.local, TensorImages.rgbImage(out.local!))
        XCTAssertEqual(views.globalWeight, TensorImages.plane(out.weights!, channel: 0))
        let present = Set(indices.filter { $0 >= 0 })
        XCTAssertGreaterThan(present.count, 1)
        XCTAssertEqual(Set(views.classOutputs.keys), Set(present.map { palette.classes[$0].id }))
        for k in present {
            XCTAssertEqual(views.classOutputs[palette.classes[k].id], TensorImages.rgbImage(out.classImages!, channel: 3 * k), "class \(k)")
        }
        XCTAssertEqual(again.fused, views.fused)
        XCTAssertEqual(again.classOutputs, views.classOutputs)
    }
}
