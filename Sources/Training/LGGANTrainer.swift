import Foundation
import Layouts
import Models
import Support
import Tensor

/// One training batch: layouts and the matching real images [N, 3, H, W] in -1...1
/// (and, for ECGAN, their Canny edges [N, 3, H, W]: 1 on edges, -1 elsewhere).
public struct TrainingBatch {
    public var input: SemanticInput
    public var real: Tensor
    public var edges: Tensor?

    public init(input: SemanticInput, real: Tensor, edges: Tensor? = nil) {
        self.input = input
        self.real = real
        self.edges = edges
    }
}

/// LGGAN's adversarial training: generator, multi-scale discriminator, their
/// TTUR Adam optimisers and the step counter; one `trainStep` is a G update
/// then a D update (SPADE's order). Everything needed to resume is in `save`.
public final class LGGANTrainer: GANTrainer {
    public static let runLabel = "lggan"
    public let generator: LGGANNetwork
    public let discriminator: MultiscaleDiscriminator
    public let palette: Palette
    public var options: LGGANTrainingOptions
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    /// The separate style encoder of the older noise design (`options.styleEncoder`).
    public let styleEncoder: StyleEncoder?
    /// That encoder's optimiser, or, for a model with a style code, the
    /// optimiser of the style parameters (`StyleCode.isParameter`) at
    /// `styleLearningRateFactor` times the generator's rate.
    let styleOptimizer: Adam?
    public private(set) var step: Int = 0

    public var config: LGGANConfig { generator.config }

    public init(config: LGGANConfig, palette: Palette, options: LGGANTrainingOptions) throws {
        guard palette.count == config.classCount else {
            throw Failure("palette \(palette.name) has \(palette.count) classes but the model config \(config.classCount)")
        }
        try options.checkRanges(sizeMultiple: config.sizeMultiple)
        generator = try LGGANNetwork(config: config, seed: options.seed)
        discriminator = MultiscaleDiscriminator(config: config, seed: options.seed &+ 1)
        self.palette = palette
        self.options = options
        let optimizers = StyleCodeOptimizers(network: generator, options: options)
        generatorOptimizer = optimizers.generator
        discriminatorOptimizer = Adam(discriminator, learningRate: options.discriminatorLearningRate,
                                      beta1: options.beta1, beta2: options.beta2)
        if options.styleEncoder {
            guard config.styleChannels == 0 else {
                throw Failure("a model with a style code has its style encoder inside the generator: train it without the separate one")
            }
            guard config.noiseChannels > 0 else {
                throw Failure("a style encoder needs a model with noise channels (--noise N)")
            }
            let encoder = StyleEncoder(config: config, seed: options.seed &+ 2)
            styleEncoder = encoder
            styleOptimizer = Adam(encoder, learningRate: options.generatorLearningRate, beta1: options.beta1, beta2: options.beta2)
        } else {
            styleEncoder = nil
            styleOptimizer = optimizers.style
        }
    }

