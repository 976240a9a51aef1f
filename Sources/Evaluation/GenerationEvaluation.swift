import Datasets
import Foundation
import Generation
import Layouts
import Models
import Support

/// Settings of one evaluation run.
public struct EvaluationOptions: Sendable {
    /// Test pairs to use (the first `count` by file name); nil: all.
    public var count: Int?
    /// Pair i is generated with seed `seed + i`.
    public var seed: UInt64 = 0
    /// Seeds per layout for the diversity measure (models with a noise input only).
    public var diversitySeeds: Int = 4
    /// Layouts used for the diversity measure (the first ones).
    public var diversityLayouts: Int = 16
    /// Classes under this average pixel share are the small-object classes.
    public var smallClassThreshold: Double = 0.02
    public var batchSize: Int = 8
    /// Also score the global and local generators' own images when the model
    /// returns them (LGGAN's branches before the weight-map fusion).
    public var scoreBranches: Bool = false
    /// Resize test layouts (nearest) to this size before generating, e.g. a
    /// model's training size; nil: the layouts' own size.
    public var layoutWidth: Int?
    public var layoutHeight: Int?
    /// Prior (seed) or the posterior of each pair's real image (models with a style encoder).
    public var styleCode: StyleCodeSource = .prior
    /// Names written into the report.
    public var modelName: String = "model"
    public var evaluatorName: String = "segmenter"

    public init() {}
}

/// Progress of an evaluation: images generated so far and in total.
public typealias EvaluationProgress = (_ done: Int, _ total: Int) -> Void

