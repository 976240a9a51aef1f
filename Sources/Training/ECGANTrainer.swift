import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor

/// ECGAN's adversarial training (paper section 3.4): the generator, one
/// multi-modality discriminator for (S, edge) and (S, image), their Adam
/// optimisers, the frozen label generator G_l of the similarity loss and the
/// memory bank of the contrastive losses. One `trainStep` is a G update then a
/// D update. Everything needed to resume is in `save`.
public final class ECGANTrainer: GANTrainer {
    public static let runLabel = "ecgan"
    public let generator: ECGANNetwork
    public let discriminator: MultiscaleDiscriminator
    public let palette: Palette
    public var options: ECGANTrainingOptions
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    /// The style parameters' optimiser (`StyleCodeOptimizers`; models with a style code).
    public let styleOptimizer: Adam?
    /// G_l: a segmenter trained here, frozen (nil without the similarity loss).
    public let labelNetwork: Segmenter?
    public private(set) var step: Int = 0
    /// Detached pixels of earlier batches per contrastive stride (the memory bank), newest last, one entry per image.
    var bank: [Int: [ContrastSample]] = [:]

    public var config: ECGANConfig { generator.config }

    public init(config: ECGANConfig, palette: Palette, options: ECGANTrainingOptions, labelNetwork: Segmenter?) throws {
        guard palette.count == config.classCount else {
            throw Failure("palette \(palette.name) has \(palette.count) classes but the model config \(config.classCount)")
        }
        if config.useSimilarity {
            guard let labelNetwork else {
                throw Failure("the similarity loss needs a label network (--label-network, a segmenter trained with 'scenepaint train segmenter'), or --no-similarity")
            }
            guard labelNetwork.configuration.palette.classes == palette.classes else {
                throw Failure("the label network predicts palette '\(labelNetwork.configuration.palette.name)' but the model uses '\(palette.name)'")
            }
            guard labelNetwork.configuration.inputWidth == options.size && labelNetwork.configuration.inputHeight == options.size else {
                throw Failure("the label network looks at \(labelNetwork.configuration.inputWidth)x\(labelNetwork.configuration.inputHeight) images but training crops are \(options.size)x\(options.size)")
            }
            labelNetwork.eval()
            labelNetwork.setRequiresGrad(false)
            self.labelNetwork = labelNetwork
        } else {
            self.labelNetwork = nil
        }
        try options.checkRanges(sizeMultiple: config.sizeMultiple)
        generator = try ECGANNetwork(config: config, seed: options.seed)
        discriminator = MultiscaleDiscriminator(config: config.backbone, seed: options.seed &+ 1)
        self.palette = palette
        self.options = options
        let optimizers = StyleCodeOptimizers(network: generator, options: options)
        generatorOptimizer = optimizers.generator
        styleOptimizer = optimizers.style
        discriminatorOptimizer = Adam(discriminator, learningRate: options.discriminatorLearningRate,
                                      beta1: options.beta1, beta2: options.beta2)
    }

