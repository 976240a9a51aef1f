import Foundation

/// Everything that fixes an ECGAN / ECGAN++ (Tang et al., "Edge Guided GANs
/// with Multi-Scale Contrastive Learning"): stored as JSON in every checkpoint's
/// and model file's metadata, so the same code builds the small CPU default and
/// the paper's widths, and each component of the ablation (Table VI, B1..B8) is
/// a flag. Flags for training-only parts (similarity and contrastive losses)
/// live here too, so a model file says what it was trained with.
public struct ECGANConfig: Codable, Sendable, Equatable {
    /// Semantic classes (one-hot channels), in palette order.
    public var classCount: Int
    /// Encoder and SPADE backbone: as LGGANConfig (ngf, width cap, first kernel, depth, SPADE widths).
    public var baseWidth: Int = 16
    public var maxWidthMultiplier: Int = 4
    public var inputKernel: Int = 3
    public var globalDepth: Int = 3
    public var spadeHidden: Int = 32
    public var spadeHiddenFullResolution: Int = 16
    public var spadeModulationKernel: Int = 1
    /// C: channels of the feature F the backbone hands to the branches (paper: 64).
    public var featureWidth: Int = 16
    /// n: conv levels of G_e and G_i (paper: 3); level j has featureWidth / 2^(j+1) channels (at least 4).
    public var branchLevels: Int = 3
    /// G_e and the attention-guided transfer G_t (B2..): without it I' = I'_i.
    public var useEdge: Bool = true
    /// Feature-level transfer F_i = sigma(F_e) * F_i + F_i at every level (with useEdge).
    public var useFeatureTransfer: Bool = true
    /// Content-level transfer, Eq. 1: I' = sigma(I'_e) * I'_i + I'_i (with useEdge).
    public var useContentTransfer: Bool = true
    /// The semantic preserving module G_s; without it I'' = I'.
    public var useSemanticPreserving: Bool = true
    /// Training: the label generator and the similarity loss (Eq. 2).
    public var useSimilarity: Bool = true
    /// Training: pixel-wise contrastive loss (Eq. 4) at stride 1.
    public var useContrastive: Bool = true
    /// Training (ECGAN++, ablation B7): multi-scale contrastive loss (Eq. 5, strides 1/4/8/16).
    public var useMultiScaleContrastive: Bool = false
    /// Training (ECGAN++, B8): cross-scale contrastive loss (Eq. 6, pairs (s4, s8), (s4, s16)).
    public var useCrossScaleContrastive: Bool = false
    /// ECGAN++: class-specific pixel generation (shared decoder, class images summed).
    public var useClassSpecific: Bool = false
    /// Channels of the contrastive projection heads (1x1 convs on the encoder levels).
    public var contrastDimension: Int = 32
    /// Channels of per-image noise (0 = deterministic), as LGGAN's.
    public var noiseChannels: Int = 0
    /// The per-image style code z and its encoder, as LGGAN's (`LGGANConfig.styleChannels`):
    /// z enters every SPADE modulation of the backbone (0 = none; files without the key: none).
    public var styleChannels: Int = 0
    public var styleEncoder: Bool = false
    /// K, channels of the per-pixel texture noise map, as LGGAN's (`LGGANConfig.textureNoiseChannels`):
    /// it enters every SPADE modulation of the backbone (0 = none; files without the key: none).
    public var textureNoiseChannels: Int = 0
    /// Discriminator (one, multi-modality): ndf, layers, scales, widest layer.
    public var discriminatorWidth: Int = 32
    public var discriminatorLayers: Int = 4
    public var discriminatorScales: Int = 2
    public var discriminatorMaxWidth: Int = 128

    public init(classCount: Int) {
        self.classCount = classCount
    }

    /// The shipped CPU default: ECGAN (Eq. 4 contrastive, no class-specific generation).
    public static func standard(classCount: Int) -> ECGANConfig { ECGANConfig(classCount: classCount) }

    /// ECGAN++: the default plus multi-scale/cross-scale contrast and class-specific generation.
    public static func plusPlus(classCount: Int) -> ECGANConfig {
        var c = ECGANConfig(classCount: classCount)
        c.useMultiScaleContrastive = true
        c.useCrossScaleContrastive = true
        c.useClassSpecific = true
        return c
    }

    /// A very small model for tests.
    public static func tiny(classCount: Int) -> ECGANConfig {
        var c = ECGANConfig(classCount: classCount)
        c.baseWidth = 8
        c.spadeHidden = 8
        c.spadeHiddenFullResolution = 8
        c.featureWidth = 8
        c.contrastDimension = 8
        c.discriminatorWidth = 8
        c.discriminatorLayers = 3
        return c
    }

