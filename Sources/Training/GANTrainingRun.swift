import Datasets
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor

/// How a training run ended.
public enum TrainingOutcome: Equatable {
    case finished(step: Int)
    case interrupted(step: Int)
}

/// The files of a run directory that users open by name.
public enum RunFiles {
    public static let checkpoint = "checkpoint.safetensors"
    public static let model = "model.safetensors"
}

/// A training run on disk (RUN/): the loop around a GAN's trainer (LGGAN's,
/// ECGAN's) with its checkpoints, model exports, log, sample sheets and loss curves.
///
/// RUN/checkpoint.safetensors  everything needed to resume (atomic, every K steps and on exit)
/// RUN/model.safetensors       the generator alone, ready for `scenepaint generate`
/// RUN/models/step-N.safetensors  a generator snapshot at every sample sheet
/// RUN/log.jsonl               loss terms averaged over each log interval
/// RUN/samples/step-N.png      the trainer's sample sheet (LGGAN: layout | global | local | weights | fused | real;
///                             ECGAN: layout | edge | I' | I'' | real edge | real)
/// RUN/loss-curves.png         one panel per loss term
public final class GANTrainingRun<Trainer: GANTrainer> {
    public typealias Outcome = TrainingOutcome
    public static var checkpointName: String { RunFiles.checkpoint }
    public static var modelName: String { RunFiles.model }

    public let trainer: Trainer
    public let directory: String
    public let batches: BatchPrefetcher
    public let samples: [(labels: LabelMap, image: RGBImage)]
    public let log: LossLog<Trainer.Losses>
    /// Prints progress to stderr when true.
    public var showProgress = true

    public init(trainer: Trainer, dataset: PairedDataset, samples: [(labels: LabelMap, image: RGBImage)],
                directory: String) throws {
        try PaletteCompatibility.check(dataset.palette, of: dataset.directory, against: trainer.palette, of: "the model")
        self.trainer = trainer
        self.directory = directory
        self.samples = samples
        for sub in ["", "/samples", "/models"] {
            try AtomicFile.ensureDirectory(directory + sub)
            AtomicFile.removeAbandonedTemporaries(in: directory + sub)
        }
        let options = trainer.options
        batches = BatchPrefetcher(dataset: dataset, size: options.size, width: options.cropWidth, batch: options.batch,
                                  seed: options.seed)
        trainer.prepare(batches, for: dataset)
        log = try LossLog(path: directory + "/log.jsonl", keepingUpTo: trainer.step)
    }

    /// Trains until `options.steps` or an interrupt; always leaves a checkpoint
    /// of the last completed step. Non-finite losses stop the run with an error
    /// before anything is saved over the last good checkpoint.
    public func run(interrupt: InterruptMonitor) throws -> Outcome {
        let options = trainer.options
        var bar = ProgressBar(total: options.steps, label: Trainer.runLabel, alreadyDone: trainer.step)
        let start = Date()
        var intervalStart = Date()
        var sum = Trainer.Losses(), count = 0
        while trainer.step < options.steps && !interrupt.isInterrupted {
            let batch = try batches.batch(for: trainer.step)
            // The one place training's convolution precision is set: forward and backward run inside.
            let record = ConvolutionSettings.with(precision: options.precision) { trainer.trainStep(batch) }
            guard record.named.allSatisfy({ $0.1.isFinite }) else {
                throw Failure("training diverged at step \(trainer.step) (a loss is not finite); the last checkpoint in \(directory) is intact")
            }
            sum = sum + record
            count += 1
            let step = trainer.step
            if step % options.logEvery == 0 || step == options.steps {
                let elapsed = Date().timeIntervalSince(intervalStart)
                log.append(LossLogEntry(step: step, elapsed: Date().timeIntervalSince(start), secondsPerStep: elapsed / Double(count),
                                        learningRateFactor: options.rateFactor(step: step - 1), losses: sum.scaled(1 / Float(count))))
                sum = Trainer.Losses(); count = 0; intervalStart = Date()
            }
            if showProgress { bar.update(done: step, suffix: (log.entries.last?.losses ?? record).progressText) }
            if step % options.checkpointEvery == 0 { try saveCheckpoint() }
            if step % options.sampleEvery == 0 { try writeSamples() }
        }
        try saveCheckpoint()
        if showProgress { bar.finish(done: trainer.step) }
        return interrupt.isInterrupted ? .interrupted(step: trainer.step) : .finished(step: trainer.step)
    }

    /// Checkpoint, model export, log and loss curves, each written atomically.
    /// The log goes first: killed between the two, the log runs ahead of the
    /// checkpoint and the resume drops the extra lines; the other order would
    /// leave a gap in the log.
    public func saveCheckpoint() throws {
        try log.flush()
        try trainer.save(to: directory + "/" + Self.checkpointName)
        try trainer.exportModel(to: directory + "/" + Self.modelName, dtype: .f32)
        if !log.entries.isEmpty {
            try LossCurvePlot.render(entries: log.entries).write(path: directory + "/loss-curves.png")
        }
    }

    /// The sample sheet of the current generator, and a generator snapshot.
    public func writeSamples() throws {
        let name = String(format: "step-%06d", trainer.step)
        try trainer.exportModel(to: directory + "/models/\(name).safetensors", dtype: .f32)
        guard !samples.isEmpty else { return }
        let sheet = try trainer.sampleSheet(samples)
        try sheet.write(path: directory + "/samples/\(name).png")
        try sheet.write(path: directory + "/samples/latest.png")
    }
}

public typealias LGGANTrainingRun = GANTrainingRun<LGGANTrainer>
public typealias ECGANTrainingRun = GANTrainingRun<ECGANTrainer>