    /// One G step and one D step; returns the loss terms.
    @discardableResult
    public func trainStep(_ batch: TrainingBatch) -> ECGANLossRecord {
        let rate = options.rateFactor(step: step)
        generatorOptimizer.learningRate = options.generatorLearningRate * rate
        discriminatorOptimizer.learningRate = options.discriminatorLearningRate * rate
        styleOptimizer?.learningRate = options.generatorLearningRate * rate * options.styleLearningRateFactor
        generator.train()
        discriminator.train()
        let n = batch.input.batch, lambda = options.lambda
        var record = ECGANLossRecord()
        var rng = RandomGenerator(seed: Self.stepSeed(options.seed, step: step, stream: 13))

        // Generator update (D frozen; gradients flow through it into the fakes).
        discriminator.setRequiresGrad(false)
        let noiseSeed = Self.stepSeed(options.seed, step: step, stream: 7)
        let style = StyleCodeDraw(network: generator, real: batch.real, seed: noiseSeed, options: options, step: step)
        let texture = generator.trainingTextureNoise(for: batch.input, runSeed: options.seed, step: step)
        let out = generator.forward(batch.input, noise: generator.noise(batch: n, seed: noiseSeed), style: style.code,
                                    textureNoise: texture)
        let layout = batch.input.oneHot
        // The weighted terms of Eq. 7-9 for G: edge (1), I' (1), I'' (lambda), each with its real counterpart.
        var terms: [Tensor] = []
        var generatorTerms: [ModalityTerm] = []
        if let edge = out.edge, let realEdges = batch.edges { generatorTerms.append(ModalityTerm(kind: .edge, image: edge, real: realEdges, weight: 1)) }
        generatorTerms.append(ModalityTerm(kind: .coarse, image: out.coarse, real: batch.real, weight: 1))
        generatorTerms.append(ModalityTerm(kind: .final, image: out.final, real: batch.real, weight: lambda))
        let plan = ModalityPlan(terms: generatorTerms, batch: n, sampled: options.sampledModalities, using: &rng)
        let fakeScored = discriminator(layout: plan.gather(layout), image: plan.gather { $0.image })
        let realScored = GradMode.withoutGrad { discriminator(layout: plan.gather(layout), image: plan.gather { $0.real }) }
        for (k, term) in generatorTerms.enumerated() where plan.count(k) > 0 {
            let features = plan.part(fakeScored, k), real = plan.part(realScored, k)
            let gan = LGGANLosses.generatorAdversarial(features) * options.adversarialWeight
            let fm = LGGANLosses.featureMatching(fake: features, real: real) * options.featureMatchingWeight
            terms.append((gan + fm) * plan.scale(k))
            switch term.kind {
            case .edge: record.ganEdge = gan.scalar * term.weight
            case .coarse: record.ganCoarse = gan.scalar * term.weight
            case .final: record.ganFinal = gan.scalar * term.weight
            }
            record.featureMatching += fm.scalar * term.weight
        }
        for term in generatorTerms {
            let l1 = l1Loss(term.image, term.real) * (options.reconstructionWeight * term.weight)
            terms.append(l1)
            record.reconstruction += l1.scalar
        }
        if let labelNetwork, options.similarityWeight > 0 {
            var sim: [Tensor] = []
            for image in [out.coarse.clamped(min: -1, max: 1), out.final] {
                sim.append(ECGANLosses.similaritySampled(logits: labelNetwork.forward(image).logits, indices: batch.input.indices,
                                                         samples: options.similarityPixels, using: &rng))
            }
            let term = LGGANLosses.sumTensors(sim) * options.similarityWeight
            record.similarity = term.scalar
            terms.append(term)
        }
        if config.useContrastive && options.contrastiveWeight > 0 {
            let (multi, cross) = contrastiveTerms(out.encoderLevels, input: batch.input, using: &rng)
            record.contrastive = multi.scalar * options.contrastiveWeight
            record.crossScale = cross.scalar * options.contrastiveWeight
            terms.append((multi + cross) * options.contrastiveWeight)
        }
        if let classImages = out.classImages {
            let l1 = ECGANLosses.classL1(classImages: classImages, pairs: out.classPairs, real: batch.real, input: batch.input)
                * options.contrastiveWeight
            record.classL1 = l1.scalar
            terms.append(l1)
        }
        if let klTerm = style.klTerm {
            record.kl = klTerm.scalar
            terms.append(klTerm)
        }
        record.styleKL = style.nats
        record.finalL1 = GradMode.withoutGrad { l1Loss(out.final.detach(), batch.real).scalar * 127.5 }
        generatorOptimizer.zeroGrad()
        styleOptimizer?.zeroGrad()
        Tensor.backward(terms)
        generatorOptimizer.step()
        styleOptimizer?.step()

        // Discriminator update (Eq. 7-8 in SPADE's hinge form): (lambda + 1) x real
        // image and 1 x real edge against fake edge, I' and lambda x I''.
        discriminator.setRequiresGrad(true)
        var realTerms = [ModalityTerm(kind: .final, image: batch.real, real: batch.real, weight: 1 + lambda)]
        var fakeTerms: [ModalityTerm] = []
        if let edge = out.edge, let realEdges = batch.edges {
            realTerms.append(ModalityTerm(kind: .edge, image: realEdges, real: realEdges, weight: 1))
            fakeTerms.append(ModalityTerm(kind: .edge, image: edge.detach(), real: realEdges, weight: 1))
        }
        fakeTerms.append(ModalityTerm(kind: .coarse, image: out.coarse.detach(), real: batch.real, weight: 1))
        fakeTerms.append(ModalityTerm(kind: .final, image: out.final.detach(), real: batch.real, weight: lambda))
        let realPlan = ModalityPlan(terms: realTerms, batch: n, sampled: options.sampledModalities, using: &rng)
        let fakePlan = ModalityPlan(terms: fakeTerms, batch: n, sampled: options.sampledModalities, using: &rng)
        let realLayouts = realPlan.gather(layout), fakeLayouts = fakePlan.gather(layout)
        let scoredD = discriminator(layout: Tensor.concat([realLayouts, fakeLayouts], axis: 0),
                                    image: Tensor.concat([realPlan.gather { $0.image }, fakePlan.gather { $0.image }], axis: 0))
        let realRows = realLayouts.shape[0]
        let scoredReal = scoredD.map { layers in layers.map { $0.slice(axis: 0, 0 ..< realRows) } }
        let scoredFake = scoredD.map { layers in layers.map { $0.slice(axis: 0, realRows ..< $0.shape[0]) } }
        let real = LGGANLosses.sumTensors(realTerms.indices.filter { realPlan.count($0) > 0 }.map { k in
            LGGANLosses.discriminatorHinge(realPlan.part(scoredReal, k), real: true) * realPlan.scale(k)
        })
        let fake = LGGANLosses.sumTensors(fakeTerms.indices.filter { fakePlan.count($0) > 0 }.map { k in
            LGGANLosses.discriminatorHinge(fakePlan.part(scoredFake, k), real: false) * fakePlan.scale(k)
        })
        record.discriminatorReal = real.scalar
        record.discriminatorFake = fake.scalar
        discriminatorOptimizer.zeroGrad()
        Tensor.backward([real, fake])
        discriminatorOptimizer.step()
        step += 1
        return record
    }

