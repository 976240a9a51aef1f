import ArgumentParser
import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor
import Training

/// `scenepaint train ecgan`: ECGAN / ECGAN++ on a layout/image dataset, with
/// every component of the paper behind a flag (the ablation B1..B8, docs/ecgan.md).
struct TrainECGANCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgan",
        abstract: "Train ECGAN / ECGAN++ on a layout/image dataset; Ctrl-C saves a checkpoint, --resume continues.",
        discussion: """
        Makes the dataset's Canny edges first if they are not cached (DIR/edges/, see 'scenepaint dataset edges'). \
        Writes RUN/checkpoint.safetensors (every --checkpoint-every steps and on Ctrl-C/SIGTERM), RUN/model.safetensors, \
        RUN/log.jsonl, RUN/loss-curves.png and RUN/samples/step-N.png (layout | edge | I' | I'' | real edge | real). \
        The similarity loss needs --label-network: a segmenter trained with 'scenepaint train segmenter' that is not \
        the evaluator (models/landscape-segmenter.safetensors is refused).
        """)

    @Option(help: "Dataset directory (layouts/, images/, manifest.json).")
    var data: String?
    @OptionGroup var training: GANTrainingArguments
    @Option(help: "Training crop size (square, a multiple of 16).")
    var size: Int = 128
    @Option(help: "Temperature tau of the contrastive losses.")
    var temperature: Float = 0.1
    @Option(help: "Weight of the L1 terms standing in for the perceptual loss (lambda_p).")
    var reconstructionWeight: Float = 10
    @Option(help: "The label generator G_l: a segmenter file trained here (not the evaluator).")
    var labelNetwork: String?
    @OptionGroup var threads: ThreadsOption

    @Flag(help: "ECGAN++: multi-scale and cross-scale contrast (Eq. 5-6) and class-specific pixel generation.")
    var plusPlus = false
    @Flag(help: "The paper's widths (SPADE ngf 64, C = 64, ndf 64) instead of the small CPU default.")
    var paperWidths = false
    @Option(help: "Encoder/backbone width ngf.")
    var width: Int?
    @Option(help: "Channels C of the feature F.")
    var featureWidth: Int?
    @Flag(help: "Ablation: no edge generator G_e (and no transfer G_t).")
    var noEdge = false
    @Flag(help: "Ablation: no feature-level attention transfer.")
    var noFeatureTransfer = false
    @Flag(help: "Ablation: no content-level transfer (Eq. 1).")
    var noContentTransfer = false
    @Flag(help: "Ablation: no semantic preserving module G_s.")
    var noSemanticPreserving = false
    @Flag(help: "Ablation: no label generator / similarity loss (Eq. 2).")
    var noSimilarity = false
    @Flag(help: "Ablation: no contrastive loss (Eq. 4).")
    var noContrastive = false
    @Flag(help: "Multi-scale contrast (Eq. 5; ablation B7) without the rest of ECGAN++.")
    var multiScale = false
    @Flag(help: "Cross-scale contrast (Eq. 6; ablation B8) without the rest of ECGAN++.")
    var crossScale = false
    @Flag(help: "Class-specific pixel generation without the rest of ECGAN++.")
    var classSpecific = false

    @OptionGroup var style: StyleCodeArguments
    @OptionGroup var texture: TextureNoiseArguments

    @Option(help: "Start the encoder and SPADE backbone from this LGGAN model's encoder and global generator, and its style code and texture noise if it has them (then pass the same --style-code and --style-encoder); a new run only; needs --feature-width equal to its level-1 width.")
    var initFrom: String?

    func validate() throws {
        guard size > 0 && size % 16 == 0 else { throw ValidationError("--size must be a positive multiple of 16") }
        // tau divides the contrastive logits: 0 or less would give inf/NaN losses.
        try TrainingNumbers.check(temperature, "--temperature", positive: true)
        try TrainingNumbers.check(reconstructionWeight, "--reconstruction-weight")
        if style.styleEncoder && style.styleCode == 0 {
            throw ValidationError("--style-encoder needs a style code: pass --style-code N (e.g. 16)")
        }
        try texture.validate(initFrom: initFrom)
    }

    func run() throws {
        threads.apply()
        let library = try? PaletteLibrary.bundled()
        guard let dataDirectory = data else { throw ValidationError("--data is required (also when resuming)") }
        let trainer: ECGANTrainer
        let dataset: PairedDataset
        if try training.resumes() {
            trainer = try ECGANTrainer.load(from: training.checkpointPath) { training.adjustResumed(&$0) }
            dataset = try PairedDataset(directory: dataDirectory, palette: trainer.palette, library: library)
            FileHandle.standardError.write(Data("resuming \(training.out) at step \(trainer.step) of \(trainer.options.steps)\n".utf8))
        } else {
            let explicit = try training.palette.map { try (library ?? PaletteLibrary(palettes: [])).named($0) }
            dataset = try PairedDataset(directory: dataDirectory, palette: explicit, library: library)
            let lggan = try initFrom.map { path in
                let lggan = try ModelLoader.loadLGGAN(path: path)
                guard lggan.palette.classes == dataset.palette.classes else {
                    throw Failure("\(path): its palette '\(lggan.palette.name)' is not the dataset's '\(dataset.palette.name)'")
                }
                return (path: path, network: lggan.network)
            }
            let config = try makeConfig(classCount: dataset.palette.count,
                                        textureNoise: texture.textureNoise ?? lggan?.network.config.textureNoiseChannels ?? 0)
            let label = try config.useSimilarity ? loadLabelNetwork() : nil
            trainer = try ECGANTrainer(config: config, palette: dataset.palette, options: makeOptions(for: config), labelNetwork: label)
            if let lggan {
                let summary = try trainer.warmStart(from: lggan.network, source: lggan.path)
                try texture.startProjections(of: trainer.generator, seed: trainer.options.seed,
                                             trainedChannels: lggan.network.config.textureNoiseChannels, source: lggan.path)
                FileHandle.standardError.write(Data(("encoder, backbone, style code and texture noise from \(lggan.path): \(summary.copied) tensors copied, "
                    + "\(summary.zeroed) zero (style code and texture noise weights), \(summary.fresh) new (ECGAN's branches, style encoder)\n").utf8))
            }
        }
        if trainer.config.useEdge {
            let missing = DatasetEdges.missing(in: dataset).count
            if missing > 0 {
                var bar = ProgressBar(total: missing, label: "edges")
                try DatasetEdges.make(for: dataset) { done, _ in bar.update(done: done) }
                bar.finish(done: missing)
            }
        }
        let sampleSet = try PairedDataset(directory: training.sampleData ?? dataDirectory, palette: dataset.palette, library: library)
        let sampleRows = try (0..<Swift.min(training.samples, sampleSet.count)).map { try sampleSet.pair($0) }
        let trainingRun = try ECGANTrainingRun(trainer: trainer, dataset: dataset, samples: sampleRows, directory: training.out)
        FileHandle.standardError.write(Data("""
            ecgan\(trainer.config.useClassSpecific || trainer.config.useMultiScaleContrastive ? "++" : ""): \(dataset.count) pairs in \(dataDirectory), palette \(trainer.palette.name) (\(trainer.palette.count) classes)
            generator \(trainer.generator.parameterCount) parameters, discriminator \(trainer.discriminator.parameterCount); crops \(trainer.options.size), batch \(trainer.options.batch); tau \(trainer.options.temperature); convolutions \(trainer.options.precision.rawValue); blas \(BLASInfo.coreName) x\(BLASInfo.threads)

            """.utf8))
        try training.finish(try trainingRun.run(interrupt: InterruptMonitor()), trainer: trainer)
    }

    /// The label generator: any segmenter file except the evaluator (same bytes as the shipped one).
    func loadLabelNetwork() throws -> Segmenter {
        guard let labelNetwork else {
            throw ValidationError("the similarity loss needs --label-network FILE (a segmenter from 'scenepaint train segmenter'), or pass --no-similarity")
        }
        if let models = ResourceLocator.standard().modelsDirectory,
           let evaluator = FileManager.default.contents(atPath: models + "/landscape-segmenter.safetensors"),
           FileManager.default.contents(atPath: labelNetwork) == evaluator {
            throw Failure("\(labelNetwork): this is the evaluator (models/landscape-segmenter.safetensors); the label network must be another segmenter, so the evaluator stays an independent judge")
        }
        return try SegmenterCheckpoint.load(path: labelNetwork).model
    }

    /// `textureNoise`: K (--texture-noise, else the warm start's, else 0).
    func makeConfig(classCount: Int, textureNoise: Int) throws -> ECGANConfig {
        var c = paperWidths ? ECGANConfig.paper(classCount: classCount, plusPlus: plusPlus)
            : (plusPlus ? ECGANConfig.plusPlus(classCount: classCount) : ECGANConfig.standard(classCount: classCount))
        if let width { c.baseWidth = width }
        if let featureWidth { c.featureWidth = featureWidth }
        c.useEdge = !noEdge
        c.useFeatureTransfer = !noFeatureTransfer
        c.useContentTransfer = !noContentTransfer
        c.useSemanticPreserving = !noSemanticPreserving
        c.useSimilarity = !noSimilarity
        c.useContrastive = !noContrastive
        if multiScale { c.useMultiScaleContrastive = true }
        if crossScale { c.useCrossScaleContrastive = true }
        if classSpecific { c.useClassSpecific = true }
        c.styleChannels = style.styleCode
        c.styleEncoder = style.codeHasEncoder
        c.textureNoiseChannels = textureNoise
        try c.validate()
        return c
    }

    func makeOptions(for config: ECGANConfig) throws -> ECGANTrainingOptions {
        var o = ECGANTrainingOptions()
        training.apply(to: &o, sampleEveryDefault: 500)
        o.size = size
        o.temperature = temperature
        o.reconstructionWeight = reconstructionWeight
        o.labelNetwork = labelNetwork
        style.apply(to: &o, textureNoise: config.textureNoiseChannels > 0)
        return o
    }
}
