import Tensor

/// Everything one forward pass of the ECGAN generator produces (all [N, ...]).
public struct ECGANOutput {
    /// I'': the final image (G_s's output; I' without G_s), -1...1.
    public var final: Tensor
    /// I': the edge-guided image before G_s (Eq. 1).
    public var coarse: Tensor
    /// I'_i: the image branch before the content-level transfer.
    public var imageBranch: Tensor
    /// I'_e and sigma(I'_e), when the model has G_e.
    public var edge: Tensor?
    public var attention: Tensor?
    /// ECGAN++: each present class's image I_gi [P, 3, H, W] (pairs say which) and their sum I_g.
    public var classImages: Tensor?
    public var classPairs: [(image: Int, classIndex: Int)]
    public var classSum: Tensor?
    /// The encoder's levels (index k = resolution 1/2^k), for the contrastive losses.
    public var encoderLevels: [Tensor]
}

/// The ECGAN / ECGAN++ generator (paper Fig. 1): encoder E and SPADE backbone
/// to F, edge generator G_e and image generator G_i joined by the attention-
/// guided transfer G_t, class-specific pixel generation (ECGAN++), the semantic
/// preserving module G_s, and the projection heads of the contrastive module
/// G_c (used in training only). Which parts exist is set by `ECGANConfig`.
public final class ECGANNetwork: Module, StyleCodedNetwork, TextureNoiseNetwork {
    public let config: ECGANConfig
    let encoder: LGGANEncoder
    let backbone: ECGANBackbone
    let branches: EdgeGuidedBranches
    let classDecoder: ClassSpecificDecoder?
    let semanticPreserving: SemanticPreservingModule?
    /// One 1x1 conv per contrastive stride (in `contrastStrides` order) to the shared embedding space.
    let projections: [Conv2d]
    /// Maps a reference image to the style code (config `styleEncoder`), as LGGAN's.
    public let styleEncoder: StyleEncoder?
    /// Where a seed's style code comes from (the model file's fitted prior, else N(0, I)).
    public var stylePrior: StylePrior = .standardNormal

    public init(config: ECGANConfig, seed: UInt64 = 0) throws {
        try config.validate()
        self.config = config
        var rng = RandomGenerator(seed: seed)
        let b = config.backbone
        encoder = LGGANEncoder(config: b, using: &rng)
        backbone = ECGANBackbone(config: config, using: &rng)
        branches = EdgeGuidedBranches(config: config, using: &rng)
        classDecoder = config.useClassSpecific ? ClassSpecificDecoder(featureWidth: config.featureWidth, using: &rng) : nil
        if config.useSemanticPreserving {
            let channels = config.classCount + 3 + config.featureWidth + (config.useEdge ? 3 : 0) + (config.useClassSpecific ? 3 : 0)
            semanticPreserving = SemanticPreservingModule(inChannels: channels, classCount: config.classCount, using: &rng)
        } else {
            semanticPreserving = nil
        }
        projections = config.useContrastive ? Self.contrastStrides(config).map { stride in
            Conv2d(b.width(level: Swift.min(Self.level(of: stride), b.encoderDepth)), config.contrastDimension,
                   kernelSize: 1, using: &rng)
        } : []
        styleEncoder = StyleEncoder.forStyleCode(config: b, using: &rng)
        super.init()
        initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
        styleEncoder?.initializeForStyleCode(using: &rng)
    }

    public var styleChannels: Int { config.styleChannels }
    public var textureNoiseChannels: Int { config.textureNoiseChannels }
    /// The backbone's SPADEs read the map at 1/2^k for k in 0...globalDepth.
    public var textureNoiseDepth: Int { config.globalDepth }

    /// The stages of a forward pass, for cancellation in the editor.
    public enum Stage: Equatable, Sendable {
        case encoder
        case backboneBlock(Int)
        case branches
        case classSpecific
        case semanticPreserving
    }

    /// `style`: the code [N, styleChannels] of a model with one (nil: z = 0, the prior's mean);
    /// `textureNoise`: the map [N, K, H, W] of a model with texture noise (nil: zeros, the mean path).
    public func forward(_ input: SemanticInput, noise: Tensor? = nil, style: Tensor? = nil,
                        textureNoise: Tensor? = nil) -> ECGANOutput {
        forward(input, noise: noise, style: style, textureNoise: textureNoise, checkpoint: { _ in })
    }

    public func forward(_ input: SemanticInput, noise: Tensor?, style: Tensor? = nil, textureNoise: Tensor? = nil,
                        checkpoint: (Stage) throws -> Void) rethrows -> ECGANOutput {
        try forward(input, noise: noise, style: style, texture: texturePyramid(of: textureNoise), checkpoint: checkpoint)
    }

