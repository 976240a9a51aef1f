import Foundation
import Support
import Tensor

/// Everything that fixes an LGGAN's architecture. Stored as JSON in every
/// checkpoint's metadata, so the same code builds the small CPU default and the
/// authors' full-size configuration, and the ablations S1..S5 (issue 6) are
/// flags rather than forks:
/// S1 = global only; S2 = + local with sum fusion (Eq. 3); S3 = conv fusion
/// (Eq. 4); S4 = + classification loss (Eq. 5); S5 = + weight-map fusion (Eq. 7).
public struct LGGANConfig: Codable, Sendable, Equatable {
    /// How the class outputs become the local image.
    /// How the global generator doubles its resolution between blocks.
    public enum Upsampling: String, Codable, Sendable, CaseIterable {
        /// SPADE's choice; leaves 2x2 blocks for the following convs to smooth.
        case nearest
        case bilinear
    }

    public enum LocalFusion: String, Codable, Sendable, CaseIterable {
        /// Eq. 3: element-wise sum of the class outputs.
        case sum
        /// Eq. 4: a 3x3 convolution over the concatenated class outputs, then tanh.
        case conv
    }

    /// Semantic classes (one-hot channels), in palette order.
    public var classCount: Int
    /// ngf: channels at full resolution; level k (1/2^k) has baseWidth * min(2^k, maxWidthMultiplier).
    public var baseWidth: Int = 16
    public var maxWidthMultiplier: Int = 4
    /// Kernel of the encoder's first (full-resolution) convolution; the authors use 7.
    public var inputKernel: Int = 3
    /// The global generator starts at 1/2^globalDepth of the image (>= 2).
    public var globalDepth: Int = 3
    /// Hidden channels of SPADE's label convolution below full resolution...
    public var spadeHidden: Int = 32
    /// ...and at full resolution, where it dominates the cost.
    public var spadeHiddenFullResolution: Int = 16
    /// Kernel of SPADE's gamma/beta convolution (SPADE: 3). The shared label
    /// convolution before it is always 3x3, so 1 keeps a 3x3 view of the layout
    /// at a ninth of the cost of the layer that dominates the global generator.
    public var spadeModulationKernel: Int = 1
    /// Upsampling inside the global generator (files without the key: nearest).
    public var globalUpsampling: Upsampling = .nearest
    /// ResNet blocks of the local generator at 1/4 resolution (authors: 9).
    public var localResBlocks: Int = 2
    /// Kernel of each class's own convolution (authors: 7).
    public var classKernel: Int = 5
    public var localFusion: LocalFusion = .conv
    public var useGlobal: Bool = true
    public var useLocal: Bool = true
    /// The class-discriminative module (Eq. 5).
    public var useClassification: Bool = true
    /// Weight-map fusion (Eq. 6-7); without it fused = (global + local) / 2.
    public var useWeightMap: Bool = true
    /// Channels of per-image noise added after the encoder's instance norms
    /// (the first noise design; every later instance norm removes most of it).
    public var noiseChannels: Int = 0
    /// Dimensions of the per-image style code z (0 = none). z enters every SPADE
    /// modulation next to the layout (as if broadcast over it and concatenated
    /// to the one-hot map: OASIS-style 3D noise), and scales and shifts the
    /// local generator's features before the class convolutions: both act
    /// after the last normalisation, so no instance norm can remove it.
    public var styleChannels: Int = 0
    /// The network holds an image encoder to the style code (SPADE's VAE
    /// encoder), so a reference image can set z (`generate --style`).
    public var styleEncoder: Bool = false
    /// Channels of per-pixel texture noise (0 = none): an i.i.d. N(0, 1) map
    /// [N, K, H, W] projected into every SPADE's label features (subsampled by
    /// nearest to its level) and into the local generator's f', so deep inside
    /// a uniform region the generator can paint texture instead of the
    /// region's mean colour (OASIS's 3D noise, issue 13).
    public var textureNoiseChannels: Int = 0
    /// Discriminator: ndf, conv layers per scale, number of scales.
    public var discriminatorWidth: Int = 32
    public var discriminatorLayers: Int = 4
    public var discriminatorScales: Int = 2
    /// Widest discriminator layer (SPADE: 512 = 8 x ndf). Its stride-1 layer is
    /// most of D's cost, and D costs more than G per step (it scores the real
    /// image and three fakes, twice), so the default caps it at 4 x ndf.
    public var discriminatorMaxWidth: Int = 128

