import Tensor

/// SPADE's image encoder for multi-modal generation: during training it encodes
/// the real image into the mean and log-variance of a style vector z, so the
/// reconstruction and feature-matching losses can be met by putting the image's
/// style (time of day, season, weather) into z instead of averaging over it;
/// a KL term keeps z close to N(0, 1), which is what inference samples from a
/// seed. Only training uses it: the model file holds the generator alone.
/// stride-2 conv3x3 -> IN -> LeakyReLU(0.2) x4, global average pool, two linear heads.
public final class StyleEncoder: Module {
    let convs: [Conv2d]
    let mean: Linear
    let logVariance: Linear

    public init(config: LGGANConfig, seed: UInt64 = 2) {
        var rng = RandomGenerator(seed: seed)
        let widths = [3] + (0..<4).map { config.width(level: $0 + 1) }
        convs = (0..<4).map { Conv2d(widths[$0], widths[$0 + 1], kernelSize: 3, stride: 2, padding: 1, using: &rng) }
        mean = Linear(widths[4], config.noiseChannels, using: &rng)
        logVariance = Linear(widths[4], config.noiseChannels, using: &rng)
        super.init()
        initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
    }

    /// image [N, 3, H, W] -> (mean, log variance), each [N, noiseChannels].
    public func callAsFunction(_ image: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        var x = image
        for conv in convs { x = instanceNorm(conv(x)).leakyRelu(slope: 0.2) }
        let pooled = globalAvgPool(x).flattened()
        return (mean(pooled), logVariance(pooled))
    }

    /// z = mean + exp(logVariance / 2) * eps, as [N, noiseChannels, 1, 1] (the reparameterisation trick).
    public static func sample(mean: Tensor, logVariance: Tensor, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let eps = Tensor.randomNormal(mean.shape, using: &rng)
        let z = mean + (logVariance * 0.5).exp() * eps
        return z.reshaped([mean.shape[0], mean.shape[1], 1, 1])
    }

    /// KL(N(mean, var) || N(0, 1)) summed over z, averaged over images (SPADE's KLDLoss is the batch sum).
    public static func klDivergence(mean: Tensor, logVariance: Tensor) -> Tensor {
        let terms = 1 + logVariance - mean.squared() - logVariance.exp()
        return terms.sum() * (-0.5 / Float(mean.shape[0]))
    }
}
