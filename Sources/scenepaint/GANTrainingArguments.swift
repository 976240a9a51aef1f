import ArgumentParser
import Foundation
import Support
import Tensor
import Training

/// The flags every GAN training command has (`train lggan`, `train ecgan`):
/// the run directory and resuming, the schedule, the optimiser, the seed and
/// the final export; and what the commands do with them, once.
struct GANTrainingArguments: ParsableArguments {
    @Option(help: "The dataset's palette (name or JSON file), when its manifest does not say.")
    var palette: String?
    @Option(help: "Run directory for checkpoints, logs and samples.")
    var out: String
    @Flag(help: "Continue from RUN/checkpoint.safetensors (its config and options; --steps and intervals may change).")
    var resume = false
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
    @Option(help: "Sample sheet and generator snapshot every M steps (default 1000; train ecgan: 500).")
    var sampleEvery: Int?
    @Option(help: "Log line every L steps (default 10).")
    var logEvery: Int?
    @Option(name: .customLong("lr-g"), help: "Generator learning rate (TTUR).")
    var generatorRate: Float = 1e-4
    @Option(name: .customLong("lr-d"), help: "Discriminator learning rate (TTUR).")
    var discriminatorRate: Float = 4e-4
    @Option(help: "Start a linear decay of both rates to zero at --steps from this step.")
    var decayFrom: Int?
    @Option(help: "Seed of the initialisation, data order, crops, noise and pixel draws.")
    var seed: UInt64 = 1
    @Option(help: "After training, also write the generator to this model file.")
    var exportTo: String?
    @Flag(help: "Write --export-to in half precision.")
    var f16 = false
    @Option(help: """
        Number format of the training convolutions on oneDNN: f32 (default) or bf16 (bf16 inputs, f32 \
        accumulation and results; weights, optimiser, norms and losses stay f32; needs avx512_bf16 or AMX). \
        On --resume, the checkpoint's unless given.
        """)
    var precision: String?

    func validate() throws {
        for (name, value) in [("--batch", batch), ("--steps", steps ?? 1), ("--checkpoint-every", checkpointEvery ?? 1),
                              ("--sample-every", sampleEvery ?? 1), ("--log-every", logEvery ?? 1)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        try TrainingNumbers.check(generatorRate, "--lr-g", positive: true)
        try TrainingNumbers.check(discriminatorRate, "--lr-d", positive: true)
        try TrainingNumbers.check(decayFrom, "--decay-from")
        if let precision {
            guard let value = ConvolutionPrecision(rawValue: precision) else {
                throw ValidationError("--precision must be f32 or bf16, got \"\(precision)\"")
            }
            if value == .bf16 && ConvolutionSettings.fastestInferencePrecision != .bf16 {
                throw ValidationError("--precision bf16 needs a CPU with avx512_bf16 or AMX; this one has \(ConvolutionLibrary.description), where bf16 would be emulated and slower than f32")
            }
        }
    }

    /// The explicit --precision (checked by `validate`).
    private var requestedPrecision: ConvolutionPrecision? { precision.flatMap(ConvolutionPrecision.init(rawValue:)) }

    var checkpointPath: String { out + "/" + RunFiles.checkpoint }

    /// True when the run continues a checkpoint; a new run refuses to write over one.
    func resumes() throws -> Bool {
        let exists = FileManager.default.fileExists(atPath: checkpointPath)
        if resume && exists { return true }
        if exists { throw Failure("\(out) already holds a checkpoint: pass --resume to continue it, or choose another --out") }
        return false
    }

    /// What a resumed run may change: its length, intervals and decay.
    func adjustResumed(_ options: inout some GANTrainingOptions) {
        if let steps { options.steps = steps }
        if let checkpointEvery { options.checkpointEvery = checkpointEvery }
        if let sampleEvery { options.sampleEvery = sampleEvery }
        if let logEvery { options.logEvery = logEvery }
        if let decayFrom { options.decayFrom = decayFrom }
        if let requested = requestedPrecision { options.precision = requested }
        if options.precision == .bf16 && ConvolutionSettings.fastestInferencePrecision != .bf16 {
            // Resuming on another machine: emulated bf16 is slower than f32 and no more accurate.
            FileHandle.standardError.write(Data("note: the checkpoint trains in bf16, which this CPU lacks (\(ConvolutionLibrary.description)); continuing in f32\n".utf8))
            options.precision = .f32
        }
    }

    /// A new run's schedule, optimiser and seed.
    func apply(to options: inout some GANTrainingOptions, sampleEveryDefault: Int) {
        options.batch = batch
        options.steps = steps ?? 10_000
        options.checkpointEvery = checkpointEvery ?? 200
        options.sampleEvery = sampleEvery ?? sampleEveryDefault
        options.logEvery = logEvery ?? 10
        options.generatorLearningRate = generatorRate
        options.discriminatorLearningRate = discriminatorRate
        options.decayFrom = decayFrom
        options.seed = seed
        options.precision = requestedPrecision ?? .f32
    }

    /// Says how the run ended, writes --export-to, and exits 130 after an interrupt.
    func finish(_ outcome: TrainingOutcome, trainer: some GANTrainer) throws {
        switch outcome {
        case .finished(let step): print("finished at step \(step); model: \(out)/\(RunFiles.model)")
        case .interrupted(let step): print("interrupted: saved step \(step) to \(checkpointPath); continue with --resume")
        }
        if let exportTo {
            try trainer.exportModel(to: exportTo, dtype: f16 ? .f16 : .f32)
            print("wrote \(exportTo)")
        }
        if case .interrupted = outcome { throw ExitCode(130) }
    }
}
