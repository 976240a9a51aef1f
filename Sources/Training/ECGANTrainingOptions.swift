import Foundation
import Tensor

/// The knobs of an ECGAN training run that are not architecture. Saved in
/// every checkpoint so a resumed run continues with the same settings.
/// Missing keys (older checkpoints) keep the defaults.
public struct ECGANTrainingOptions: GANTrainingOptions, StyleCodeTrainingOptions {
    public var size: Int = 128
    /// Square crops only.
    public var cropWidth: Int? { nil }
    public var batch: Int = 4
    public var steps: Int = 10_000
    /// TTUR rates as LGGAN; Adam betas (0, 0.999) as the ECGAN paper says.
    public var generatorLearningRate: Float = 1e-4
    public var discriminatorLearningRate: Float = 4e-4
    public var beta1: Float = 0
    public var beta2: Float = 0.999
    public var decayFrom: Int?
    /// Eq. 8-9: lambda (weight of I'' against I') and lambda_c, s, l, f, p = 1, 1, 1, 10, 10.
    public var lambda: Float = 2
    public var adversarialWeight: Float = 1
    public var similarityWeight: Float = 1
    public var contrastiveWeight: Float = 1
    public var featureMatchingWeight: Float = 10
    /// lambda_p: no pretrained VGG here, so the perceptual terms p(I_e, I'_e) +
    /// p(I, I') + lambda p(I, I'') are L1 distances with the same structure
    /// (LGGAN's docs/models.md: without such an anchor its global branch drifted).
    public var reconstructionWeight: Float = 10
    /// tau of Eq. 4-6 (the paper gives none; 0.1 is the usual supervised-contrastive choice).
    public var temperature: Float = 0.1
    /// Pixels drawn per image and scale for the contrastive losses.
    public var contrastPixels: Int = 64
    /// Layouts whose pixels each contrastive loss sees: the batch plus a memory
    /// bank of the previous steps' (detached) pixels (paper: 8 layouts).
    public var contrastLayouts: Int = 8
    /// Pixels per image for the sampled similarity loss (pairs: pixels^2).
    public var similarityPixels: Int = 128
    /// The label generator G_l: a segmenter trained here (`train segmenter`),
    /// never the evaluator. Its weights are copied into the checkpoint.
    public var labelNetwork: String?
    /// Each image of the batch meets the discriminator once per role instead of
    /// once per term: in G's step as one of I'_e, I', I'' (drawn 1 : 1 : lambda),
    /// in D's step as one real (image or edge, lambda + 1 : 1) and one fake; the
    /// weights make it an unbiased estimate of Eq. 7-9 at a third of D's work (`ModalityPlan`).
    public var sampledModalities: Bool = true
    /// The style code's KL and learning rate, as LGGAN's (`StyleCodeTrainingOptions`; models with a style code).
    public var klWeight: Float = 0.05
    public var klFreeBits: Float = 0
    public var klWarmupSteps: Int = 0
    public var styleLearningRateFactor: Float = 1
    public var checkpointEvery: Int = 200
    public var sampleEvery: Int = 500
    public var logEvery: Int = 10
    public var seed: UInt64 = 1

    /// Number format of the convolutions on oneDNN (`--precision`; files without the key: f32).
    public var precision: ConvolutionPrecision = .f32

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case size, batch, steps, generatorLearningRate, discriminatorLearningRate, beta1, beta2, decayFrom, lambda
        case adversarialWeight, similarityWeight, contrastiveWeight, featureMatchingWeight, reconstructionWeight
        case temperature, contrastPixels, contrastLayouts, similarityPixels, labelNetwork, sampledModalities
        case klWeight, klFreeBits, klWarmupSteps, styleLearningRateFactor
        case checkpointEvery, sampleEvery, logEvery, seed, precision
    }

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
        try read(.lambda, &lambda)
        try read(.adversarialWeight, &adversarialWeight)
        try read(.similarityWeight, &similarityWeight)
        try read(.contrastiveWeight, &contrastiveWeight)
        try read(.featureMatchingWeight, &featureMatchingWeight)
        try read(.reconstructionWeight, &reconstructionWeight)
        try read(.temperature, &temperature)
        try read(.contrastPixels, &contrastPixels)
        try read(.contrastLayouts, &contrastLayouts)
        try read(.similarityPixels, &similarityPixels)
        try read(.sampledModalities, &sampledModalities)
        try read(.klWeight, &klWeight)
        try read(.klFreeBits, &klFreeBits)
        try read(.klWarmupSteps, &klWarmupSteps)
        try read(.styleLearningRateFactor, &styleLearningRateFactor)
        try read(.checkpointEvery, &checkpointEvery)
        try read(.sampleEvery, &sampleEvery)
        try read(.logEvery, &logEvery)
        try read(.seed, &seed)
        try read(.precision, &precision)
        decayFrom = try c.decodeIfPresent(Int.self, forKey: .decayFrom)
        labelNetwork = try c.decodeIfPresent(String.self, forKey: .labelNetwork)
    }
}
