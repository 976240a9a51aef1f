import Datasets
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor

/// A training run on disk (RUN/): the loop around `LGGANTrainer` with its
/// checkpoints, model exports, log, sample sheets and loss curves.
///
/// RUN/checkpoint.safetensors  everything needed to resume (atomic, every K steps and on exit)
/// RUN/model.safetensors       the generator alone, ready for `scenepaint generate`
/// RUN/models/step-N.safetensors  a generator snapshot at every sample sheet
/// RUN/log.jsonl               loss terms averaged over each log interval
/// RUN/samples/step-N.png      layout | global | local | weights | fused | real
/// RUN/loss-curves.png         one panel per loss term
public final class LGGANTrainingRun {
    public static let checkpointName = "checkpoint.safetensors"
    public static let modelName = "model.safetensors"

    public let trainer: LGGANTrainer
    public let directory: String
    public let batches: BatchPrefetcher
    public let samples: [(labels: LabelMap, image: RGBImage)]
    public let log: TrainingLog
    /// Prints progress to stderr when true.
    public var showProgress = true

    public enum Outcome: Equatable {
        case finished(step: Int)
        case interrupted(step: Int)
    }

    public init(trainer: LGGANTrainer, dataset: PairedDataset, samples: [(labels: LabelMap, image: RGBImage)],
                directory: String) throws {
        try PaletteCompatibility.check(dataset.palette, of: dataset.directory, against: trainer.palette, of: "the model")
        self.trainer = trainer
        self.directory = directory
        self.samples = samples
        for sub in ["", "/samples", "/models"] {
            try AtomicFile.ensureDirectory(directory + sub)
            AtomicFile.removeAbandonedTemporaries(in: directory + sub)
        }
        batches = BatchPrefetcher(dataset: dataset, size: trainer.options.size, width: trainer.options.cropWidth,
                                  batch: trainer.options.batch,
                                  seed: trainer.options.seed)
        log = try TrainingLog(path: directory + "/log.jsonl", keepingUpTo: trainer.step)
    }

    /// Trains until `options.steps` or an interrupt; always leaves a checkpoint
    /// of the last completed step. Non-finite losses stop the run with an error
    /// before anything is saved over the last good checkpoint.
    public func run(interrupt: InterruptMonitor) throws -> Outcome {
        let options = trainer.options
        var bar = ProgressBar(total: options.steps, label: "lggan", alreadyDone: trainer.step)
        let start = Date()
        var intervalStart = Date()
        var sum = LossRecord(), count = 0
        while trainer.step < options.steps && !interrupt.isInterrupted {
            let batch = try batches.batch(for: trainer.step)
            let record = trainer.trainStep(batch)
            guard record.named.allSatisfy({ $0.1.isFinite }) else {
                throw Failure("training diverged at step \(trainer.step) (a loss is not finite); the last checkpoint in \(directory) is intact")
            }
            sum = Self.add(sum, record)
            count += 1
            let step = trainer.step
            if step % options.logEvery == 0 || step == options.steps {
                let elapsed = Date().timeIntervalSince(intervalStart)
                log.append(TrainingLogEntry(step: step, elapsed: Date().timeIntervalSince(start),
                                            secondsPerStep: elapsed / Double(count),
                                            learningRateFactor: options.rateFactor(step: step - 1),
                                            losses: Self.scale(sum, 1 / Float(count))))
                sum = LossRecord(); count = 0; intervalStart = Date()
            }
            if showProgress {
                let r = log.entries.last?.losses ?? record
                bar.update(done: step, suffix: String(format: "G %.2f D %.2f/%.2f fm %.2f l1 %.3f/%.3f ce %.2f |fused-real| %.1f",
                                                      r.ganFused, r.discriminatorReal, r.discriminatorFake,
                                                      r.featureMatching, r.localL1, r.globalL1, r.classification, r.fusedL1))
            }
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
        try trainer.exportModel(to: directory + "/" + Self.modelName)
        if !log.entries.isEmpty {
            try LossCurvePlot.render(entries: log.entries).write(path: directory + "/loss-curves.png")
        }
    }

    /// The sample sheet of the current generator, and a generator snapshot.
    public func writeSamples() throws {
        let name = String(format: "step-%06d", trainer.step)
        try trainer.exportModel(to: directory + "/models/\(name).safetensors")
        guard !samples.isEmpty else { return }
        let generator = try LGGANGenerator(network: trainer.generator, palette: trainer.palette)
        let sheet = try SampleSheet.render(generator: generator, samples: samples)
        try sheet.write(path: directory + "/samples/\(name).png")
        try sheet.write(path: directory + "/samples/latest.png")
        trainer.generator.train()
    }

    static func add(_ a: LossRecord, _ b: LossRecord) -> LossRecord { combine(a, b) { $0 + $1 } }
    static func scale(_ a: LossRecord, _ s: Float) -> LossRecord { combine(a, a) { x, _ in x * s } }

    static func combine(_ a: LossRecord, _ b: LossRecord, _ f: (Float, Float) -> Float) -> LossRecord {
        var r = LossRecord()
        r.ganFused = f(a.ganFused, b.ganFused)
        r.ganGlobal = f(a.ganGlobal, b.ganGlobal)
        r.ganLocal = f(a.ganLocal, b.ganLocal)
        r.featureMatching = f(a.featureMatching, b.featureMatching)
        r.localL1 = f(a.localL1, b.localL1)
        r.classification = f(a.classification, b.classification)
        r.discriminatorReal = f(a.discriminatorReal, b.discriminatorReal)
        r.discriminatorFake = f(a.discriminatorFake, b.discriminatorFake)
        r.fusedL1 = f(a.fusedL1, b.fusedL1)
        r.kl = f(a.kl, b.kl)
        r.globalL1 = f(a.globalL1, b.globalL1)
        r.styleKL = f(a.styleKL, b.styleKL)
        return r
    }
}
