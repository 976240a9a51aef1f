import Models
import Tensor

extension TextureNoiseNetwork {
    /// The texture noise map of a training step (nil for a model without it):
    /// fresh every step, a pure function of (run seed, step), so a resumed run
    /// draws the maps the uninterrupted one would. LGGAN and ECGAN alike.
    func trainingTextureNoise(for input: SemanticInput, runSeed: UInt64, step: Int) -> Tensor? {
        textureNoise(batch: input.batch, height: input.height, width: input.width,
                     seed: LGGANTrainer.stepSeed(runSeed, step: step, stream: 17))
    }
}
