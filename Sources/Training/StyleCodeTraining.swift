import Foundation
import Models
import Support
import Tensor

/// The training options of the style code (issue 15), the same for LGGAN
/// and ECGAN: the KL term's weight, free bits and warm-up, and the style
/// parameters' own learning rate. Both option sets store them under the same keys.
public protocol StyleCodeTrainingOptions {
    var generatorLearningRate: Float { get set }
    var beta1: Float { get set }
    var beta2: Float { get set }
    /// Weight of the KL term (SPADE: 0.05).
    var klWeight: Float { get set }
    /// Free bits of the KL (nats per dimension, batch mean): below the floor a
    /// dimension costs nothing more, so the encoder has no reason to collapse
    /// the posterior onto the prior (0 = plain KL).
    var klFreeBits: Float { get set }
    /// The KL weight rises linearly from 0 to `klWeight` over these first steps
    /// (annealing: the code first learns to carry the style, then is pulled to the prior).
    var klWarmupSteps: Int { get set }
    /// The style parameters (encoder, SPADE projections, local modulation)
    /// learn at this multiple of the generator's rate: Adam moves a weight by
    /// about the rate per step, and these start at zero or fresh next to a
    /// trained generator, in a run of a few thousand steps.
    var styleLearningRateFactor: Float { get set }
}

extension StyleCodeTrainingOptions {
    /// The KL weight at a step (annealed over `klWarmupSteps`).
    public func klWeight(step: Int) -> Float {
        guard klWarmupSteps > 0 else { return klWeight }
        return klWeight * Swift.min(1, Float(step) / Float(klWarmupSteps))
    }
}

/// One training step's style code: the real image's own (the VAE path: the
/// L1 and feature-matching targets are then this image's style, not the mean
/// of all styles), or the prior's when the model has no encoder; nil without a code.
struct StyleCodeDraw {
    var code: Tensor?
    /// The weighted KL term of the objective (models with an encoder).
    var klTerm: Tensor?
    /// The KL in nats, without weight or free bits (for the log).
    var nats: Float = 0

    init(network: some StyleCodedNetwork, real: Tensor, seed: UInt64, options: some StyleCodeTrainingOptions, step: Int) {
        code = network.styleCode(batch: real.shape[0], seed: seed)
        guard let posterior = network.encodeStyle(real) else { return }
        code = StyleEncoder.sampleCode(mean: posterior.mean, logVariance: posterior.logVariance, seed: seed)
        klTerm = StyleEncoder.klDivergence(mean: posterior.mean, logVariance: posterior.logVariance,
                                           freeBits: options.klFreeBits) * options.klWeight(step: step)
        nats = GradMode.withoutGrad {
            StyleEncoder.klDivergence(mean: posterior.mean.detach(), logVariance: posterior.logVariance.detach()).scalar
        }
    }
}

/// The generator's optimisers when it has a style code or texture noise: one for its own
/// parameters, one for the style and texture-noise parameters (`learnsAtTheStyleRate`) at
/// `styleLearningRateFactor` times the rate (nil without a style code), and
/// how the second is kept in a checkpoint ("optS.", step in "optS.steps").
struct StyleCodeOptimizers {
    let generator: Adam
    let style: Adam?

    init(network: Module, options: some StyleCodeTrainingOptions) {
        let named = network.namedParameters()
        let styleNamed = named.filter { Self.learnsAtTheStyleRate($0.0) }
        generator = Adam(namedParameters: named.filter { !Self.learnsAtTheStyleRate($0.0) },
                         learningRate: options.generatorLearningRate, beta1: options.beta1, beta2: options.beta2)
        style = styleNamed.isEmpty ? nil
            : Adam(namedParameters: styleNamed, learningRate: options.generatorLearningRate * options.styleLearningRateFactor,
                   beta1: options.beta1, beta2: options.beta2)
    }

    /// The weights that start at zero or fresh beside a trained generator: the
    /// style code's and the texture noise's (`TextureNoise.isParameter`).
    static func learnsAtTheStyleRate(_ name: String) -> Bool {
        StyleCode.isParameter(name) || TextureNoise.isParameter(name)
    }

    static let prefix = "optS."
    static let stepsKey = "optS.steps"

    /// Adds `optimizer`'s moments and step count to a checkpoint's tensors and metadata.
    static func save(_ optimizer: Adam?, tensors: inout [String: Tensor], metadata: inout [String: String]) {
        guard let optimizer else { return }
        tensors.merge(optimizer.stateDict(prefix: prefix), uniquingKeysWith: { a, _ in a })
        metadata[stepsKey] = String(optimizer.stepCount)
    }

    /// Restores `optimizer` from a checkpoint written by `save`.
    static func load(_ optimizer: Adam?, from file: SafeTensorsFile, fail: (String) -> Failure) throws {
        guard let optimizer else { return }
        guard let steps = file.metadata[stepsKey].flatMap({ Int($0) }) else {
            throw fail("its metadata lacks the style optimiser's step")
        }
        try optimizer.loadStateDict(file.tensors, prefix: prefix, stepCount: steps)
    }
}
