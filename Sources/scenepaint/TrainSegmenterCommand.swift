import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Layouts
import Models
import Support
import Tensor
import Training

/// `scenepaint train segmenter`: trains the evaluator on real renders.
struct TrainSegmenterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segmenter",
        abstract: "Train the evaluator segmenter on real renders (used only by 'scenepaint eval').",
        discussion: """
            Writes RUN/checkpoint.safetensors (resumable: weights, Adam state, step) every --checkpoint-every \
            steps and on Ctrl-C/SIGTERM, RUN/segmenter.safetensors (F16 weights for 'scenepaint eval --evaluator') \
            and RUN/log.jsonl. Run it with 'nice -n 10' next to other training.
            """)

    @Option(name: .long, help: "Training pairs: DIR/layouts/NNNNNN.png and DIR/images/NNNNNN.png.") var data: String
    @Option(name: .long, help: "Run directory (checkpoints, log, exported evaluator).") var out: String
    @Option(name: .long, help: ArgumentHelp("Input size S or WxH, multiples of 2^depth (default 128; a resumed run keeps its own).", valueName: "WxH")) var size: Size?
    @Option(name: .long, help: "Images per step.") var batch: Int = 8
    @Option(name: .long, help: "Total optimiser steps of the run.") var steps: Int = 3000
    @Flag(name: .long, help: "Continue the run in --out from its checkpoint.") var resume = false
    @Option(name: .long, help: "Adam learning rate at step 0 (cosine decay to 5%).") var lr: Float = 2e-3
    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.") var checkpointEvery: Int = 200
    @Option(name: .long, help: "Steps between log lines.") var logEvery: Int = 10
    @Option(name: .long, help: "Seed of the weights and the batch order.") var seed: UInt64 = 1
    @Option(name: .customLong("color-jitter"), help: "Colour augmentation strength 0-1 (saturation, contrast, channel gains; see docs/evaluation.md).") var colorJitter: Float = 0
    @Option(name: .long, help: "Channels of the first level (doubling per level, at most 8x).") var width: Int?
    @Option(name: .long, help: "Number of downsamplings.") var depth: Int?
    @Option(name: .long, help: "Validation pairs scored at each checkpoint (e.g. the val split).") var val: String?
    @Option(name: .customLong("val-count"), help: "Validation pairs to score.") var valCount: Int = 64
    @Option(name: .long, help: "Palette name or JSON file (default: the one the layouts name).") var palette: String?
    @OptionGroup var threads: ThreadsOption
    @Option(name: .customLong("init"), help: ArgumentHelp("Start a new run from this evaluator's weights (fine-tuning; its palette, size, width and depth are kept).", valueName: "file"))
    var initialWeights: String?

    func run() throws {
        threads.apply()
        var options = SegmenterTrainingOptions(dataDirectory: data, runDirectory: out)
        options.inputWidth = size?.width
        options.inputHeight = size?.height
        options.baseWidth = width
        options.depth = depth
        options.batchSize = batch
        options.steps = steps
        options.learningRate = lr
        options.checkpointEvery = checkpointEvery
        options.logEvery = logEvery
        options.seed = seed
        options.initialWeights = initialWeights
        guard (0...1).contains(colorJitter) else { throw ValidationError("--color-jitter must be between 0 and 1") }
        options.colorJitter = colorJitter
        let library = try? PaletteLibrary.bundled()
        let explicitPalette = try palette.map { name -> Palette in
            guard let library else { return try Palette.load(path: name) }
            return try library.named(name)
        }
        let trainer = try SegmenterTrainer(options: options, palette: explicitPalette, library: library, resume: resume)
        if let val {
            let validation = try PairedDataset(directory: val, palette: trainer.model.configuration.palette)
            let count = valCount
            trainer.validator = { model in
                let scores = try SegmenterAccuracy.measure(model, on: validation, count: count)
                var result = ["val_miou": scores.meanIoU, "val_pixel_accuracy": scores.pixelAccuracy]
                if let small = scores.smallClassMeanIoU { result["val_miou_small_classes"] = small }
                return result
            }
        }
        let c = trainer.model.configuration
        print("segmenter: \(trainer.dataset.count) pairs in \(data), palette \(c.palette.name) (\(c.classCount) classes), "
              + "input \(c.inputWidth)x\(c.inputHeight), widths \(c.levelWidths), \(trainer.model.parameterCount) parameters, "
              + "BLAS \(BLASInfo.coreName) x\(BLASInfo.threads)")
        let stop = InterruptMonitor(announcement: "\nstopping: writing a checkpoint (signal again to quit at once)",
                                    exitCodeOnRepeat: 130)
        var bar = ProgressBar(total: steps, label: "segmenter", alreadyDone: trainer.step)
        var lastLoss: Float = 0, lastAccuracy = 0.0
        let outcome = try trainer.run(shouldStop: { stop.isInterrupted }) { event in
            switch event {
            case .resumed(let step):
                print("resuming \(out) at step \(step)")
            case .step(let step, _, let loss, let accuracy):
                (lastLoss, lastAccuracy) = (loss, accuracy)
                bar.update(done: step, suffix: String(format: "loss %.3f acc %.1f%%", loss, accuracy * 100))
            case .checkpoint(let step, let scores):
                if !scores.isEmpty {
                    let text = scores.keys.sorted().map { String(format: "%@ %.1f%%", $0, scores[$0]! * 100) }.joined(separator: ", ")
                    FileHandle.standardError.write(Data("\ncheckpoint at step \(step): \(text)\n".utf8))
                }
            }
        }
        bar.finish(done: outcome.step, suffix: String(format: "loss %.3f acc %.1f%%", lastLoss, lastAccuracy * 100))
        print("\(outcome.finished ? "finished" : "stopped") at step \(outcome.step) after "
              + ProgressBar.formatDuration(outcome.seconds) + "; checkpoint \(options.checkpointPath), evaluator \(options.exportPath)")
        if !outcome.finished { throw ExitCode(130) }
    }
}
