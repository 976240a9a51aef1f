import ArgumentParser
import Training

/// The style-code flags (issue 15), the same for `train lggan` and `train ecgan`.
struct StyleCodeArguments: ParsableArguments {
    @Flag(help: "Train a style encoder (SPADE's VAE): into the style code with --style-code (kept in the model file, for 'generate --style'); LGGAN also: into --noise.")
    var styleEncoder = false
    @Option(help: "Size of the per-image style code fed to every SPADE modulation (and LGGAN's local features) (0 = none; docs/models.md).")
    var styleCode: Int = 0
    @Option(help: "Weight of the style encoder's KL term.")
    var klWeight: Float = 0.05
    @Option(help: "Free bits of the style KL, nats per code dimension (default 0.25 with --style-code).")
    var klFreeBits: Float?
    @Option(help: "Steps over which the KL weight rises from 0 (default 500 with --style-code).")
    var klWarmup: Int?
    @Option(help: "Learning rate of the style parameters (encoder, SPADE projections, LGGAN's local modulation, and the texture-noise projections) as a multiple of --lr-g (default 10 with --style-code or --texture-noise).")
    var styleLearningRateFactor: Float?

    /// Finite, non-negative KL and rate numbers (the parser calls it for train lggan and train ecgan).
    func validate() throws {
        try TrainingNumbers.check(klWeight, "--kl-weight")
        try TrainingNumbers.check(klFreeBits, "--kl-free-bits")
        try TrainingNumbers.check(klWarmup, "--kl-warmup")
        try TrainingNumbers.check(styleLearningRateFactor, "--style-learning-rate-factor", positive: true)
    }

    /// The encoder belongs to the style code when there is one.
    var codeHasEncoder: Bool { styleEncoder && styleCode > 0 }

    /// Sets the KL and style-rate options (defaults that differ with a style code). The style
    /// rate also drives the texture noise's projections (`textureNoise`: the model has them),
    /// which likewise start at zero beside a trained generator.
    func apply(to options: inout some StyleCodeTrainingOptions, textureNoise: Bool = false) {
        options.klWeight = klWeight
        options.klFreeBits = klFreeBits ?? (styleCode > 0 ? 0.25 : 0)
        options.klWarmupSteps = klWarmup ?? (styleCode > 0 ? 500 : 0)
        options.styleLearningRateFactor = styleLearningRateFactor ?? (styleCode > 0 || textureNoise ? 10 : 1)
    }
}
