import Foundation
@testable import Models
@testable import Tensor
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
        let noises = network.texturePyramid(network.textureNoise(batch: 1, height: 32, width: 32, seed: 15), input: input)
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
}
