import Tensor

/// Spatially-adaptive normalisation (SPADE, Park et al. 2019): a parameter-free
/// instance norm, then gamma and beta predicted per pixel from the layout:
/// out = norm(x) * (1 + gamma) + beta. One convolution predicts gamma and beta
/// together (2C channels) - the same arithmetic as two, in one larger GEMM.
///
/// With a style code z (models with `styleChannels`), z is added to the label
/// convolution's output through its own linear map before the ReLU: the same
/// as concatenating z broadcast over the layout to the conv's input (OASIS's
/// 3D noise), without the border effect of zero padding on a constant plane,
/// at the cost of a linear layer, and with its weights apart from the trained
/// label weights (a warm start sets them to zero; they learn at their own rate).
/// Gamma and beta act after the instance norm, so nothing normalises z away.
///
/// With texture noise (models with `textureNoiseChannels`), the per-pixel
/// noise map at this resolution enters the same place through its own 3x3
/// convolution: the same as concatenating it to the layout (OASIS), with its
/// weights apart from the trained label weights.
final class SPADE: Module {
    let shared: Conv2d
    let modulation: Conv2d
    let styleProjection: Linear?
    let noiseProjection: Conv2d?

    init(channels: Int, labelChannels: Int, hidden: Int, modulationKernel: Int, styleChannels: Int = 0,
         textureNoiseChannels: Int = 0, using rng: inout RandomGenerator) {
        shared = Conv2d(labelChannels, hidden, kernelSize: 3, padding: 1, using: &rng)
        modulation = Conv2d(hidden, 2 * channels, kernelSize: modulationKernel, padding: modulationKernel / 2, using: &rng)
        styleProjection = styleChannels > 0 ? Linear(styleChannels, hidden, bias: false, using: &rng) : nil
        noiseProjection = textureNoiseChannels > 0
            ? Conv2d(textureNoiseChannels, hidden, kernelSize: 3, padding: 1, bias: false, using: &rng) : nil
        super.init()
    }

    /// x [N, C, h, w]; layout: the one-hot map already at h x w; style: [N, S] or nil;
    /// noise: the texture noise at h x w ([N, K, h, w]) or nil (no noise: the mean path).
    func callAsFunction(_ x: Tensor, layout: Tensor, style: Tensor? = nil, noise: TextureNoiseLevel? = nil) -> Tensor {
        self(x, gammaBeta: gammaBeta(layout: layout, style: style, noise: noise))
    }

    /// Gamma and beta [N, 2C, h, w]: from the layout, style and noise only, not
    /// from x, so inference computes them beside the encoder (`GlobalGenerator.modulations`).
    func gammaBeta(layout: Tensor, style: Tensor?, noise: TextureNoiseLevel?) -> Tensor {
        var label = shared(layout)
        if let noiseProjection, let noise { label = label + noise.projected(through: noiseProjection) }
        if let styleProjection, let style {
            let offset = styleProjection(style)
            label = label + offset.reshaped([offset.shape[0], offset.shape[1], 1, 1])
        }
        return modulation(label.relu())
    }

    /// x normalised and modulated by `gammaBeta` (what `gammaBeta(layout:style:)` returned).
    func callAsFunction(_ x: Tensor, gammaBeta: Tensor) -> Tensor {
        modulate(instanceNorm(x), gammaBeta: gammaBeta)
    }

    /// The same followed by LeakyReLU (one fused pass in channels-last inference).
    func activated(_ x: Tensor, gammaBeta: Tensor, slope: Float) -> Tensor {
        normalizeModulateLeakyRelu(x, gammaBeta: gammaBeta, slope: slope)
    }
}

/// SPADE's residual block: two SPADE -> LeakyReLU(0.2) -> conv3x3 stages, and a
/// learned shortcut (SPADE -> 1x1 conv, no bias) when the width changes.
final class SPADEResBlock: Module {
    let norm0: SPADE
    let conv0: Conv2d
    let norm1: SPADE
    let conv1: Conv2d
    let normShortcut: SPADE?
    let convShortcut: Conv2d?

    init(_ fin: Int, _ fout: Int, labelChannels: Int, hidden: Int, modulationKernel: Int, styleChannels: Int = 0,
         textureNoiseChannels: Int = 0, using rng: inout RandomGenerator) {
        let middle = Swift.min(fin, fout)
        norm0 = SPADE(channels: fin, labelChannels: labelChannels, hidden: hidden, modulationKernel: modulationKernel,
                      styleChannels: styleChannels, textureNoiseChannels: textureNoiseChannels, using: &rng)
        conv0 = Conv2d(fin, middle, kernelSize: 3, padding: 1, using: &rng)
        norm1 = SPADE(channels: middle, labelChannels: labelChannels, hidden: hidden, modulationKernel: modulationKernel,
                      styleChannels: styleChannels, textureNoiseChannels: textureNoiseChannels, using: &rng)
        conv1 = Conv2d(middle, fout, kernelSize: 3, padding: 1, using: &rng)
        if fin != fout {
            normShortcut = SPADE(channels: fin, labelChannels: labelChannels, hidden: hidden,
                                 modulationKernel: modulationKernel, styleChannels: styleChannels,
                                 textureNoiseChannels: textureNoiseChannels, using: &rng)
            convShortcut = Conv2d(fin, fout, kernelSize: 1, bias: false, using: &rng)
        } else {
            normShortcut = nil
            convShortcut = nil
        }
        super.init()
    }

    func callAsFunction(_ x: Tensor, layout: Tensor, style: Tensor? = nil, noise: TextureNoiseLevel? = nil) -> Tensor {
        self(x, modulations: modulations(layout: layout, style: style, noise: noise))
    }

    /// The gamma/beta maps of the block's SPADEs (from the layout, style and noise only).
    struct Modulations {
        var norm0: Tensor
        var norm1: Tensor
        var shortcut: Tensor?
    }

    func modulations(layout: Tensor, style: Tensor?, noise: TextureNoiseLevel?) -> Modulations {
        Modulations(norm0: norm0.gammaBeta(layout: layout, style: style, noise: noise),
                    norm1: norm1.gammaBeta(layout: layout, style: style, noise: noise),
                    shortcut: normShortcut?.gammaBeta(layout: layout, style: style, noise: noise))
    }

    func callAsFunction(_ x: Tensor, modulations m: Modulations) -> Tensor {
        let shortcut: Tensor
        if let normShortcut, let convShortcut, let gammaBeta = m.shortcut {
            shortcut = convShortcut(normShortcut(x, gammaBeta: gammaBeta))
        } else {
            shortcut = x
        }
        let dx = conv0(norm0.activated(x, gammaBeta: m.norm0, slope: 0.2))
        let dy = conv1(norm1.activated(dx, gammaBeta: m.norm1, slope: 0.2))
        return shortcut + dy
    }
}

/// pix2pixHD's residual block (the local generator's trunk): reflect-padded
/// conv3x3 -> IN -> ReLU -> conv3x3 -> IN, added to the input.
final class ResnetBlock: Module {
    let conv0: Conv2d
    let conv1: Conv2d

    init(channels: Int, using rng: inout RandomGenerator) {
        conv0 = Conv2d(channels, channels, kernelSize: 3, padding: 1, paddingMode: .reflect, using: &rng)
        conv1 = Conv2d(channels, channels, kernelSize: 3, padding: 1, paddingMode: .reflect, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        x + instanceNorm(conv1(instanceNorm(conv0(x)).relu()))
    }
}
