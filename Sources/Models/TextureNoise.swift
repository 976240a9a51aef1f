import Tensor

/// Per-pixel texture noise (issue 13, `LGGANConfig.textureNoiseChannels`): an
/// i.i.d. N(0, 1) map [N, K, H, W] that gives the generator randomness to build
/// textures from where the layout alone is uniform. Its weights (the SPADE
/// noise projections, the local noise modulation) exist only for it: a warm
/// start from a model without noise begins them at zero.
public enum TextureNoise {
    /// The map for a seed: a pure function of (seed, shape), so the same seed
    /// and layout size give the same bits. The seed is mixed first so the map
    /// is not drawn from the same stream as the style code of that seed.
    public static func map(channels: Int, batch: Int, height: Int, width: Int, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: (seed ^ 0x7465_7874_7572_6531) &* 0x9E37_79B9_7F4A_7C15)
        return Tensor.randomNormal([batch, channels, height, width], using: &rng)
    }

    /// The full-resolution map at 1/2^k for k in 0...depth, subsampled by
    /// nearest (not averaged), so every level keeps unit variance.
    static func pyramid(_ noise: Tensor, depth: Int) -> [Tensor] {
        let (h, w) = (noise.shape[2], noise.shape[3])
        return (0...depth).map { k in k == 0 ? noise : resizeNearest(noise, height: h >> k, width: w >> k) }
    }

    /// Parameters that exist only for the texture noise.
    public static func isParameter(_ name: String) -> Bool {
        name.contains("noiseProjection.") || name.contains("noiseModulation.")
    }
}
