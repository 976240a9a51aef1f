import Tensor

/// SPADE's image encoder for multi-modal generation: during training it encodes
/// the real image into the mean and log-variance of a style vector z, so the
/// reconstruction and feature-matching losses can be met by putting the image's
/// style (time of day, season, weather) into z instead of averaging over it;
/// a KL term keeps z close to N(0, 1), which is what inference samples from a
/// seed. As a child of `LGGANNetwork` (config `styleEncoder`) it is saved in
/// the model file and maps a reference image to z (`generate --style`); the
/// older noise design trains it beside the generator only.
/// stride-2 conv3x3 -> IN -> LeakyReLU(0.2) x4, global average pool, two linear heads.
///
/// The instance norms remove each feature channel's image-wide mean, and with
/// it most of a global colour cast (dusk, winter, haze), the very thing a
/// style is in this world; so the style-code encoder also gives the heads the
/// image's colour statistics (`colourStatistics`).
public final class StyleEncoder: Module {
    let convs: [Conv2d]
    let mean: Linear
    let logVariance: Linear
    let usesColourStatistics: Bool

    public convenience init(config: LGGANConfig, seed: UInt64 = 2) {
        var rng = RandomGenerator(seed: seed)
        self.init(config: config, codeChannels: config.noiseChannels, using: &rng)
        initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
    }

    /// An encoder to `codeChannels` dimensions (initialised by the caller).
    init(config: LGGANConfig, codeChannels: Int, colourStatistics: Bool = false, using rng: inout RandomGenerator) {
        let widths = [3] + (0..<4).map { config.width(level: $0 + 1) }
        convs = (0..<4).map { Conv2d(widths[$0], widths[$0 + 1], kernelSize: 3, stride: 2, padding: 1, using: &rng) }
        let inputs = widths[4] + (colourStatistics ? Self.colourStatisticCount : 0)
        mean = Linear(inputs, codeChannels, using: &rng)
        logVariance = Linear(inputs, codeChannels, using: &rng)
        usesColourStatistics = colourStatistics
        super.init()
    }

    /// The encoder of a network with a style code (config `styleEncoder`; nil
    /// without): the heads also read the image's colour statistics. The network
    /// calls `initializeForStyleCode` after its own initialisation.
    static func forStyleCode(config: LGGANConfig, using rng: inout RandomGenerator) -> StyleEncoder? {
        config.styleEncoder ? StyleEncoder(config: config, codeChannels: config.styleChannels, colourStatistics: true, using: &rng) : nil
    }

    /// After the network's gain-0.02 initialisation: a mean head of gain 1, so
    /// from the first step the code is a spread-out function of the image
    /// (with 0.02 the code is the prior's noise, and the generator learns to
    /// ignore it before the encoder learns anything), and a posterior
    /// standard deviation of 0.5, so the code is more signal than noise.
    /// Adam moves these weights by about the learning rate per step, so the
    /// starting point matters for a run of a few thousand steps.
    func initializeForStyleCode(using rng: inout RandomGenerator) {
        mean.initialize(weights: .xavierNormal(gain: 1), using: &rng)
        logVariance.bias?.fill(-1.4)
    }

    /// image [N, 3, H, W] -> (mean, log variance), each [N, noiseChannels].
    public func callAsFunction(_ image: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        var x = image
        for conv in convs { x = instanceNorm(conv(x)).leakyRelu(slope: 0.2) }
        var pooled = globalAvgPool(x).flattened()
        if usesColourStatistics { pooled = Tensor.concat([pooled, Self.colourStatistics(image)], axis: 1) }
        return (mean(pooled), logVariance(pooled))
    }

    static let colourStatisticCount = 12

    /// Per image: mean and standard deviation of R, G, B, and the mean colour of
    /// the top and the bottom half (sky and ground light), times 3 so a typical
    /// style difference is about 1. [N, 12], a constant (the image needs no gradient).
    static func colourStatistics(_ image: Tensor) -> Tensor {
        let (n, h, w) = (image.shape[0], image.shape[2], image.shape[3])
        let v = image.values, plane = h * w, half = (h / 2) * w
        var out = [Float](repeating: 0, count: n * colourStatisticCount)
        for b in 0..<n {
            for c in 0..<3 {
                let base = (b * 3 + c) * plane
                var sum = 0.0, squares = 0.0, top = 0.0
                for i in 0..<plane {
                    let x = Double(v[base + i])
                    sum += x; squares += x * x
                    if i < half { top += x }
                }
                let mean = sum / Double(plane)
                let o = b * colourStatisticCount
                out[o + c] = Float(3 * mean)
                out[o + 3 + c] = Float(3 * (Swift.max(0, squares / Double(plane) - mean * mean)).squareRoot())
                out[o + 6 + c] = Float(3 * top / Double(Swift.max(1, half)))
                out[o + 9 + c] = Float(3 * (sum - top) / Double(Swift.max(1, plane - half)))
            }
        }
        return Tensor(shape: [n, colourStatisticCount], values: out)
    }

    /// z = mean + exp(logVariance / 2) * eps, as [N, noiseChannels, 1, 1] (the reparameterisation trick).
    public static func sample(mean: Tensor, logVariance: Tensor, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let eps = Tensor.randomNormal(mean.shape, using: &rng)
        let z = mean + (logVariance * 0.5).exp() * eps
        return z.reshaped([mean.shape[0], mean.shape[1], 1, 1])
    }

    /// z = mean + exp(logVariance / 2) * eps, as [N, codeChannels].
    public static func sampleCode(mean: Tensor, logVariance: Tensor, seed: UInt64) -> Tensor {
        sample(mean: mean, logVariance: logVariance, seed: seed).reshaped(mean.shape)
    }

    /// KL per dimension with a free-bits floor (Kingma et al. 2016): each
    /// dimension's KL, averaged over the batch, counts as at least `freeBits`
    /// nats, so nothing is gained by pushing a dimension below the floor and
    /// the code keeps carrying the image's style (the posterior cannot
    /// collapse to the prior, as it did with the first noise design).
    public static func klDivergence(mean: Tensor, logVariance: Tensor, freeBits: Float) -> Tensor {
        guard freeBits > 0 else { return klDivergence(mean: mean, logVariance: logVariance) }
        let terms = 1 + logVariance - mean.squared() - logVariance.exp()
        let perDimension = terms.sum(axes: [0]) * (-0.5 / Float(mean.shape[0]))
        return ((perDimension - freeBits).relu() + freeBits).sum()
    }

    /// KL(N(mean, var) || N(0, 1)) summed over z, averaged over images (SPADE's KLDLoss is the batch sum).
    public static func klDivergence(mean: Tensor, logVariance: Tensor) -> Tensor {
        let terms = 1 + logVariance - mean.squared() - logVariance.exp()
        return terms.sum() * (-0.5 / Float(mean.shape[0]))
    }
}