    /// Eq. 5 (Eq. 4 alone without multi-scale) and Eq. 6 on the encoder's
    /// levels: pixels of this batch as anchors against this batch plus the
    /// memory bank (up to `contrastLayouts` layouts in all).
    func contrastiveTerms(_ levels: [Tensor], input: SemanticInput, using rng: inout RandomGenerator) -> (Tensor, Tensor) {
        let embeddings = generator.contrastEmbeddings(levels)
        var current: [Int: ContrastSample] = [:], perImage: [Int: [ContrastSample]] = [:]
        // Sorted: the pixel draws must not depend on dictionary order (resume reproduces them).
        for (stride, e) in embeddings.sorted(by: { $0.key < $1.key }) {
            let (h, w) = (e.shape[2], e.shape[3])
            let (pixels, labels) = ECGANLosses.samplePixels(indices: input.indices, batch: input.batch, height: input.height,
                                                             width: input.width, toHeight: h, toWidth: w,
                                                             count: options.contrastPixels, using: &rng)
            let rows = l2NormalizedRows(gatherPixels(e, pixels))
            current[stride] = ContrastSample(embeddings: rows, labels: labels)
            // Keep each image's rows (detached) for the bank.
            let detached = rows.detach()
            var start = 0
            var images: [ContrastSample] = []
            while start < pixels.count {
                let image = pixels[start].image
                var end = start
                while end < pixels.count && pixels[end].image == image { end += 1 }
                images.append(ContrastSample(embeddings: detached.slice(axis: 0, start ..< end), labels: Array(labels[start ..< end])))
                start = end
            }
            perImage[stride] = images
        }
        func withBank(_ stride: Int) -> ContrastSample {
            (bank[stride] ?? []).reduce(current[stride]!) { $0.appending($1) }
        }
        let tau = options.temperature
        var multi: [Tensor] = []
        for (stride, weight) in config.contrastScales where current[stride] != nil {
            multi.append(ECGANLosses.contrastive(anchors: current[stride]!, contrast: withBank(stride), temperature: tau,
                                                 sameSet: true) * weight)
        }
        var cross: [Tensor] = []
        for (p, q) in config.crossScalePairs where current[p] != nil && current[q] != nil {
            // Both directions: local anchors against global pixels and back.
            let a = ECGANLosses.contrastive(anchors: current[p]!, contrast: withBank(q), temperature: tau, sameSet: false)
            let b = ECGANLosses.contrastive(anchors: current[q]!, contrast: withBank(p), temperature: tau, sameSet: false)
            cross.append((a + b) * (0.5 * ECGANConfig.crossScaleWeight))
        }
        let keep = Swift.max(0, options.contrastLayouts - input.batch)
        for (stride, images) in perImage {
            bank[stride] = Array(((bank[stride] ?? []) + images).suffix(keep))
        }
        return (LGGANLosses.sumTensors(multi), LGGANLosses.sumTensors(cross))
    }

    // MARK: Checkpoints

    public static let checkpointFormat = "scenepaint-ecgan-training"

