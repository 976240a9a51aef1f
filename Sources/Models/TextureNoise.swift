import Foundation
import Support
import Tensor

/// Per-pixel texture noise (issue 13, `LGGANConfig.textureNoiseChannels`,
/// `ECGANConfig.textureNoiseChannels`): an i.i.d. N(0, 1) map [N, K, H, W] that
/// gives the generator randomness to build textures from where the layout alone
/// is uniform. Its weights (the SPADE noise projections, LGGAN's local noise
/// modulation) exist only for it: a warm start from a model without noise
/// begins them at zero.
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

/// A generator network with texture noise (LGGAN, ECGAN): the map enters
/// every SPADE of its SPADE stack (`SPADE.noiseProjection`) at that SPADE's
/// resolution. How a seed's map is drawn and made into the stack's pyramid
/// lives here once; each network says how many channels it has and how deep
/// its SPADE stack goes.
public protocol TextureNoiseNetwork: AnyObject {
    /// K, the map's channels (0: the model takes no texture noise).
    var textureNoiseChannels: Int { get }
    /// The SPADE stack's coarsest level: the pyramid has the map at 1/2^k for k in 0...depth.
    var textureNoiseDepth: Int { get }
}

extension TextureNoiseNetwork {
    /// Per-pixel texture noise [N, K, height, width] from a seed (nil when the model takes none).
    public func textureNoise(batch: Int, height: Int, width: Int, seed: UInt64) -> Tensor? {
        guard textureNoiseChannels > 0 else { return nil }
        return TextureNoise.map(channels: textureNoiseChannels, batch: batch, height: height, width: width, seed: seed)
    }

    /// The texture noise map [N, K, H, W] at every level of the SPADE stack
    /// (nil: no noise, which computes exactly what a zero map would: the
    /// projections have no bias; also nil when the model takes none).
    public func texturePyramid(of noise: Tensor?) -> TextureNoisePyramid? {
        guard textureNoiseChannels > 0, let noise else { return nil }
        return TextureNoisePyramid(noise, depth: textureNoiseDepth)
    }

    /// Stops on a map of another shape than the input's (a programming error: callers draw it for the input).
    func checkTextureNoise(_ noises: TextureNoisePyramid?, for input: SemanticInput) {
        guard let noises else { return }
        let expected = [input.batch, textureNoiseChannels, input.height, input.width]
        invariant(noises.map.shape == expected, "texture noise \(noises.map.shape) for \(expected)")
    }
}

/// The last texture noise map a generator drew, as its pyramid: the editor
/// regenerates the same seed at the same size on every stroke, and drawing
/// K x H x W normals costs about as much as a sixth of the forward pass; the
/// pyramid also keeps the noise projections (`TextureNoiseLevel`). Not
/// thread-safe: its generator calls it under its lock.
struct SeedTextureNoise {
    private var last: (seed: UInt64, height: Int, width: Int, pyramid: TextureNoisePyramid?)?

    /// The seed's pyramid at this size (nil for a model without texture noise).
    mutating func pyramid(of network: some TextureNoiseNetwork, seed: UInt64, height: Int, width: Int) -> TextureNoisePyramid? {
        if let last, last.seed == seed, last.height == height, last.width == width { return last.pyramid }
        let pyramid = network.texturePyramid(of: network.textureNoise(batch: 1, height: height, width: width, seed: seed))
        last = (seed, height, width, pyramid)
        return pyramid
    }
}

/// The texture noise map [N, K, H, W] at every level of a SPADE stack, as the
/// generator's layers read it (`TextureNoiseLevel`). Made once per map:
/// the generators keep the seed's pyramid (`SeedTextureNoise`), so the editor's
/// previews of one seed share its levels and their projections.
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
/// the noise convolutions (about 4 ms of a 256x256 preview's single-threaded
/// work, docs/benchmarks.md session 8). A kept output is reused only under the
/// same convolution settings and while the layer's tensors have had no write
/// since (`Tensor.writeCount`, which every in-place write bumps: optimiser
/// steps, model and warm-start loads, `assign`, `fill`, spectral norm), an O(1)
/// check. Storage identity alone would not do: weights are updated in place,
/// never copied on write. The entry holds the layer, so its identity cannot be
/// reused by another layer while the entry lives.
final class TextureNoiseLevel: @unchecked Sendable {
    let map: Tensor
    private let lock = NSLock()
    private var kept: [ObjectIdentifier: Kept] = [:]

    private struct Kept {
        let projection: Conv2d
        let settings: ConvolutionSettings.Snapshot
        let writes: [Int]
        let output: Tensor
    }

    init(_ map: Tensor) { self.map = map }

    /// The write counts of everything the layer's output depends on (weight, bias, spectral-norm state).
    private static func writes(of projection: Conv2d) -> [Int] {
        projection.namedLocalTensors().map { $0.1.writeCount }
    }

    /// projection(map); with a graph to record (training) always computed afresh.
    func projected(through projection: Conv2d) -> Tensor {
        guard !GradMode.isEnabled else { return projection(map) }
        let key = ObjectIdentifier(projection), settings = ConvolutionSettings.snapshot
        let writes = Self.writes(of: projection)
        if let hit = lock.withLock({ kept[key] }), hit.settings == settings, hit.writes == writes {
            return hit.output
        }
        let output = projection(map)
        lock.withLock { kept[key] = Kept(projection: projection, settings: settings, writes: writes, output: output) }
        return output
    }
}