    /// The same with the texture noise's pyramid made beforehand (`texturePyramid(of:)`):
    /// a caller that keeps it for a seed (the editor) has its noise projections computed once.
    public func forward(_ input: SemanticInput, noise: Tensor?, style: Tensor?, texture noises: TextureNoisePyramid?,
                        checkpoint: (Stage) throws -> Void) rethrows -> ECGANOutput {
        // Programming errors (callers pad and check palettes first); fatalError survives -Ounchecked.
        guard input.classCount == config.classCount else {
            fatalError("ECGAN: input has \(input.classCount) classes, model \(config.classCount)")
        }
        guard input.height % config.sizeMultiple == 0 && input.width % config.sizeMultiple == 0 else {
            fatalError("ECGAN: layout \(input.width)x\(input.height) is not a multiple of \(config.sizeMultiple)")
        }
        checkTextureNoise(noises, for: input)
        let levels = encode(input, noise: noise)
        try checkpoint(.encoder)
        let depth = config.globalDepth
        let layouts = (0...depth).map { input.oneHot(downsampledBy: 1 << $0) }
        let code = styleCodeOrMean(style, batch: input.batch)
        let f = try backbone(levels[depth], layouts: layouts, style: code, noises: noises) { try checkpoint(.backboneBlock($0)) }
        let b = branches(f)
        try checkpoint(.branches)
        var classOutput: ClassSpecificDecoder.Output?
        if let classDecoder {
            classOutput = classDecoder(f, input: input)
            try checkpoint(.classSpecific)
        }
        var final = b.image
        if let semanticPreserving {
            var parts = [input.oneHot]
            if let edge = b.edge { parts.append(edge) }
            parts += [b.image, f]
            if let g = classOutput?.image { parts.append(g) }
            final = semanticPreserving(Tensor.concat(parts, axis: 1))
            try checkpoint(.semanticPreserving)
        }
        return ECGANOutput(final: final, coarse: b.image, imageBranch: b.imageBranch, edge: b.edge, attention: b.attention,
                           classImages: classOutput?.classImages, classPairs: classOutput?.pairs ?? [],
                           classSum: classOutput?.image, encoderLevels: levels)
    }

    func encode(_ input: SemanticInput, noise: Tensor?) -> [Tensor] {
        guard config.noiseChannels > 0 else { return encoder(input.oneHot, noise: nil) }
        let z = noise ?? Tensor.zeros([input.batch, config.noiseChannels, 1, 1])
        return encoder(input.oneHot, noise: z.reshaped([input.batch, config.noiseChannels]))
    }

    /// Per-image noise from a seed (nil when the model takes none).
    public func noise(batch: Int, seed: UInt64) -> Tensor? {
        guard config.noiseChannels > 0 else { return nil }
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal([batch, config.noiseChannels, 1, 1], using: &rng)
    }

    /// Where a warm start from an LGGAN (`WarmStart`) finds this network's
    /// tensor `name`: the encoder and the style encoder under the same names,
    /// the SPADE backbone in LGGAN's global generator (same blocks, C equal to
    /// its level-1 width); nil for ECGAN's own parts (G_e, G_i, G_s, G_c).
    public static func lgganSourceName(_ name: String) -> String? {
        if name.hasPrefix("encoder.") || StyleCode.isEncoderParameter(name) { return name }
        if name.hasPrefix("backbone.") { return "global." + name.dropFirst("backbone.".count) }
        return nil
    }

    /// Strides that need an embedding: those of Eq. 5 and of Eq. 6's pairs.
    public static func contrastStrides(_ config: ECGANConfig) -> [Int] {
        var strides = config.contrastScales.map(\.stride)
        for (p, q) in config.crossScalePairs { for s in [p, q] where !strides.contains(s) { strides.append(s) } }
        return strides
    }

    static func level(of stride: Int) -> Int { stride.trailingZeroBitCount }

    /// The contrastive embeddings (not yet normalised) of each stride: the
    /// encoder level of that resolution through its 1x1 projection; strides
    /// finer than the encoder's deepest level are average-pooled from it.
    public func contrastEmbeddings(_ levels: [Tensor]) -> [Int: Tensor] {
        var out: [Int: Tensor] = [:]
        let depth = levels.count - 1
        for (stride, projection) in zip(Self.contrastStrides(config), projections) {
            let level = Self.level(of: stride)
            var x = levels[Swift.min(level, depth)]
            if level > depth {
                let factor = 1 << (level - depth)
                x = avgPool2d(x, kernel: factor, stride: factor)
            }
            out[stride] = projection(x)
        }
        return out
    }
}
