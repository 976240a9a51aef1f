import ArgumentParser
import Datasets
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training

extension LGGANConfig.LocalFusion: ExpressibleByArgument {}
extension LGGANConfig.Upsampling: ExpressibleByArgument {}
extension DatasetFormat: ExpressibleByArgument {}
extension LGGANPreset: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train models on the CPU (resumable; see docs/models.md).",
        subcommands: [LGGAN.self, TrainECGANCommand.self, TrainSegmenterCommand.self])

    struct LGGAN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lggan",
            abstract: "Train LGGAN on a layout/image dataset; Ctrl-C saves a checkpoint, --resume continues.",
            discussion: """
            Writes RUN/checkpoint.safetensors (every --checkpoint-every steps and on Ctrl-C/SIGTERM), \
            RUN/model.safetensors (the generator, for 'scenepaint generate --model'), RUN/log.jsonl, \
            RUN/loss-curves.png and RUN/samples/step-N.png (layout | global | local | weights | fused | real).
            """)

        @Option(help: "Dataset directory: layouts/+images/ ('scenepaint dataset synth'), Cityscapes, ADE20K or COCO-Stuff as distributed.")
        var data: String?
        @Option(help: "Dataset layout: paired, cityscapes, ade20k, coco-stuff (default: detected from the directory).")
        var format: DatasetFormat?
        @Option(help: "Split of a real dataset (train/val; default: the training split).")
        var split: String?
        @OptionGroup var training: GANTrainingArguments
        @Option(help: ArgumentHelp("Training crop: N (square) or WxH (Cityscapes: 512x256), sides multiples of the model's size multiple, at most 4096.", valueName: "WxH"))
        var size = Size(width: 128, height: 128)
        @Option(help: "Weight of the local L1 of Eq. 2.")
        var localL1Weight: Float = 10
        @Option(help: "Weight of an L1 between the global image and the real one (default 10; on --resume, the checkpoint's).")
        var globalL1Weight: Float?
        @Option(help: "Compare both L1 anchors after N x N average pooling: they fix colour and layout and leave texture finer than N pixels (flower blooms, texture noise) to the adversarial and feature-matching terms (default 1: per pixel).")
        var l1Pool: Int = 1
        @Option(help: "Weight of discriminator feature matching.")
        var featureMatchingWeight: Float = 10
        @OptionGroup var threads: ThreadsOption

        @Option(help: "Architecture: standard (the shipped CPU model), tiny, or authors (the paper's full size: ngf 64, 9 local blocks, 7x7 kernels, SPADE hidden 128, ndf 64). Options below override it.")
        var preset: LGGANPreset = .standard
        @Option(help: "Model config JSON file (LGGANConfig keys, as in a model file's metadata); replaces --preset.")
        var config: String?
        @Option(help: "Model width ngf (channels at full resolution; standard 16).")
        var width: Int?
        @Option(help: "Local generator ResNet blocks at 1/4 resolution (standard 2).")
        var localBlocks: Int?
        @Option(help: "Kernel of each class's own convolution (standard 5).")
        var classKernel: Int?
        @Option(help: "SPADE hidden width below full resolution (standard 32).")
        var spadeHidden: Int?
        @Option(help: "Upsampling inside the global generator: nearest (SPADE) or bilinear.")
        var globalUpsampling: LGGANConfig.Upsampling?
        @Option(help: "Local fusion: conv (Eq. 4) or sum (Eq. 3).")
        var fusion: LGGANConfig.LocalFusion?
        @Flag(help: "Drop the class-discriminative loss (Eq. 5).")
        var noClassification = false
        @Flag(help: "Drop weight-map fusion (fused = mean of global and local).")
        var noWeightMap = false
        @Flag(help: "Global generator only (ablation S1).")
        var noLocal = false
        @Flag(help: "Local generator only.")
        var noGlobal = false
        @Option(help: "Noise channels (0 = deterministic model).")
        var noise: Int?
        @OptionGroup var style: StyleCodeArguments
        @OptionGroup var texture: TextureNoiseArguments
        @Option(help: "Start the generator from this model file (its architecture; new style-code and texture-noise weights zero, so it starts as that model). The discriminator starts fresh.")
        var initFrom: String?
        @Option(help: "Start the discriminator from this LGGAN checkpoint's (its D.* tensors; same palette and discriminator width). With --init-from, the generator's new data meets a discriminator that already judges this world.")
        var initDiscriminatorFrom: String?
        @Option(help: "First steps that train the discriminator only (default 200 with --init-from, else 0).")
        var discriminatorWarmup: Int?
        @Option(help: "Discriminator width ndf (standard 32).")
        var discriminatorWidth: Int?

        func validate() throws {
            try TrainingNumbers.check(localL1Weight, "--local-l1-weight")
            try TrainingNumbers.check(globalL1Weight, "--global-l1-weight")
            try TrainingNumbers.check(featureMatchingWeight, "--feature-matching-weight")
            try TrainingNumbers.check(discriminatorWarmup, "--discriminator-warmup")
            try texture.validate(initFrom: initFrom)
        }

        func run() throws {
            threads.apply()
            let library = try? PaletteLibrary.bundled()
            guard let dataDirectory = data else { throw ValidationError("--data is required (also when resuming)") }
            let trainer: LGGANTrainer
            let dataset: PairedDataset
            if try training.resumes() {
                trainer = try LGGANTrainer.load(from: training.checkpointPath) { options in
                    training.adjustResumed(&options)
                    if let globalL1Weight { options.globalL1Weight = globalL1Weight }
                }
                // The checkpoint knows its palette; the dataset must use it.
                dataset = try PairedDataset(directory: dataDirectory, palette: trainer.palette, library: library,
                                            source: source(dataDirectory))
                FileHandle.standardError.write(Data("resuming \(training.out) at step \(trainer.step) of \(trainer.options.steps)\n".utf8))
            } else {
                let explicit = try training.palette.map { try (library ?? PaletteLibrary(palettes: [])).named($0) }
                dataset = try PairedDataset(directory: dataDirectory, palette: explicit, library: library,
                                            source: source(dataDirectory))
                if let initFrom {
                    trainer = try warmStartedTrainer(from: initFrom, palette: dataset.palette)
                } else {
                    let config = try makeConfig(classCount: dataset.palette.count)
                    trainer = try LGGANTrainer(config: config, palette: dataset.palette, options: makeOptions(for: config))
                }
                if let initDiscriminatorFrom {
                    try loadDiscriminator(of: trainer, from: initDiscriminatorFrom)
                }
            }
            let sampleSet = try training.sampleData.map { try PairedDataset(directory: $0, palette: dataset.palette, library: library) } ?? dataset
            // Samples at the training size (real datasets' photos are 2048x1024 and larger).
            let (cropW, cropH) = (trainer.options.cropWidth ?? trainer.options.size, trainer.options.size)
            let sampleRows = try (0..<Swift.min(training.samples, sampleSet.count)).map { i in
                let (labels, image) = try sampleSet.pair(i)
                return labels.width * cropH == labels.height * cropW && labels.width <= 2 * cropW
                    ? (labels, image) : (labels.resized(width: cropW, height: cropH), image.resized(width: cropW, height: cropH))
            }
            let trainingRun = try LGGANTrainingRun(trainer: trainer, dataset: dataset, samples: sampleRows, directory: training.out)
            let parameters = trainer.generator.parameterCount, dParameters = trainer.discriminator.parameterCount
            FileHandle.standardError.write(Data("""
                lggan: \(dataset.count) pairs in \(dataDirectory), palette \(trainer.palette.name) (\(trainer.palette.count) classes)
                generator \(parameters) parameters, discriminator \(dParameters); crops \(trainer.options.cropWidth ?? trainer.options.size)x\(trainer.options.size), batch \(trainer.options.batch); convolutions \(trainer.options.precision.rawValue); blas \(BLASInfo.coreName) x\(BLASInfo.threads)

                """.utf8))
            try training.finish(try trainingRun.run(interrupt: InterruptMonitor()), trainer: trainer)
        }

        /// The directory's layout: --format, else detected; --split applies to real datasets.
        func source(_ directory: String) -> any PairSource {
            (format ?? DatasetFormat.detect(directory)).source(split: split)
        }

        /// A trainer whose generator starts as the model in `path` (WarmStart).
        func warmStartedTrainer(from path: String, palette: Palette) throws -> LGGANTrainer {
            let trained = try ModelLoader.loadLGGAN(path: path)
            try PaletteCompatibility.check(palette, of: "the training data", against: trained.palette, of: path)
            let config = try WarmStart.config(from: trained.network.config, styleChannels: style.styleCode,
                                              styleEncoder: style.codeHasEncoder, textureNoiseChannels: texture.textureNoise)
            let trainer = try LGGANTrainer(config: config, palette: palette, options: makeOptions(for: config))
            let summary = try WarmStart.load(trained.network.stateDict(), into: trainer.generator, source: path)
            try texture.startProjections(of: trainer.generator, seed: trainer.options.seed,
                                         trainedChannels: trained.network.config.textureNoiseChannels, source: path)
            FileHandle.standardError.write(Data(("generator from \(path): \(summary.copied) tensors copied, "
                + "\(summary.zeroed) zero (style code and texture noise weights), \(summary.fresh) new (style encoder)\n").utf8))
            return trainer
        }

        /// Copies a checkpoint's discriminator into `trainer` (its optimiser moments start fresh).
        func loadDiscriminator(of trainer: LGGANTrainer, from path: String) throws {
            let file = try SafeTensors.read(path)
            guard file.metadata["format"] == LGGANTrainer.checkpointFormat else {
                throw Failure("\(path): not an LGGAN training checkpoint (format '\(file.metadata["format"] ?? "none")'); --init-discriminator-from needs RUN/checkpoint.safetensors")
            }
            do {
                try trainer.discriminator.loadStateDict(file.tensors, prefix: "D.")
            } catch let error as ModuleStateError {
                throw Failure("\(path): its discriminator does not fit this run (\(error.description))")
            }
            FileHandle.standardError.write(Data("discriminator from \(path)\n".utf8))
        }

        func makeConfig(classCount: Int) throws -> LGGANConfig {
            var c = try config.map { try LGGANConfig.read(path: $0, classCount: classCount) } ?? preset.config(classCount: classCount)
            if let width { c.baseWidth = width }
            if let localBlocks { c.localResBlocks = localBlocks }
            if let classKernel { c.classKernel = classKernel }
            if let spadeHidden { c.spadeHidden = spadeHidden }
            if let fusion { c.localFusion = fusion }
            if let globalUpsampling { c.globalUpsampling = globalUpsampling }
            if noClassification { c.useClassification = false }
            if noWeightMap { c.useWeightMap = false }
            if noLocal { c.useLocal = false }
            if noGlobal { c.useGlobal = false }
            if let noise { c.noiseChannels = noise }
            if let discriminatorWidth { c.discriminatorWidth = discriminatorWidth }
            c.styleChannels = style.styleCode
            c.styleEncoder = style.codeHasEncoder
            if let textureNoise = texture.textureNoise { c.textureNoiseChannels = textureNoise }
            try c.validate()
            let (w, h) = try cropSize()
            guard w % c.sizeMultiple == 0 && h % c.sizeMultiple == 0 else {
                throw ValidationError("--size \(size): sides must be multiples of \(c.sizeMultiple) for this model")
            }
            return c
        }

        /// --size as (width, height).
        func cropSize() throws -> (Int, Int) {
            try size.within(4096, option: "--size").pair
        }

        func makeOptions(for config: LGGANConfig) throws -> LGGANTrainingOptions {
            let (w, h) = try cropSize()
            guard w % 8 == 0 && h % 8 == 0 && w <= 4096 && h <= 4096 else {
                throw ValidationError("--size sides must be positive multiples of 8, at most 4096")
            }
            var o = LGGANTrainingOptions()
            training.apply(to: &o, sampleEveryDefault: 1000)
            o.size = h
            o.cropWidth = w == h ? nil : w
            o.localL1Weight = localL1Weight
            o.globalL1Weight = globalL1Weight ?? 10
            o.featureMatchingWeight = featureMatchingWeight
            guard (1...32).contains(l1Pool) else { throw ValidationError("--l1-pool \(l1Pool): must be 1-32") }
            o.l1Pool = l1Pool
            // The separate (training-only) encoder belongs to the older --noise design.
            o.styleEncoder = style.styleEncoder && style.styleCode == 0
            style.apply(to: &o, textureNoise: config.textureNoiseChannels > 0)
            o.discriminatorWarmupSteps = discriminatorWarmup ?? (initFrom != nil ? 200 : 0)
            return o
        }
    }
}