/// Generates an image for each test layout and scores generated and real
/// images with the evaluator segmenter (see `EvaluationReport`).
public enum GenerationEvaluation {
    public static func run(generator: any SceneGenerator, segmenter: Segmenter, dataset: PairedDataset,
                           options: EvaluationOptions, progress: EvaluationProgress = { _, _ in }) throws -> EvaluationReport {
        let start = Date()
        let configuration = segmenter.configuration
        let palette = configuration.palette
        try checkPalettes(generator: generator.palette, evaluator: palette, data: dataset.palette)
        let styleEncoder = try options.styleCode.encoder(of: generator)  // refused here, before any work
        let count = Swift.min(dataset.count, options.count ?? dataset.count)
        guard count >= 1 else { throw Failure("--count must be at least 1") }
        let diversityLayouts = generator.hasNoiseInput && options.diversitySeeds >= 2 ? Swift.min(options.diversityLayouts, count) : 0
        let total = count + diversityLayouts * Swift.max(0, options.diversitySeeds - 1)
        progress(0, total)

        var realMatrix = ConfusionMatrix(classCount: palette.count)
        var generatedMatrix = ConfusionMatrix(classCount: palette.count)
        var branchMatrices: [String: ConfusionMatrix] = [:]
        var realFeatures: [[Double]] = [], generatedFeatures: [[Double]] = []
        var labelMaps: [LabelMap] = []
        var pairGenerators: [any SceneGenerator] = []  // the diversity layouts' (same code source, other seeds)
        var generationSeconds = 0.0
        var imageSize = ""
        var index = 0
        while index < count {
            let chunk = index..<Swift.min(count, index + Swift.max(1, options.batchSize))
            var realImages: [RGBImage] = [], generatedImages: [RGBImage] = [], truths: [[Int]] = []
            var branchImages: [String: [(item: Int, image: RGBImage)]] = [:]
            for i in chunk {
                let (original, real) = try dataset.pair(i)
                let labels = original.resized(width: options.layoutWidth ?? original.width,
                                              height: options.layoutHeight ?? original.height)
                let t0 = Date()
                let pairGenerator = try StyleCodeSource.pairGenerator(generator, encoder: styleEncoder, real: real,
                                                                      path: dataset.imagePath(i))
                if i < diversityLayouts { pairGenerators.append(pairGenerator) }
                let views = try pairGenerator.generate(labels, seed: options.seed &+ UInt64(i), shouldCancel: { false })
                generationSeconds += Date().timeIntervalSince(t0)
                let generated = views.fused
                if options.scoreBranches {
                    for (name, image) in [("global", views.global), ("local", views.local)] {
                        if let image { branchImages[name, default: []].append((truths.count, image)) }
                    }
                }
                imageSize = "\(generated.width)x\(generated.height)"
                // The real image takes the generated image's path to the evaluator
                // (same size first), so both lose the same detail.
                realImages.append(SegmenterInput.resample(real, width: generated.width, height: generated.height))
                generatedImages.append(generated)
                truths.append(SegmenterInput.targets(labels, palette: palette, width: configuration.inputWidth,
                                                     height: configuration.inputHeight))
                labelMaps.append(labels)
                progress(i + 1, total)
            }
            let realResults = segmenter.segment(realImages, batchSize: options.batchSize)
            let generatedResults = segmenter.segment(generatedImages, batchSize: options.batchSize)
            for k in 0..<truths.count {
                realMatrix.add(truth: truths[k], predicted: realResults[k].classes)
                generatedMatrix.add(truth: truths[k], predicted: generatedResults[k].classes)
                realFeatures.append(realResults[k].features)
                generatedFeatures.append(generatedResults[k].features)
            }
            for (name, items) in branchImages {
                let results = segmenter.segment(items.map(\.image), batchSize: options.batchSize)
                for (item, result) in zip(items, results) {
                    branchMatrices[name, default: ConfusionMatrix(classCount: palette.count)].add(truth: truths[item.item], predicted: result.classes)
                }
            }
            index = chunk.upperBound
        }

        let shares = try DatasetClassShares.fromManifest(of: dataset) ?? DatasetClassShares.counted(labelMaps)
        let small = shares.smallClassIDs(in: palette, threshold: options.smallClassThreshold)
        let frechet: Double? = count >= 2 ? try FrechetDistance.distance(realFeatures, generatedFeatures) : nil
        let realHalves: Double? = count >= 4
            ? try FrechetDistance.distance(Array(realFeatures[..<(count / 2)]), Array(realFeatures[(count / 2)...])) : nil

        var diversity: EvaluationReport.SeedDiversity?
        if diversityLayouts > 0 {
            var perLayout: [Double] = []
            for i in 0..<diversityLayouts {
                var images: [RGBImage] = []
                for k in 1..<options.diversitySeeds {
                    let seed = options.seed &+ UInt64(i) &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15
                    let t0 = Date()
                    images.append(try pairGenerators[i].generate(labelMaps[i], seed: seed, shouldCancel: { false }).fused)
                    generationSeconds += Date().timeIntervalSince(t0)
                    progress(count + i * (options.diversitySeeds - 1) + k, total)
                }
                let features = [generatedFeatures[i]] + segmenter.segment(images, batchSize: options.batchSize).map(\.features)
                perLayout.append(Diversity.meanPairwiseDistance(features))
            }
            let mean = perLayout.reduce(0, +) / Double(perLayout.count)
            let spread = Diversity.meanPairwiseDistance(Array(realFeatures.prefix(64)))
            diversity = .init(layouts: diversityLayouts, seeds: options.diversitySeeds, meanPairwiseDistance: mean,
                              realFeatureSpread: spread, relativeToRealSpread: spread > 0 ? mean / spread : 0)
        }

        return EvaluationReport(
            model: options.modelName, data: dataset.directory, evaluator: options.evaluatorName,
            evaluatorInput: "\(configuration.inputWidth)x\(configuration.inputHeight)", palette: palette.name,
            count: count, seed: options.seed, styleCode: options.styleCode.recorded(for: generator), imageSize: imageSize,
            smallClassThreshold: options.smallClassThreshold,
            smallClasses: palette.classes.filter { small.contains($0.id) }.map(\.name),
            classSharesSource: shares.source,
            real: SegmentationScores(realMatrix, palette: palette, shares: shares, smallClassIDs: small),
            generated: SegmentationScores(generatedMatrix, palette: palette, shares: shares, smallClassIDs: small),
            featureFrechetDistance: .init(
                value: frechet, realHalves: realHalves, samples: count, featureDimension: configuration.featureDimension,
                note: "Frechet distance between Gaussians fitted to scenepaint's own segmenter features (global average of its bottleneck) of real vs generated test images; not FID (no Inception network), not comparable with published FID"),
            diversity: diversity,
            branches: branchMatrices.mapValues { SegmentationScores($0, palette: palette, shares: shares, smallClassIDs: small) },
            generationSecondsPerImage: generationSeconds / Double(Swift.max(1, total)),  // total = images generated
            totalSeconds: Date().timeIntervalSince(start))
    }

    /// Model, evaluator and data must name the same classes with the same ids.
    static func checkPalettes(generator: Palette, evaluator: Palette, data: Palette) throws {
        try PaletteCompatibility.check(generator, of: "the model", against: evaluator, of: "the evaluator")
        try PaletteCompatibility.check(data, of: "the test data", against: evaluator, of: "the evaluator")
    }
}
