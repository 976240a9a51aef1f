import Tensor

/// The parameter-sharing encoder E: a reflect-padded convolution at full
/// resolution, then stride-2 convolutions, each followed by instance norm and
/// ReLU. Returns the features of every level (index k = resolution 1/2^k):
/// level 2 feeds the local generator and the weight-map generator, the deepest
/// level the global generator.
///
/// Noise (a per-image vector z) enters every level as a learned per-channel
/// offset added after the instance norm, before the ReLU. Appending z as
/// constant input channels, the obvious way, does nothing here: a convolution
/// of a constant plane is a per-channel constant, and the instance norm right
/// after it subtracts exactly that.
final class LGGANEncoder: Module {
    let input: Conv2d
    let downs: [Conv2d]
    let noiseProjections: [Linear]

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        input = Conv2d(config.classCount, config.width(level: 0), kernelSize: config.inputKernel,
                       padding: config.inputKernel / 2, paddingMode: .reflect, using: &rng)
        downs = (1...config.encoderDepth).map { k in
            Conv2d(config.width(level: k - 1), config.width(level: k), kernelSize: 3, stride: 2, padding: 1, using: &rng)
        }
        noiseProjections = config.noiseChannels == 0 ? [] : (0...config.encoderDepth).map { k in
            Linear(config.noiseChannels, config.width(level: k), bias: false, using: &rng)
        }
        super.init()
    }

    /// layout: the one-hot map; noise: [N, noiseChannels] (models with noise).
    func callAsFunction(_ layout: Tensor, noise: Tensor?) -> [Tensor] {
        func activate(_ x: Tensor, level: Int) -> Tensor {
            var h = instanceNorm(x)
            if let noise, level < noiseProjections.count {
                let offset = noiseProjections[level](noise)
                h = h + offset.reshaped([offset.shape[0], offset.shape[1], 1, 1])
            }
            return h.relu()
        }
        var levels = [activate(input(layout), level: 0)]
        for (k, down) in downs.enumerated() {
            levels.append(activate(down(levels.last!), level: k + 1))
        }
        return levels
    }
}

