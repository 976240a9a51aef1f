import Tensor
import Support

/// Everything one forward pass of the LGGAN generator produces (all [N, ...]).
public struct LGGANOutput {
    /// Eq. 7 (or the plain average / the single branch, per config), [N, 3, H, W] in -1...1.
    public var fused: Tensor
    public var global: Tensor?
    public var local: Tensor?
    /// Softmax weight maps [N, 2, H, W]: channel 0 global, channel 1 local.
    public var weights: Tensor?
    /// Each class's sub-generator output, class i in channels 3i..<3i+3.
    public var classImages: Tensor?
    /// Scores of the class-discriminative module for each present (image, class) pair.
    public var classLogits: Tensor?
    public var classPairs: [(image: Int, classIndex: Int)]
}

/// The LGGAN generator: shared encoder E, global generator Gg, local
/// class-specific generator Gl, weight-map generator Gw and their fusion
/// (paper Fig. 2). Which parts exist is set by `LGGANConfig`.
public final class LGGANNetwork: Module, StyleCodedNetwork, TextureNoiseNetwork {
    public let config: LGGANConfig
    let encoder: LGGANEncoder
    let global: GlobalGenerator?
    let local: LocalGenerator?
    let weightMap: WeightMapGenerator?
    /// Maps a reference image to the style code (config `styleEncoder`).
    public let styleEncoder: StyleEncoder?
    /// Where a seed's style code comes from (the model file's fitted prior, else N(0, I)).
    public var stylePrior: StylePrior = .standardNormal

    /// A freshly initialised network (LGGAN's init: xavier-normal, gain 0.02, zero biases).
    public init(config: LGGANConfig, seed: UInt64 = 0) throws {
        try config.validate()
        self.config = config
        var rng = RandomGenerator(seed: seed)
        encoder = LGGANEncoder(config: config, using: &rng)
        global = config.useGlobal ? GlobalGenerator(config: config, using: &rng) : nil
        local = config.useLocal ? LocalGenerator(config: config, using: &rng) : nil
        weightMap = config.useGlobal && config.useLocal && config.useWeightMap
            ? WeightMapGenerator(config: config, using: &rng) : nil
        styleEncoder = StyleEncoder.forStyleCode(config: config, using: &rng)
        super.init()
        initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
        styleEncoder?.initializeForStyleCode(using: &rng)
    }

    /// Per-image noise [N, noiseChannels, 1, 1] from a seed (nil when the model takes none).
    public func noise(batch: Int, seed: UInt64) -> Tensor? {
        guard config.noiseChannels > 0 else { return nil }
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal([batch, config.noiseChannels, 1, 1], using: &rng)
    }

    public var styleChannels: Int { config.styleChannels }
    public var textureNoiseChannels: Int { config.textureNoiseChannels }
    /// The global generator's SPADEs read the map at 1/2^k for k in 0...globalDepth.
    public var textureNoiseDepth: Int { config.globalDepth }

    /// The stages of a forward pass, in order; `generate` checks for
    /// cancellation between them. The global generator (the largest stage,
    /// about a third of the work) also reports each of its blocks, and the
    /// local generator its full-resolution features before the class convs,
    /// so a stale generation in the editor stops within a fraction of a stage.
    public enum Stage: Equatable, Sendable {
        case encoder
        /// The global generator's SPADE gamma/beta maps (from the layout, style and noise).
        case modulations
        case globalBlock(Int)
        case global
        case localFeatures
        case local
        case fusion
    }

    /// Runs the generator. `noise` is [N, noiseChannels, 1, 1] when the config
    /// has noise (one vector per image), `style` [N, styleChannels] when it has
    /// a style code (nil: z = 0, the prior's mean), `textureNoise` [N, K, H, W]
    /// when it has texture noise (nil: zeros, the deterministic mean path).
    /// `checkpoint` is called after each stage and may throw to stop early. In
    /// inference with two or more threads the parts run side by side
    /// (`ConcurrentBranches`): the global and local stages then arrive
    /// interleaved (each branch's in order, one call at a time), and after a
    /// throw every branch stops at its next.
    public func forward(_ input: SemanticInput, noise: Tensor? = nil, style: Tensor? = nil,
                        textureNoise: Tensor? = nil) -> LGGANOutput {
        forward(input, noise: noise, style: style, textureNoise: textureNoise, checkpoint: { _ in })
    }

    public func forward(_ input: SemanticInput, noise: Tensor?, style: Tensor? = nil, textureNoise: Tensor? = nil,
                        checkpoint: (Stage) throws -> Void) rethrows -> LGGANOutput {
        try forward(input, noise: noise, style: style, texture: texturePyramid(of: textureNoise), checkpoint: checkpoint)
    }