    /// Both networks, both optimisers, the label network, step, config,
    /// palette, options. (The memory bank refills within one or two steps; it is not saved.)
    public func save(to path: String) throws {
        var tensors: [String: Tensor] = [:], metadata: [String: String] = [:]
        if let labelNetwork {
            tensors = labelNetwork.stateDict(prefix: "L.")
            for (key, value) in SegmenterCheckpoint.metadata(for: labelNetwork.configuration) { metadata["L." + key] = value }
        }
        try parts.write(to: path, format: Self.checkpointFormat, configJSON: config.encodedJSON(), palette: palette, options: options,
                        step: step, extra: tensors, extraMetadata: metadata)
    }

    var parts: GANCheckpointParts {
        GANCheckpointParts(generator: generator, discriminator: discriminator, generatorOptimizer: generatorOptimizer,
                           discriminatorOptimizer: discriminatorOptimizer, styleOptimizer: styleOptimizer)
    }

    public static func load(from path: String, adjust: (inout ECGANTrainingOptions) -> Void = { _ in }) throws -> ECGANTrainer {
        let file = try SafeTensors.read(path)
        func fail(_ reason: String) -> Failure { CheckpointHeader<ECGANTrainingOptions>.failure(path, reason) }
        let header = try CheckpointHeader<ECGANTrainingOptions>(file: file, path: path, format: checkpointFormat, model: "an ECGAN")
        let config = try ECGANConfig.decode(json: header.configJSON)
        var options = header.options
        adjust(&options)
        var labelNetwork: Segmenter?
        let labelMetadata = Dictionary(uniqueKeysWithValues: file.metadata.compactMap { key, value in
            key.hasPrefix("L.") ? (String(key.dropFirst(2)), value) : nil
        })
        if !labelMetadata.isEmpty {
            let network = try Segmenter(try SegmenterCheckpoint.configuration(from: labelMetadata, path: path))
            do { try network.loadStateDict(file.tensors, prefix: "L.") } catch let error as ModuleStateError { throw fail(error.description) }
            labelNetwork = network
        }
        let trainer = try ECGANTrainer(config: config, palette: header.palette, options: options, labelNetwork: labelNetwork)
        try trainer.parts.restore(from: file, header: header, path: path)
        trainer.step = header.step
        return trainer
    }

    /// Starts the encoder, the SPADE backbone and the style code from a
    /// trained LGGAN's encoder, global generator and style code (`WarmStart`,
    /// `ECGANNetwork.lgganSourceName`): C must equal LGGAN's level-1 width; a
    /// style code or texture noise the LGGAN lacks starts at zero (the style
    /// encoder fresh); an LGGAN's style code is refused unless this ECGAN has
    /// the same, its texture noise unless this ECGAN has the same K or none.
    @discardableResult
    public func warmStart(from lggan: LGGANNetwork, source: String) throws -> WarmStart.Summary {
        let level1 = lggan.config.width(level: 1)
        guard config.featureWidth == level1 else {
            throw Failure("\(source): ECGAN's backbone must match the LGGAN's global generator: pass --feature-width \(level1) (its level-1 width), not \(config.featureWidth)")
        }
        try WarmStart.checkStyleCode(trained: (lggan.config.styleChannels, lggan.config.styleEncoder),
                                     new: (config.styleChannels, config.styleEncoder), source: source)
        try WarmStart.checkTextureNoise(trained: lggan.config.textureNoiseChannels, new: config.textureNoiseChannels, source: source)
        return try WarmStart.load(lggan.stateDict(), into: generator, source: source,
                                  sourceName: ECGANNetwork.lgganSourceName, usesEveryTrainedTensor: false)
    }

    public func sampleSheet(_ samples: [(labels: LabelMap, image: RGBImage)]) throws -> RGBImage {
        defer { generator.train() }
        return try ECGANSampleSheet.render(generator: try ECGANGenerator(network: generator, palette: palette), samples: samples)
    }

    /// The batches carry the Canny edges of the real images when the model has G_e.
    public func prepare(_ batches: BatchPrefetcher, for dataset: PairedDataset) {
        if config.useEdge { batches.edgeDirectory = DatasetEdges.directory(of: dataset.directory) }
    }

    /// The inference model file (generator only).
    public func exportModel(to path: String, dtype: SafeTensorsDType = .f32) throws {
        try ECGANModelFile.write(generator, palette: palette, to: path, dtype: dtype,
                                 metadata: ["step": String(step), "trained": "scenepaint train ecgan"])
    }
}