/// The image-level global generator Gg: SPADE residual blocks from the
/// deepest encoder level up to half resolution (nearest x2 upsampling between
/// them), then at full resolution one SPADE modulation, LeakyReLU(0.2) and a
/// 3x3 convolution to RGB with tanh. The layout enters at every scale. Each
/// block narrows to the next level's width before the upsampling (SPADE narrows
/// after it), so the wide layers run at the lower resolution.
final class GlobalGenerator: Module {
    let blocks: [SPADEResBlock]
    let finalNorm: SPADE
    let toRGB: Conv2d
    let depth: Int
    let upsampling: LGGANConfig.Upsampling

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        depth = config.globalDepth
        upsampling = config.globalUpsampling
        let c = config.classCount, k = config.spadeModulationKernel, s = config.styleChannels
        let t = config.textureNoiseChannels
        // Block at level l maps width(l) to width(l - 1); the last, at level 1, keeps width(1).
        blocks = stride(from: depth, through: 1, by: -1).map { level in
            SPADEResBlock(config.width(level: level), config.width(level: Swift.max(1, level - 1)), labelChannels: c,
                          hidden: config.spadeHidden, modulationKernel: k, styleChannels: s, textureNoiseChannels: t,
                          using: &rng)
        }
        finalNorm = SPADE(channels: config.width(level: 1), labelChannels: c, hidden: config.spadeHiddenFullResolution,
                          modulationKernel: k, styleChannels: s, textureNoiseChannels: t, using: &rng)
        toRGB = Conv2d(config.width(level: 1), 3, kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    /// features: the encoder's level `depth`; layouts[k]: the one-hot map at 1/2^k;
    /// style: the code [N, S] (models with one); noises[k]: the texture noise at 1/2^k (models with it).
    /// `afterBlock(i)` runs after block i (the editor cancels stale generations there).
    func callAsFunction(_ features: Tensor, layouts: [Tensor], style: Tensor? = nil, noises: TextureNoisePyramid? = nil,
                        afterBlock: (Int) throws -> Void = { _ in }) rethrows -> Tensor {
        try self(features, modulations: modulations(layouts: layouts, style: style, noises: noises), afterBlock: afterBlock)
    }

    /// Every SPADE's gamma/beta maps: the part of the generator that reads
    /// only the layout, style and noise, not the encoder (about a third of its work).
    struct Modulations {
        var blocks: [SPADEResBlock.Modulations]
        var final: Tensor
    }

    func modulations(layouts: [Tensor], style: Tensor?, noises: TextureNoisePyramid?) -> Modulations {
        Modulations(blocks: blocks.enumerated().map { i, block in
                        block.modulations(layout: layouts[depth - i], style: style, noise: noises?[depth - i])
                    },
                    final: finalNorm.gammaBeta(layout: layouts[0], style: style, noise: noises?[0]))
    }

    /// The generator from the encoder's features and its precomputed modulations.
    func callAsFunction(_ features: Tensor, modulations: Modulations,
                        afterBlock: (Int) throws -> Void = { _ in }) rethrows -> Tensor {
        var x = features
        for (i, block) in blocks.enumerated() {
            x = block(i == 0 ? x : upsample(x), modulations: modulations.blocks[i])
            try afterBlock(i)
        }
        x = finalNorm.activated(upsample(x), gammaBeta: modulations.final, slope: 0.2)
        return toRGB(x).tanh()
    }

    func upsample(_ x: Tensor) -> Tensor {
        upsampling == .bilinear ? upsampleBilinear2x(x) : upsampleNearest(x)
    }
}

/// Two ConvTranspose (k3 s2 p1 op1) -> IN -> ReLU stages from 1/4 to full
/// resolution, halving the width each time: the decoder shared in shape by the
/// local generator and the weight-map generator.
final class UpsamplingDecoder: Module {
    let up0: ConvTranspose2d
    let up1: ConvTranspose2d

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        up0 = ConvTranspose2d(config.width(level: 2), config.width(level: 1), kernelSize: 3, stride: 2, padding: 1,
                              outputPadding: 1, using: &rng)
        up1 = ConvTranspose2d(config.width(level: 1), config.width(level: 0), kernelSize: 3, stride: 2, padding: 1,
                              outputPadding: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        instanceNorm(up1(instanceNorm(up0(x)).relu())).relu()
    }
}

/// Nearest x2 upsampling then conv3x3 -> IN -> ReLU, twice, from 1/4 to full
/// resolution (resize-convolution). Unlike a stride-2 k3 transposed conv, every
/// output pixel is made the same way, so there is no even/odd-row pattern.
final class ResizeConvDecoder: Module {
    let conv0: Conv2d
    let conv1: Conv2d

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        conv0 = Conv2d(config.width(level: 2), config.width(level: 1), kernelSize: 3, padding: 1, using: &rng)
        conv1 = Conv2d(config.width(level: 1), config.width(level: 0), kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = instanceNorm(conv0(upsampleNearest(x))).relu()
        return instanceNorm(conv1(upsampleNearest(h))).relu()
    }
}

/// The pixel-level weight-map generator Gw (Eq. 6): a decoder to full
/// resolution, a 1x1 convolution to two channels and a channel softmax.
/// Channel 0 weighs the global image, channel 1 the local one.
/// Two departures from the paper's text: (1) its Gw upsamples with k3/s2
/// transposed convs; their even and odd output rows come from 1 and 2 kernel
/// taps, and in training that showed as stripes on every other row of the
/// weight map (a view the editor shows), so Gw upsamples by resize-convolution;
/// (2) it puts IN and ReLU after the last layer too, and normalising a 2-channel
/// map per image to zero mean would erase any overall preference, so the
/// logits go straight to softmax.
final class WeightMapGenerator: Module {
    let decoder: ResizeConvDecoder
    let toLogits: Conv2d

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        decoder = ResizeConvDecoder(config: config, using: &rng)
        toLogits = Conv2d(config.width(level: 0), 2, kernelSize: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ features: Tensor) -> Tensor {
        softmax(toLogits(decoder(features)), axis: 1)
    }
}
