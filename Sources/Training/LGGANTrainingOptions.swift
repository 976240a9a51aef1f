import Foundation
import Models
import Tensor

/// The knobs of an LGGAN training run that are not architecture: optimiser,
/// loss weights, schedule of checkpoints, samples and logs. Saved in every
/// checkpoint so a resumed run continues with the same settings.
public struct LGGANTrainingOptions: GANTrainingOptions, StyleCodeTrainingOptions {
    /// Training crop height (and width, unless `cropWidth` is set) and images per step.
    public var size: Int = 128
    /// Width of non-square crops (Cityscapes trains at 512x256); nil: square.
    public var cropWidth: Int?
    public var batch: Int = 4
    /// Total steps of the run (a resumed run continues to this number).
    public var steps: Int = 10_000
    /// TTUR Adam (paper: G 1e-4, D 4e-4, betas 0 and 0.9).
    public var generatorLearningRate: Float = 1e-4
    public var discriminatorLearningRate: Float = 4e-4
    public var beta1: Float = 0
    public var beta2: Float = 0.9
    /// From this step on, both rates decay linearly to zero at `steps` (nil: constant).
    public var decayFrom: Int?
    /// Loss weights: hinge GAN, feature matching (x10 as SPADE/LGGAN), local L1
    /// (Eq. 2), class CE (Eq. 5). The paper weighs Eq. 2 by 1 next to a VGG
    /// perceptual term (x10) that we cannot have; at 1 the adversarial terms
    /// swamp Eq. 2 and the class outputs stop resembling their regions (measured
    /// on the overfit test), so the default is 10.
    public var adversarialWeight: Float = 1
    public var featureMatchingWeight: Float = 10
    public var localL1Weight: Float = 10
    /// L1 between the global image and the real one. The paper has no such term,
    /// but its VGG loss (x10) anchors the global branch to the real image; without
    /// it only GAN and feature matching reach that branch, and in the default run
    /// it drifted into streaks and wrong colours by step 1500 while the local
    /// branch, anchored by Eq. 2, was clean. This gives the global branch the same
    /// anchor (files without the key: 0).
    public var globalL1Weight: Float = 0
    /// Both L1 anchors (Eq. 2 and the global L1) compare N x N average-pooled
    /// images. Per pixel (1), an L1 against a speckled texture (a flower field's
    /// blooms) is lowest for the region's mean colour, so it pulls the texture
    /// noise's contribution to zero; pooled, it still fixes colour and layout and
    /// leaves detail finer than N pixels to the adversarial and feature-matching terms.
    public var l1Pool: Int = 1
    public var classificationWeight: Float = 1
    /// Hinge GAN terms on the global and local outputs too (paper: yes).
    public var adversarialOnBranches: Bool = true
    /// Train a style encoder (SPADE's VAE) that maps each real image to the
    /// noise input, with a KL term of this weight (SPADE: 0.05); needs a model
    /// with noise channels. Makes the seed choose a style at inference.
    public var styleEncoder: Bool = false
    public var klWeight: Float = 0.05
    /// The style code's KL and learning rate (`StyleCodeTrainingOptions`).
    public var klFreeBits: Float = 0
    public var klWarmupSteps: Int = 0
    public var styleLearningRateFactor: Float = 1
    /// The first steps update the discriminator only (a fresh discriminator
    /// next to a warm-started generator would otherwise feed it noise).
    public var discriminatorWarmupSteps: Int = 0
    /// In the discriminator step, score one randomly chosen fake per image
    /// instead of all three (fused, global, local): the same expected loss,
    /// and the discriminator step - the largest part of a training step - a third cheaper.
    public var sampledDiscriminatorFakes: Bool = true
    /// Every how many steps to checkpoint, write a sample sheet, log a line.
    public var checkpointEvery: Int = 200
    public var sampleEvery: Int = 500
    public var logEvery: Int = 10
    /// Seeds the initialisation, the data order, crops and noise (per step, so a resume continues the same stream).
    public var seed: UInt64 = 1

    /// Number format of the convolutions on oneDNN (`--precision`; files without the key: f32).
    public var precision: ConvolutionPrecision = .f32

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case size, cropWidth, batch, steps, generatorLearningRate, discriminatorLearningRate, beta1, beta2, decayFrom, adversarialWeight, featureMatchingWeight, localL1Weight, globalL1Weight, l1Pool, classificationWeight, adversarialOnBranches, styleEncoder, klWeight, klFreeBits, klWarmupSteps, styleLearningRateFactor, discriminatorWarmupSteps, sampledDiscriminatorFakes, checkpointEvery, sampleEvery, logEvery, seed, precision
    }

    /// Missing keys keep their defaults, so older checkpoints stay readable.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.size, &size)
        try read(.batch, &batch)
        try read(.steps, &steps)
        try read(.generatorLearningRate, &generatorLearningRate)
        try read(.discriminatorLearningRate, &discriminatorLearningRate)
        try read(.beta1, &beta1)
        try read(.beta2, &beta2)
        try read(.adversarialWeight, &adversarialWeight)
        try read(.featureMatchingWeight, &featureMatchingWeight)
        try read(.localL1Weight, &localL1Weight)
        try read(.globalL1Weight, &globalL1Weight)
        try read(.l1Pool, &l1Pool)
        try read(.classificationWeight, &classificationWeight)
        try read(.adversarialOnBranches, &adversarialOnBranches)
        try read(.styleEncoder, &styleEncoder)
        try read(.klWeight, &klWeight)
        try read(.klFreeBits, &klFreeBits)
        try read(.klWarmupSteps, &klWarmupSteps)
        try read(.styleLearningRateFactor, &styleLearningRateFactor)
        try read(.discriminatorWarmupSteps, &discriminatorWarmupSteps)
        try read(.sampledDiscriminatorFakes, &sampledDiscriminatorFakes)
        try read(.checkpointEvery, &checkpointEvery)
        try read(.sampleEvery, &sampleEvery)
        try read(.logEvery, &logEvery)
        try read(.seed, &seed)
        try read(.precision, &precision)
        decayFrom = try c.decodeIfPresent(Int.self, forKey: .decayFrom)
        cropWidth = try c.decodeIfPresent(Int.self, forKey: .cropWidth)
    }
}
