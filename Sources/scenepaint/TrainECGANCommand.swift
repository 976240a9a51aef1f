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
    @Option(help: "The dataset's palette (name or JSON file), when its manifest does not say.")
    var palette: String?
    @Option(help: "Run directory for checkpoints, logs and samples.")
    var out: String
    @Flag(help: "Continue from RUN/checkpoint.safetensors (its config and options; --steps and intervals may change).")
    var resume = false
    @Option(help: "Training crop size (square, a multiple of 16).")
    var size: Int = 128
    @Option(help: "Images per step.")
    var batch: Int = 4
    @Option(help: "Total steps of the run (default 10000; on --resume, the checkpoint's).")
    var steps: Int?
    @Option(help: "Dataset whose first layouts make the sample sheets (default: --data).")
    var sampleData: String?
    @Option(help: "Rows of the sample sheet.")
    var samples: Int = 4
    @Option(help: "Checkpoint every K steps (default 200).")
    var checkpointEvery: Int?
    @Option(help: "Sample sheet and generator snapshot every M steps (default 500).")
    var sampleEvery: Int?
    @Option(help: "Log line every L steps (default 10).")
    var logEvery: Int?
    @Option(name: .customLong("lr-g"), help: "Generator learning rate.")
    var generatorRate: Float = 1e-4
    @Option(name: .customLong("lr-d"), help: "Discriminator learning rate.")
    var discriminatorRate: Float = 4e-4
    @Option(help: "Start a linear decay of both rates to zero at --steps from this step.")
    var decayFrom: Int?
    @Option(help: "Temperature tau of the contrastive losses.")
    var temperature: Float = 0.1
    @Option(help: "Weight of the L1 terms standing in for the perceptual loss (lambda_p).")
    var reconstructionWeight: Float = 10
    @Option(help: "The label generator G_l: a segmenter file trained here (not the evaluator).")
    var labelNetwork: String?
    @Option(help: "Seed of the initialisation, data order, crops and pixel draws.")
    var seed: UInt64 = 1
    @Option(help: "BLAS/engine threads.")
    var threads: Int = 2

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

    @Option(help: "Start the encoder and SPADE backbone from this LGGAN model's encoder and global generator, and its style code if it has one (then pass the same --style-code and --style-encoder); a new run only; needs --feature-width equal to its level-1 width.")
    var initFrom: String?

    @Option(help: "After training, also write the generator to this model file.")
    var exportTo: String?
    @Flag(help: "Write --export-to in half precision.")
    var f16 = false

    func validate() throws {
        for (name, value) in [("--batch", batch), ("--steps", steps ?? 1), ("--checkpoint-every", checkpointEvery ?? 1),
                              ("--sample-every", sampleEvery ?? 1), ("--log-every", logEvery ?? 1), ("--threads", threads)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        guard size > 0 && size % 16 == 0 else { throw ValidationError("--size must be a positive multiple of 16") }
        if style.styleEncoder && style.styleCode == 0 {
            throw ValidationError("--style-encoder needs a style code: pass --style-code N (e.g. 16)")
        }
    }

    func run() throws {
        BLASInfo.setThreads(threads)
        let checkpointPath = out + "/" + ECGANTrainingRun.checkpointName
        let library = try? PaletteLibrary.bundled()
        guard let dataDirectory = data else { throw ValidationError("--data is required (also when resuming)") }
        let trainer: ECGANTrainer
        let dataset: PairedDataset
        if resume && FileManager.default.fileExists(atPath: checkpointPath) {
            trainer = try ECGANTrainer.load(from: checkpointPath) { options in
                if let steps { options.steps = steps }
                if let checkpointEvery { options.checkpointEvery = checkpointEvery }
                if let sampleEvery { options.sampleEvery = sampleEvery }
                if let logEvery { options.logEvery = logEvery }
                if let decayFrom { options.decayFrom = decayFrom }
            }
            dataset = try PairedDataset(directory: dataDirectory, palette: trainer.palette, library: library)
            FileHandle.standardError.write(Data("resuming \(out) at step \(trainer.step) of \(trainer.options.steps)\n".utf8))
        } else {
            if FileManager.default.fileExists(atPath: checkpointPath) {
                throw Failure("\(out) already holds a checkpoint: pass --resume to continue it, or choose another --out")
            }
            let explicit = try palette.map { try (library ?? PaletteLibrary(palettes: [])).named($0) }
            dataset = try PairedDataset(directory: dataDirectory, palette: explicit, library: library)
            let config = try makeConfig(classCount: dataset.palette.count)
            let label = try config.useSimilarity ? loadLabelNetwork() : nil
            trainer = try ECGANTrainer(config: config, palette: dataset.palette, options: makeOptions(), labelNetwork: label)
            if let initFrom {
                let lggan = try ModelLoader.loadLGGAN(path: initFrom)
                guard lggan.palette.classes == dataset.palette.classes else {
                    throw Failure("\(initFrom): its palette '\(lggan.palette.name)' is not the dataset's '\(dataset.palette.name)'")
                }
                let summary = try trainer.warmStart(from: lggan.network, source: initFrom)
                FileHandle.standardError.write(Data(("encoder, backbone and style code from \(initFrom): \(summary.copied) tensors copied, "
                    + "\(summary.zeroed) zero (style code weights), \(summary.fresh) new (ECGAN's branches, style encoder)\n").utf8))
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
        let sampleSet = try PairedDataset(directory: sampleData ?? dataDirectory, palette: dataset.palette, library: library)
        let sampleRows = try (0..<Swift.min(samples, sampleSet.count)).map { try sampleSet.pair($0) }
        let run = try ECGANTrainingRun(trainer: trainer, dataset: dataset, samples: sampleRows, directory: out)
        FileHandle.standardError.write(Data("""
            ecgan\(trainer.config.useClassSpecific || trainer.config.useMultiScaleContrastive ? "++" : ""): \(dataset.count) pairs in \(dataDirectory), palette \(trainer.palette.name) (\(trainer.palette.count) classes)
            generator \(trainer.generator.parameterCount) parameters, discriminator \(trainer.discriminator.parameterCount); crops \(trainer.options.size), batch \(trainer.options.batch); tau \(trainer.options.temperature); blas \(BLASInfo.coreName) x\(BLASInfo.threads)

            """.utf8))
        let outcome = try run.run(interrupt: InterruptMonitor())
        switch outcome {
        case .finished(let step): print("finished at step \(step); model: \(out)/\(ECGANTrainingRun.modelName)")
        case .interrupted(let step): print("interrupted: saved step \(step) to \(checkpointPath); continue with --resume")
        }
        if let exportTo {
            try trainer.exportModel(to: exportTo, dtype: f16 ? .f16 : .f32)
            print("wrote \(exportTo)")
        }
        if case .interrupted = outcome { throw ExitCode(130) }
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

    func makeConfig(classCount: Int) throws -> ECGANConfig {
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
        try c.validate()
        return c
    }

    func makeOptions() throws -> ECGANTrainingOptions {
        var o = ECGANTrainingOptions()
        o.size = size
        o.batch = batch
        o.steps = steps ?? 10_000
        o.checkpointEvery = checkpointEvery ?? 200
        o.sampleEvery = sampleEvery ?? 500
        o.logEvery = logEvery ?? 10
        o.generatorLearningRate = generatorRate
        o.discriminatorLearningRate = discriminatorRate
        o.decayFrom = decayFrom
        o.temperature = temperature
        o.reconstructionWeight = reconstructionWeight
        o.labelNetwork = labelNetwork
        o.seed = seed
        style.apply(to: &o)
        return o
    }
}
