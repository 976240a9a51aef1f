import Foundation
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

/// The texture noise map [N, K, H, W] at every level of the global generator,
/// as the generator's layers read it (`TextureNoiseLevel`). Made once per map:
/// `LGGANGenerator` keeps the seed's pyramid, so the editor's previews of one
/// seed share its levels and their projections.
public final class TextureNoisePyramid: @unchecked Sendable {
    /// The full-resolution map (level 0).
    public var map: Tensor { levels[0].map }
    let levels: [TextureNoiseLevel]

    init(_ noise: Tensor, depth: Int) {
        levels = TextureNoise.pyramid(noise, depth: depth).map(TextureNoiseLevel.init)
    }

    subscript(level: Int) -> TextureNoiseLevel { levels[level] }
}

/// The texture noise at one resolution. What a layer adds from it is a
/// convolution of the map alone (SPADE's noise projection, the local
/// generator's noise modulation): in inference that output is kept, per layer,
/// for as long as the level lives, so a seed's second and later previews skip
/// the ten noise convolutions (about 4 ms of a 256x256 preview's single-threaded
/// work, docs/benchmarks.md session 8). A kept output is reused only under the
/// same convolution settings and the same weights, compared value for value
/// (a few thousand floats), so a changed model never reads a stale one.
final class TextureNoiseLevel: @unchecked Sendable {
    let map: Tensor
    private let lock = NSLock()
    private var kept: [ObjectIdentifier: (settings: ConvolutionSettings.Snapshot, weights: [Float], output: Tensor)] = [:]

    init(_ map: Tensor) { self.map = map }

    /// projection(map); with a graph to record (training) always computed afresh.
    func projected(through projection: Conv2d) -> Tensor {
        guard !GradMode.isEnabled else { return projection(map) }
        let key = ObjectIdentifier(projection), settings = ConvolutionSettings.snapshot
        let weights = projection.weight.values + (projection.bias?.values ?? [])
        if let hit = lock.withLock({ kept[key] }), hit.settings == settings, hit.weights == weights {
            return hit.output
        }
        let output = projection(map)
        lock.withLock { kept[key] = (settings, weights, output) }
        return output
    }
}