    public init(classCount: Int) {
        self.classCount = classCount
    }

    /// The shipped CPU default (see docs/models.md for why these sizes).
    public static func standard(classCount: Int) -> LGGANConfig { LGGANConfig(classCount: classCount) }

    /// A very small model for tests and smoke runs.
    public static func tiny(classCount: Int) -> LGGANConfig {
        var c = LGGANConfig(classCount: classCount)
        c.baseWidth = 8
        c.spadeHidden = 8
        c.spadeHiddenFullResolution = 8
        c.localResBlocks = 1
        c.classKernel = 3
        c.discriminatorWidth = 8
        c.discriminatorLayers = 3
        return c
    }

    /// The authors' sizes (ngf 64, 9 local blocks, 7x7 kernels, SPADE hidden 128, ndf 64).
    public static func authors(classCount: Int) -> LGGANConfig {
        var c = LGGANConfig(classCount: classCount)
        c.baseWidth = 64
        c.maxWidthMultiplier = 16
        c.inputKernel = 7
        c.globalDepth = 4
        c.spadeHidden = 128
        c.spadeHiddenFullResolution = 128
        c.spadeModulationKernel = 3
        c.localResBlocks = 9
        c.classKernel = 7
        c.discriminatorWidth = 64
        c.discriminatorMaxWidth = 512
        return c
    }

    /// Channels of encoder/decoder level k (resolution 1/2^k).
    public func width(level k: Int) -> Int { baseWidth * Swift.min(1 << k, maxWidthMultiplier) }

    /// Deepest encoder level.
    public var encoderDepth: Int { Swift.max(2, useGlobal ? globalDepth : 2) }

    /// Layouts must have sides divisible by this (the generator pads others).
    public var sizeMultiple: Int { 1 << encoderDepth }

    /// Pixels beyond a class's mask that its own convolution can reach.
    public var classRadius: Int { classKernel / 2 }

    /// Weights of the encoder's convolutions (every LGGAN has them): a lower
    /// bound on the parameters of any network this config builds.
    public var encoderWeightCount: Int {
        var count = classCount * width(level: 0) * inputKernel * inputKernel
        for k in 1...encoderDepth { count += width(level: k - 1) * width(level: k) * 9 }
        return count
    }

    /// A config read from a file (model or checkpoint) holding `tensors`:
    /// decoded, validated, and refused when the file does not hold even the
    /// encoder's weights. A config is a few bytes but may describe gigabytes of
    /// network, and this runs before anything is allocated.
    public static func decode(json: String, fileTensors tensors: [String: Tensor]) throws -> LGGANConfig {
        let config = try decode(json: json)
        try config.validate()
        let stored = tensors.values.reduce(0) { $0 + $1.count }
        guard config.encoderWeightCount <= stored else {
            throw ModelConfigError(message: "its config needs at least \(config.encoderWeightCount) weights but the file holds \(stored)")
        }
        return config
    }

