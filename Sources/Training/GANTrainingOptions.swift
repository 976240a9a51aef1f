import Foundation
import Support
import Tensor

/// The options every GAN training run has (LGGAN's, ECGAN's): crops and batch,
/// the run's length, the TTUR Adam rates and betas with the optional linear
/// decay, the checkpoint/sample/log intervals and the seed. Each option set
/// stores them under the same keys; what follows from them lives here once.
public protocol GANTrainingOptions: Codable, Sendable, Equatable {
    /// Training crop height (and width, unless `cropWidth` is set) and images per step.
    var size: Int { get set }
    /// Width of non-square crops; nil: square.
    var cropWidth: Int? { get }
    var batch: Int { get set }
    /// Total steps of the run (a resumed run continues to this number).
    var steps: Int { get set }
    var generatorLearningRate: Float { get set }
    var discriminatorLearningRate: Float { get set }
    var beta1: Float { get set }
    var beta2: Float { get set }
    /// From this step on, both rates decay linearly to zero at `steps` (nil: constant).
    var decayFrom: Int? { get set }
    /// Every how many steps to checkpoint, write a sample sheet, log a line.
    var checkpointEvery: Int { get set }
    var sampleEvery: Int { get set }
    var logEvery: Int { get set }
    /// Seeds the initialisation, the data order, crops and noise (per step, so a resume continues the same stream).
    var seed: UInt64 { get set }
    /// Number format of the convolutions on oneDNN during the training steps (bf16: f32 accumulation,
    /// f32 results; master weights, optimiser state, norms and losses stay f32).
    var precision: ConvolutionPrecision { get set }
}

extension GANTrainingOptions {
    /// The learning-rate factor at a step (1, or the linear decay).
    public func rateFactor(step: Int) -> Float {
        LearningRateDecay.factor(step: step, decayFrom: decayFrom, steps: steps)
    }

    public func encodedJSON() -> String { LearningRateDecay.sortedJSON(self) }

    /// Options come from the command line or from a checkpoint being resumed:
    /// a zero interval would divide by zero, a zero size allocate nothing to
    /// train on, a size off the model's multiple fail deep inside the network.
    public func checkRanges(sizeMultiple: Int) throws {
        for side in [size, cropWidth ?? size] {
            guard side >= sizeMultiple && side <= 4096 && side % sizeMultiple == 0 else {
                throw Failure("the crop size \(side) is not a multiple of \(sizeMultiple) in \(sizeMultiple)-4096, which this model's encoder levels need")
            }
        }
        guard batch >= 1 && batch <= 1024, steps >= 0, checkpointEvery >= 1, sampleEvery >= 1, logEvery >= 1 else {
            throw Failure("training options out of range: batch \(batch) (1-1024), steps \(steps), intervals \(checkpointEvery)/\(sampleEvery)/\(logEvery) (at least 1)")
        }
    }
}