    /// The same with the texture noise's pyramid made beforehand (`texturePyramid(of:)`):
    /// a caller that keeps it for a seed (the editor) has its noise projections computed once.
    public func forward(_ input: SemanticInput, noise: Tensor?, style: Tensor?, texture noises: TextureNoisePyramid?,
                        checkpoint: (Stage) throws -> Void) rethrows -> LGGANOutput {
        invariant(input.classCount == config.classCount, "input has \(input.classCount) classes, model \(config.classCount)")
        invariant(input.height % config.sizeMultiple == 0 && input.width % config.sizeMultiple == 0,
                     "layout \(input.width)x\(input.height) is not a multiple of \(config.sizeMultiple)")
        checkTextureNoise(noises, for: input)
        let code = styleCodeOrMean(style, batch: input.batch)
        // The encoder and the global generator's SPADE modulations read only the input; the three
        // generators after them only the encoder's levels and those modulations. In inference at
        // 2+ threads they run side by side (handed out in this order, each waiting for what it
        // reads): about 33 ms of single-threaded work per 256x256 preview on each of the two cores.
        // The local generator, the longest branch, comes right after the encoder, on the
        // encoder's thread; the global and weight-map generators follow the modulations on the
        // other. Global before local left that thread idle until the modulations were done and
        // then ran them and the local generator in series (the style-code model's 2-thread
        // preview, docs/benchmarks.md session 8).
        var levels: [Tensor] = [], modulations: GlobalGenerator.Modulations?
        var globalImage: Tensor?, localOutput: LocalGenerator.Output?, weights: Tensor?
        try ConcurrentBranches.run(5, checkpoint: checkpoint) { task, branch in
            switch task {
            case 0:
                levels = encode(input, noise: noise)
                try branch.checkpoint(.encoder)
            case 1:
                guard let global else { return }
                modulations = global.modulations(
                    layouts: (0...config.globalDepth).map { input.oneHot(downsampledBy: 1 << $0) }, style: code, noises: noises)
                try branch.checkpoint(.modulations)
            case 2:
                guard let local else { return }
                try branch.waitFor(0)
                let features = local.features(levels[2], style: code, noise: noises?[0])
                try branch.checkpoint(.localFeatures)
                localOutput = local(features: features, input: input)
                try branch.checkpoint(.local)
            case 3:
                guard let global else { return }
                try branch.waitFor(0)
                try branch.waitFor(1)
                guard let modulations else { fatalError("the global generator's modulations come first") }
                globalImage = try global(levels[config.globalDepth], modulations: modulations) {
                    try branch.checkpoint(.globalBlock($0))
                }
                try branch.checkpoint(.global)
            default:
                guard let weightMap else { return }
                try branch.waitFor(0)
                weights = weightMap(levels[2])
            }
        }
        let fused: Tensor
        switch (globalImage, localOutput?.image) {
        case let (g?, l?):
            if let weights {
                fused = Self.blend(global: g, local: l, weights: weights)
            } else {
                fused = (g + l) * 0.5
            }
        case let (g?, nil): fused = g
        case let (nil, l?): fused = l
        default: fatalError("LGGAN without generators (the config validation allows none)")
        }
        try checkpoint(.fusion)
        return LGGANOutput(fused: fused, global: globalImage, local: localOutput?.image, weights: weights,
                           classImages: localOutput?.classImages, classLogits: localOutput?.classLogits,
                           classPairs: localOutput?.pairs ?? [])
    }

    /// The encoder's features; without noise given, a noise model gets z = 0.
    func encode(_ input: SemanticInput, noise: Tensor?) -> [Tensor] {
        guard config.noiseChannels > 0 else { return encoder(input.oneHot, noise: nil) }
        let z = noise ?? Tensor.zeros([input.batch, config.noiseChannels, 1, 1])
        return encoder(input.oneHot, noise: z.reshaped([input.batch, config.noiseChannels]))
    }

    /// Eq. 7: Wg * global + Wl * local.
    static func blend(global: Tensor, local: Tensor, weights: Tensor) -> Tensor {
        global * weights.slice(axis: 1, 0 ..< 1) + local * weights.slice(axis: 1, 1 ..< 2)
    }

    /// The dense reference of the class outputs (for tests of the sparse path).
    public func denseClassImages(_ input: SemanticInput, textureNoise: Tensor? = nil) -> Tensor? {
        guard let local else { return nil }
        return local.denseClassImages(features(of: local, input, textureNoise: textureNoise), input: input)
    }

    /// The sparse class outputs for the same input (pairs with `denseClassImages`).
    public func sparseClassImages(_ input: SemanticInput, textureNoise: Tensor? = nil) -> Tensor? {
        guard let local else { return nil }
        return local.sparseClassImages(features(of: local, input, textureNoise: textureNoise), input: input).0
    }

    /// f' for the class-output references (no encoder noise, z = 0).
    private func features(of local: LocalGenerator, _ input: SemanticInput, textureNoise: Tensor?) -> Tensor {
        let levels = encode(input, noise: nil)
        return local.features(levels[2], style: styleCodeOrMean(nil, batch: input.batch),
                               noise: texturePyramid(of: textureNoise)?[0])
    }
}