    /// The paper's sizes: SPADE backbone (ngf 64, hidden 128, 3x3 modulation), C = 64, ndf 64.
    public static func paper(classCount: Int, plusPlus: Bool = true) -> ECGANConfig {
        var c = plusPlus ? ECGANConfig.plusPlus(classCount: classCount) : ECGANConfig(classCount: classCount)
        c.baseWidth = 64
        c.maxWidthMultiplier = 16
        c.inputKernel = 7
        c.globalDepth = 4
        c.spadeHidden = 128
        c.spadeHiddenFullResolution = 128
        c.spadeModulationKernel = 3
        c.featureWidth = 64
        c.contrastDimension = 128
        c.discriminatorWidth = 64
        c.discriminatorMaxWidth = 512
        return c
    }

    /// The encoder and SPADE backbone as an LGGAN configuration (global generator only),
    /// so both models build them with the same code.
    public var backbone: LGGANConfig {
        var c = LGGANConfig(classCount: classCount)
        c.baseWidth = baseWidth
        c.maxWidthMultiplier = maxWidthMultiplier
        c.inputKernel = inputKernel
        c.globalDepth = globalDepth
        c.spadeHidden = spadeHidden
        c.spadeHiddenFullResolution = spadeHiddenFullResolution
        c.spadeModulationKernel = spadeModulationKernel
        c.useLocal = false
        c.useClassification = false
        c.useWeightMap = false
        c.noiseChannels = noiseChannels
        c.styleChannels = styleChannels
        c.styleEncoder = styleEncoder
        c.textureNoiseChannels = textureNoiseChannels
        c.discriminatorWidth = discriminatorWidth
        c.discriminatorLayers = discriminatorLayers
        c.discriminatorScales = discriminatorScales
        c.discriminatorMaxWidth = discriminatorMaxWidth
        return c
    }

    /// Channels of G_e / G_i level j (0-based).
    public func branchWidth(level j: Int) -> Int { Swift.max(4, featureWidth >> (j + 1)) }

    /// Layouts must have sides divisible by this.
    public var sizeMultiple: Int { backbone.sizeMultiple }

    /// Strides and weights of the contrastive scales (Eq. 5; only stride 1 without multi-scale).
    public var contrastScales: [(stride: Int, weight: Float)] {
        useMultiScaleContrastive ? [(1, 1), (4, 0.7), (8, 0.4), (16, 0.1)] : [(1, 1)]
    }

    /// Cross-scale pairs of Eq. 6 (strides) and their weight.
    public var crossScalePairs: [(Int, Int)] { useCrossScaleContrastive ? [(4, 8), (4, 16)] : [] }
    public static let crossScaleWeight: Float = 0.1

    public func validate() throws {
        func fail(_ what: String) -> ModelConfigError { ModelConfigError(message: what) }
        try backbone.validate()
        guard featureWidth >= 2 && featureWidth <= 1024 else { throw fail("feature width \(featureWidth) is outside 2-1024") }
        guard branchLevels >= 1 && branchLevels <= 6 else { throw fail("branch levels \(branchLevels) is outside 1-6") }
        guard contrastDimension >= 2 && contrastDimension <= 1024 else { throw fail("contrast dimension \(contrastDimension) is outside 2-1024") }
    }

    public func encodedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(data: (try? encoder.encode(self)) ?? Data(), encoding: .utf8) ?? "{}"
    }

    public static func decode(json: String) throws -> ECGANConfig {
        do {
            return try JSONDecoder().decode(ECGANConfig.self, from: Data(json.utf8))
        } catch {
            throw ModelConfigError(message: "the model config is not valid JSON for ECGAN")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case classCount, baseWidth, maxWidthMultiplier, inputKernel, globalDepth, spadeHidden, spadeHiddenFullResolution
        case spadeModulationKernel, featureWidth, branchLevels, useEdge, useFeatureTransfer, useContentTransfer
        case useSemanticPreserving, useSimilarity, useContrastive, useMultiScaleContrastive, useCrossScaleContrastive, useClassSpecific
        case contrastDimension, noiseChannels, styleChannels, styleEncoder, textureNoiseChannels
        case discriminatorWidth, discriminatorLayers, discriminatorScales, discriminatorMaxWidth
    }

    /// Missing keys take the defaults above.
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
        try read(.featureWidth, &featureWidth)
        try read(.branchLevels, &branchLevels)
        try read(.useEdge, &useEdge)
        try read(.useFeatureTransfer, &useFeatureTransfer)
        try read(.useContentTransfer, &useContentTransfer)
        try read(.useSemanticPreserving, &useSemanticPreserving)
        try read(.useSimilarity, &useSimilarity)
        try read(.useContrastive, &useContrastive)
        try read(.useMultiScaleContrastive, &useMultiScaleContrastive)
        try read(.useCrossScaleContrastive, &useCrossScaleContrastive)
        try read(.useClassSpecific, &useClassSpecific)
        try read(.contrastDimension, &contrastDimension)
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