    /// One G step and one D step on a batch; returns the loss terms.
    @discardableResult
    public func trainStep(_ batch: TrainingBatch) -> LossRecord {
        let rate = options.rateFactor(step: step)
        generatorOptimizer.learningRate = options.generatorLearningRate * rate
        discriminatorOptimizer.learningRate = options.discriminatorLearningRate * rate
        styleOptimizer?.learningRate = options.generatorLearningRate * rate * (styleEncoder == nil ? options.styleLearningRateFactor : 1)
        generator.train()
        discriminator.train()
        let n = batch.input.batch
        var record = LossRecord()

        // Generator update: D frozen, gradients flow through it into the fakes.
        discriminator.setRequiresGrad(false)
        let noiseSeed = Self.stepSeed(options.seed, step: step, stream: 7)
        var noise = generator.noise(batch: n, seed: noiseSeed)
        let style = StyleCodeDraw(network: generator, real: batch.real, seed: noiseSeed, options: options, step: step)
        var klTerm = style.klTerm
        record.styleKL = style.nats
        if let styleEncoder {
            let (mean, logVariance) = styleEncoder(batch.real)
            noise = StyleEncoder.sample(mean: mean, logVariance: logVariance, seed: noiseSeed)
            klTerm = StyleEncoder.klDivergence(mean: mean, logVariance: logVariance) * options.klWeight
        }
        let texture = generator.trainingTextureNoise(for: batch.input, runSeed: options.seed, step: step)
        let out = generator.forward(batch.input, noise: noise, style: style.code, textureNoise: texture)
        var fakes: [(kind: Int, image: Tensor)] = [(0, out.fused)]
        if options.adversarialOnBranches {
            if let g = out.global, out.local != nil { fakes.append((1, g)) }
            if let l = out.local, out.global != nil { fakes.append((2, l)) }
        }
        // The real image's features (for feature matching) need no backward: scored apart, without a graph.
        let realFeatures = GradMode.withoutGrad { discriminator(layout: batch.input.oneHot, image: batch.real) }
        let fakeLayouts = Tensor.concat(Array(repeating: batch.input.oneHot, count: fakes.count), axis: 0)
        let scored = discriminator(layout: fakeLayouts, image: Tensor.concat(fakes.map(\.image), axis: 0))
        var terms: [Tensor] = []
        for (j, fake) in fakes.enumerated() {
            let features = Self.part(scored, j, n)
            let gan = LGGANLosses.generatorAdversarial(features)
            let fm = LGGANLosses.featureMatching(fake: features, real: realFeatures) * options.featureMatchingWeight
            terms += [gan * options.adversarialWeight, fm]
            switch fake.kind {
            case 0: record.ganFused = gan.scalar
            case 1: record.ganGlobal = gan.scalar
            default: record.ganLocal = gan.scalar
            }
            record.featureMatching += fm.scalar
        }
        if let classImages = out.classImages, options.localL1Weight > 0 {
            let l1 = LGGANLosses.localL1(classImages: classImages, real: batch.real, input: batch.input,
                                         pool: options.l1Pool) * options.localL1Weight
            record.localL1 = l1.scalar
            terms.append(l1)
        }
        if let global = out.global, options.globalL1Weight > 0 {
            let l1 = LGGANLosses.pooledL1(global, batch.real, pool: options.l1Pool) * options.globalL1Weight
            record.globalL1 = l1.scalar
            terms.append(l1)
        }
        if let logits = out.classLogits, options.classificationWeight > 0 {
            let ce = LGGANLosses.classification(logits: logits, pairs: out.classPairs, batch: n,
                                                ignoring: palette.ignoreID.flatMap { palette.position(ofID: $0) }) * options.classificationWeight
            record.classification = ce.scalar
            terms.append(ce)
        }
        if let klTerm {
            record.kl = klTerm.scalar
            terms.append(klTerm)
        }
        record.fusedL1 = GradMode.withoutGrad { l1Loss(out.fused.detach(), batch.real).scalar * 127.5 }
        if step >= options.discriminatorWarmupSteps {
            generatorOptimizer.zeroGrad()
            styleOptimizer?.zeroGrad()
            Tensor.backward(terms)
            generatorOptimizer.step()
            styleOptimizer?.step()
        }

        // Discriminator update on the same (now constant) fakes. With
        // `sampledDiscriminatorFakes`, each image contributes one of its fakes
        // (fused, global or local, drawn per step): an unbiased estimate of the
        // mean of the three hinge terms at a third of their cost.
        discriminator.setRequiresGrad(true)
        var fakeImages = fakes.map { $0.image.detach() }
        if options.sampledDiscriminatorFakes && fakes.count > 1 {
            var rng = RandomGenerator(seed: Self.stepSeed(options.seed, step: step, stream: 11))
            fakeImages = [Tensor.concat((0..<n).map { i in
                fakeImages[rng.nextInt(below: fakes.count)].slice(axis: 0, i ..< i + 1)
            }, axis: 0)]
        }
        let images = Tensor.concat([batch.real] + fakeImages, axis: 0)
        let layouts = Tensor.concat(Array(repeating: batch.input.oneHot, count: fakeImages.count + 1), axis: 0)
        let scoredD = discriminator(layout: layouts, image: images)
        let real = LGGANLosses.discriminatorHinge(Self.part(scoredD, 0, n), real: true)
        var fakeTerms: [Tensor] = []
        for j in 0..<fakeImages.count {
            fakeTerms.append(LGGANLosses.discriminatorHinge(Self.part(scoredD, j + 1, n), real: false))
        }
        let fake = LGGANLosses.sumTensors(fakeTerms) * (1 / Float(fakeImages.count))
        record.discriminatorReal = real.scalar
        record.discriminatorFake = fake.scalar
        discriminatorOptimizer.zeroGrad()
        Tensor.backward([real, fake])
        discriminatorOptimizer.step()
        step += 1
        return record
    }

