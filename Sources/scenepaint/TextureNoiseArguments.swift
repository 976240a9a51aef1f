import ArgumentParser
import Models
import Support
import Tensor

/// The texture-noise flags (issue 13/15), the same for `train lggan` and `train ecgan`.
struct TextureNoiseArguments: ParsableArguments {
    @Option(help: "Channels K of per-pixel texture noise fed to every SPADE (LGGAN: and the local features) (0-64, 0 = none; with --init-from: default the starting model's, new weights zero).")
    var textureNoise: Int?
    @Option(help: "With --init-from: start the texture-noise projections at N(0, STD) instead of zero (at zero the gradient into them has zero mean, so they only random-walk; default 0).")
    var textureNoiseInit: Float = 0

    /// `initFrom`: the command's --init-from.
    func validate(initFrom: String?) throws {
        if let textureNoise, !(0...64).contains(textureNoise) {
            throw ValidationError("--texture-noise \(textureNoise): must be 0-64 channels")
        }
        guard (0...1).contains(textureNoiseInit) else { throw ValidationError("--texture-noise-init \(textureNoiseInit): must be 0-1") }
        guard textureNoiseInit == 0 || initFrom != nil else {
            throw ValidationError("--texture-noise-init starts the texture noise of a warm start: it needs --init-from")
        }
    }

    /// After a warm start from a model with `trainedChannels` of texture noise: draws the
    /// projections the warm start set to zero from N(0, --texture-noise-init) (0: they stay zero).
    /// A model with texture noise has trained projections, which this would overwrite: refused.
    func startProjections(of generator: Module, seed: UInt64, trainedChannels: Int, source: String) throws {
        guard textureNoiseInit > 0 else { return }
        guard trainedChannels == 0 else {
            throw Failure("--texture-noise-init: \(source) has trained texture noise (\(trainedChannels) channels), which the warm start keeps; leave the flag out")
        }
        var rng = RandomGenerator(seed: seed &+ 17)
        for (name, weight) in generator.namedParameters() where TextureNoise.isParameter(name) {
            weight.assign(Tensor.randomNormal(weight.shape, std: textureNoiseInit, using: &rng))
        }
    }
}
