import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor

/// An ECGAN training run on disk, laid out as LGGAN's (`LGGANTrainingRun`):
/// RUN/checkpoint.safetensors (atomic, every K steps and on exit),
/// RUN/model.safetensors, RUN/models/step-N.safetensors, RUN/log.jsonl,
/// RUN/samples/step-N.png (layout | edge | I' | I'' | real edge | real),
/// RUN/loss-curves.png.
public final class ECGANTrainingRun {
    public static let checkpointName = "checkpoint.safetensors"
    public static let modelName = "model.safetensors"

    public let trainer: ECGANTrainer
    public let directory: String
    public let batches: BatchPrefetcher
    public let samples: [(labels: LabelMap, image: RGBImage)]
    public let log: LossLog<ECGANLossRecord>
    public var showProgress = true

    public init(trainer: ECGANTrainer, dataset: PairedDataset, samples: [(labels: LabelMap, image: RGBImage)],
                directory: String) throws {
        guard dataset.palette.classes == trainer.palette.classes else {
            throw Failure("\(dataset.directory): its palette '\(dataset.palette.name)' is not the model's palette '\(trainer.palette.name)'")
        }
        self.trainer = trainer
        self.directory = directory
        self.samples = samples
        for sub in ["", "/samples", "/models"] {
            try AtomicFile.ensureDirectory(directory + sub)
            AtomicFile.removeAbandonedTemporaries(in: directory + sub)
        }
        batches = BatchPrefetcher(dataset: dataset, size: trainer.options.size, batch: trainer.options.batch,
                                  seed: trainer.options.seed)
        if trainer.config.useEdge { batches.edgeDirectory = DatasetEdges.directory(of: dataset.directory) }
        log = try LossLog(path: directory + "/log.jsonl", keepingUpTo: trainer.step)
    }

    /// Trains until `options.steps` or an interrupt; always leaves a checkpoint
    /// of the last completed step; a non-finite loss stops before saving.
    public func run(interrupt: InterruptMonitor) throws -> LGGANTrainingRun.Outcome {
        let options = trainer.options
        var bar = ProgressBar(total: options.steps, label: "ecgan", alreadyDone: trainer.step)
        let start = Date()
        var intervalStart = Date()
        var sum = ECGANLossRecord(), count = 0
        while trainer.step < options.steps && !interrupt.isInterrupted {
            let batch = try batches.batch(for: trainer.step)
            let record = trainer.trainStep(batch)
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
                sum = ECGANLossRecord(); count = 0; intervalStart = Date()
            }
            if showProgress {
                let r = log.entries.last?.losses ?? record
                bar.update(done: step, suffix: r.named.filter { $0.1 != 0 }
                    .map { $0.0 + " " + String(format: "%.3g", $0.1) }.joined(separator: " "))
            }
            if step % options.checkpointEvery == 0 { try saveCheckpoint() }
            if step % options.sampleEvery == 0 { try writeSamples() }
        }
        try saveCheckpoint()
        if showProgress { bar.finish(done: trainer.step) }
        return interrupt.isInterrupted ? .interrupted(step: trainer.step) : .finished(step: trainer.step)
    }

    public func saveCheckpoint() throws {
        try trainer.save(to: directory + "/" + Self.checkpointName)
        try trainer.exportModel(to: directory + "/" + Self.modelName)
        try log.flush()
        if !log.entries.isEmpty {
            try LossCurvePlot.render(entries: log.entries).write(path: directory + "/loss-curves.png")
        }
    }

    public func writeSamples() throws {
        let name = String(format: "step-%06d", trainer.step)
        try trainer.exportModel(to: directory + "/models/\(name).safetensors")
        guard !samples.isEmpty else { return }
        let generator = try ECGANGenerator(network: trainer.generator, palette: trainer.palette)
        let sheet = try ECGANSampleSheet.render(generator: generator, samples: samples)
        try sheet.write(path: directory + "/samples/\(name).png")
        try sheet.write(path: directory + "/samples/latest.png")
        trainer.generator.train()
    }
}
