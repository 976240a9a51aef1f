import Tensor

/// SPADE's PatchGAN (NLayerDiscriminator): k4 convolutions with padding 2,
/// stride 2 except the last inner layer, spectral norm on every layer, instance
/// norm on the inner ones, LeakyReLU(0.2); a final k4 convolution to one
/// channel of patch scores. Returns every layer's output (for feature matching);
/// the last is the score map.
final class PatchDiscriminator: Module {
    let convs: [Conv2d]

    init(inChannels: Int, width: Int, maxWidth: Int, layers: Int, using rng: inout RandomGenerator) {
        var convs = [Conv2d(inChannels, width, kernelSize: 4, stride: 2, padding: 2, spectralNorm: true, using: &rng)]
        var channels = width
        for n in 1..<layers {
            let next = Swift.min(channels * 2, maxWidth)
            convs.append(Conv2d(channels, next, kernelSize: 4, stride: n == layers - 1 ? 1 : 2, padding: 2,
                                spectralNorm: true, using: &rng))
            channels = next
        }
        convs.append(Conv2d(channels, 1, kernelSize: 4, stride: 1, padding: 2, spectralNorm: true, using: &rng))
        self.convs = convs
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> [Tensor] {
        var outputs: [Tensor] = []
        var h = x
        for (i, conv) in convs.enumerated() {
            h = conv(h)
            if i == convs.count - 1 { outputs.append(h); break }
            if i > 0 { h = instanceNorm(h) }
            h = h.leakyRelu(slope: 0.2)
            outputs.append(h)
        }
        return outputs
    }
}

/// The semantic-guided discriminator D_s (Eq. 8) as SPADE's multi-scale
/// discriminator: the same PatchGAN design at several scales, the input
/// (layout one-hot concatenated with the image) average-pooled 3x3/2 between them.
public final class MultiscaleDiscriminator: Module {
    let scales: [PatchDiscriminator]

    public init(config: LGGANConfig, seed: UInt64 = 1) {
        var rng = RandomGenerator(seed: seed)
        scales = (0..<config.discriminatorScales).map { _ in
            PatchDiscriminator(inChannels: config.classCount + 3, width: config.discriminatorWidth,
                               maxWidth: config.discriminatorMaxWidth, layers: config.discriminatorLayers, using: &rng)
        }
        super.init()
        initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
    }

    /// layout [N, c, H, W] one-hot, image [N, 3, H, W] -> per scale, the layer outputs (last = scores).
    public func callAsFunction(layout: Tensor, image: Tensor) -> [[Tensor]] {
        var x = Tensor.concat([layout, image], axis: 1)
        var results: [[Tensor]] = []
        for (i, d) in scales.enumerated() {
            results.append(d(x))
            if i + 1 < scales.count {
                x = avgPool2d(x, kernel: 3, stride: 2, padding: 1, countIncludePadding: false)
            }
        }
        return results
    }
}
