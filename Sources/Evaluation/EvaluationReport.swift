/// Everything `scenepaint eval` measures, as written to --json.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// The Fréchet distance between Gaussians fitted to the evaluator's pooled
    /// features of real and generated images. Same formula as FID, different
    /// network: not FID, not comparable with published FID values.
    public struct FeatureFrechet: Sendable, Codable, Equatable {
        public var value: Double?
        /// The same distance between the two halves of the real test images: how
        /// far apart two samples of real scenes are at this sample size (n/2 each,
        /// so it is biased upward relative to `value` at n).
        public var realHalves: Double?
        public var samples: Int
        public var featureDimension: Int
        public var note: String

        enum CodingKeys: String, CodingKey { case value, realHalves = "real_halves", samples, featureDimension = "feature_dimension", note }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value, forKey: .value)
            try c.encode(realHalves, forKey: .realHalves)
            try c.encode(samples, forKey: .samples)
            try c.encode(featureDimension, forKey: .featureDimension)
            try c.encode(note, forKey: .note)
        }
    }

    /// Mean pairwise distance between the evaluator's features of images made
    /// from one layout with different seeds, averaged over layouts; the spread
    /// of real test images (mean pairwise distance between different real
    /// images) gives the scale.
    public struct SeedDiversity: Sendable, Codable, Equatable {
        public var layouts: Int
        public var seeds: Int
        public var meanPairwiseDistance: Double
        public var realFeatureSpread: Double
        /// meanPairwiseDistance / realFeatureSpread.
        public var relativeToRealSpread: Double

        enum CodingKeys: String, CodingKey {
            case layouts, seeds, meanPairwiseDistance = "mean_pairwise_feature_distance"
            case realFeatureSpread = "real_feature_spread", relativeToRealSpread = "relative_to_real_spread"
        }
    }

    public var format = "scenepaint-eval"
    public var version = 1
    public var model: String
    public var data: String
    public var evaluator: String
    public var evaluatorInput: String
    public var palette: String
    public var count: Int
    public var seed: UInt64
    /// Where the style codes came from: scores of the prior and of real images' posteriors do not compare.
    public var styleCode: StyleCodeSource
    public var imageSize: String
    public var smallClassThreshold: Double
    public var smallClasses: [String]
    public var classSharesSource: String
    /// The evaluator on the real test images: the upper bound for generated ones.
    public var real: SegmentationScores
    public var generated: SegmentationScores
    public var featureFrechetDistance: FeatureFrechet
    /// nil for models without a noise input (every seed gives the same image).
    public var diversity: SeedDiversity?
    /// Scores of the model's separate branches ("global", "local") when asked
    /// for and returned by the model; `generated` is always the fused output.
    public var branches: [String: SegmentationScores]
    public var generationSecondsPerImage: Double
    public var totalSeconds: Double

    enum CodingKeys: String, CodingKey {
        case format, version, model, data, evaluator, evaluatorInput = "evaluator_input", palette, count, seed
        case styleCode = "style_code"
        case imageSize = "image_size", smallClassThreshold = "small_class_threshold", smallClasses = "small_classes"
        case classSharesSource = "class_shares_source", real, generated
        case featureFrechetDistance = "segmenter_feature_frechet_distance", diversity, branches
        case generationSecondsPerImage = "generation_seconds_per_image", totalSeconds = "total_seconds"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(version, forKey: .version)
        try c.encode(model, forKey: .model)
        try c.encode(data, forKey: .data)
        try c.encode(evaluator, forKey: .evaluator)
        try c.encode(evaluatorInput, forKey: .evaluatorInput)
        try c.encode(palette, forKey: .palette)
        try c.encode(count, forKey: .count)
        try c.encode(seed, forKey: .seed)
        try c.encode(styleCode, forKey: .styleCode)
        try c.encode(imageSize, forKey: .imageSize)
        try c.encode(smallClassThreshold, forKey: .smallClassThreshold)
        try c.encode(smallClasses, forKey: .smallClasses)
        try c.encode(classSharesSource, forKey: .classSharesSource)
        try c.encode(real, forKey: .real)
        try c.encode(generated, forKey: .generated)
        try c.encode(featureFrechetDistance, forKey: .featureFrechetDistance)
        try c.encode(diversity, forKey: .diversity)  // explicit null: "not measured"
        try c.encode(branches, forKey: .branches)
        try c.encode(generationSecondsPerImage, forKey: .generationSecondsPerImage)
        try c.encode(totalSeconds, forKey: .totalSeconds)
    }
}