    /// Images j*n..<(j+1)*n of every discriminator output.
    static func part(_ scored: [[Tensor]], _ j: Int, _ n: Int) -> [[Tensor]] {
        scored.map { layers in layers.map { $0.slice(axis: 0, j * n ..< (j + 1) * n) } }
    }

    // MARK: Checkpoints

    public static let checkpointFormat = "scenepaint-lggan-training"

    /// Everything needed to resume: both networks, both optimisers' moments
    /// and step counts, the step, config, palette and options. (Randomness is
    /// derived from the seed and the step, so no generator state is needed.)
    public func save(to path: String) throws {
        try parts.write(to: path, format: Self.checkpointFormat, configJSON: config.encodedJSON(), palette: palette, options: options,
                        step: step, extra: styleEncoder?.stateDict(prefix: "S.") ?? [:])
    }

    var parts: GANCheckpointParts {
        GANCheckpointParts(generator: generator, discriminator: discriminator, generatorOptimizer: generatorOptimizer,
                           discriminatorOptimizer: discriminatorOptimizer, styleOptimizer: styleOptimizer)
    }

    /// Restores a trainer from `save`'s file. `adjust` may change options that
    /// do not affect the state (steps, intervals) before training continues.
    public static func load(from path: String, adjust: (inout LGGANTrainingOptions) -> Void = { _ in }) throws -> LGGANTrainer {
        let file = try SafeTensors.read(path)
        let header = try CheckpointHeader<LGGANTrainingOptions>(file: file, path: path, format: checkpointFormat, model: "an LGGAN")
        let config: LGGANConfig
        do {
            config = try LGGANConfig.decode(json: header.configJSON, fileTensors: file.tensors)
        } catch let error as ModelConfigError {
            throw CheckpointHeader<LGGANTrainingOptions>.failure(path, error.message)
        }
        var options = header.options
        adjust(&options)
        let trainer = try LGGANTrainer(config: config, palette: header.palette, options: options)
        try trainer.parts.restore(from: file, header: header, path: path)
        do {
            try trainer.styleEncoder?.loadStateDict(file.tensors, prefix: "S.")
        } catch let error as ModuleStateError {
            throw CheckpointHeader<LGGANTrainingOptions>.failure(path, error.description)
        }
        trainer.step = header.step
        return trainer
    }

    public func sampleSheet(_ samples: [(labels: LabelMap, image: RGBImage)]) throws -> RGBImage {
        defer { generator.train() }
        return try SampleSheet.render(generator: try LGGANGenerator(network: generator, palette: palette), samples: samples)
    }

    /// The inference model file (generator only).
    public func exportModel(to path: String, dtype: SafeTensorsDType = .f32) throws {
        try LGGANModelFile.write(generator, palette: palette, to: path, dtype: dtype,
                                 metadata: ["step": String(step), "trained": "scenepaint train lggan"])
    }
}