    /// Checks the values make a buildable network.
    public func validate() throws {
        func fail(_ what: String) -> ModelConfigError { ModelConfigError(message: what) }
        guard classCount >= 1 && classCount <= 256 else { throw fail("class count \(classCount) is outside 1-256") }
        guard baseWidth >= 1 && baseWidth <= 1024, maxWidthMultiplier >= 1 && maxWidthMultiplier <= 64 else {
            throw fail("widths \(baseWidth) x \(maxWidthMultiplier) are out of range")
        }
        guard inputKernel % 2 == 1 && inputKernel >= 1 && inputKernel <= 9 else { throw fail("input kernel \(inputKernel) must be odd, 1-9") }
        guard classKernel % 2 == 1 && classKernel >= 1 && classKernel <= 9 else { throw fail("class kernel \(classKernel) must be odd, 1-9") }
        guard globalDepth >= 2 && globalDepth <= 6 else { throw fail("global depth \(globalDepth) is outside 2-6") }
        guard spadeHidden >= 1 && spadeHidden <= 1024 && spadeHiddenFullResolution >= 1 && spadeHiddenFullResolution <= 1024 else {
            throw fail("SPADE hidden widths \(spadeHidden), \(spadeHiddenFullResolution) are outside 1-1024")
        }
        guard spadeModulationKernel == 1 || spadeModulationKernel == 3 else {
            throw fail("SPADE modulation kernel \(spadeModulationKernel) must be 1 or 3")
        }
        guard localResBlocks >= 0 && localResBlocks <= 16 else { throw fail("local ResNet blocks \(localResBlocks) is outside 0-16") }
        guard useGlobal || useLocal else { throw fail("the model needs a global or a local generator") }
        guard noiseChannels >= 0 && noiseChannels <= 256 else { throw fail("noise channels \(noiseChannels) is outside 0-256") }
        guard styleChannels >= 0 && styleChannels <= 256 else { throw fail("style code size \(styleChannels) is outside 0-256") }
        guard textureNoiseChannels >= 0 && textureNoiseChannels <= 64 else {
            throw fail("texture noise channels \(textureNoiseChannels) is outside 0-64")
        }
        guard !styleEncoder || styleChannels > 0 else { throw fail("a style encoder needs a style code (style channels > 0)") }
        guard discriminatorWidth >= 1, discriminatorMaxWidth >= discriminatorWidth, discriminatorMaxWidth <= 1024, discriminatorLayers >= 2 && discriminatorLayers <= 6,
              discriminatorScales >= 1 && discriminatorScales <= 4 else {
            throw fail("discriminator \(discriminatorWidth) wide, \(discriminatorLayers) layers, \(discriminatorScales) scales is out of range")
        }
    }

    public func encodedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(data: (try? encoder.encode(self)) ?? Data(), encoding: .utf8) ?? "{}"
    }

    /// Decodes a config; missing keys take the defaults above (older files stay readable).
    public static func decode(json: String) throws -> LGGANConfig {
        do {
            return try JSONDecoder().decode(LGGANConfig.self, from: Data(json.utf8))
        } catch {
            throw ModelConfigError(message: "the model config is not valid JSON for LGGAN")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case classCount, baseWidth, maxWidthMultiplier, inputKernel, globalDepth, spadeHidden, spadeHiddenFullResolution
        case spadeModulationKernel, globalUpsampling
        case localResBlocks, classKernel, localFusion, useGlobal, useLocal, useClassification, useWeightMap, noiseChannels
        case styleChannels, styleEncoder, textureNoiseChannels
        case discriminatorWidth, discriminatorLayers, discriminatorScales, discriminatorMaxWidth
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(classCount: try c.decode(Int.self, forKey: .classCount))
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.baseWidth, &baseWidth)
        try read(.maxWidthMultiplier, &maxWidthMultiplier)
        try read(.inputKernel, &inputKernel)
        try read(.globalDepth, &globalDepth)
        try read(.spadeHidden, &spadeHidden)
        try read(.spadeHiddenFullResolution, &spadeHiddenFullResolution)
        try read(.spadeModulationKernel, &spadeModulationKernel)
        try read(.globalUpsampling, &globalUpsampling)
        try read(.localResBlocks, &localResBlocks)
        try read(.classKernel, &classKernel)
        try read(.localFusion, &localFusion)
        try read(.useGlobal, &useGlobal)
        try read(.useLocal, &useLocal)
        try read(.useClassification, &useClassification)
        try read(.useWeightMap, &useWeightMap)
        try read(.noiseChannels, &noiseChannels)
        try read(.styleChannels, &styleChannels)
        try read(.styleEncoder, &styleEncoder)
        try read(.textureNoiseChannels, &textureNoiseChannels)
        try read(.discriminatorWidth, &discriminatorWidth)
        try read(.discriminatorLayers, &discriminatorLayers)
        try read(.discriminatorScales, &discriminatorScales)
        try read(.discriminatorMaxWidth, &discriminatorMaxWidth)
    }
}

/// A model configuration that cannot be built.
public struct ModelConfigError: UserFacingError, Equatable {
    public let message: String
    public var description: String { "invalid model configuration: \(message)" }
}
