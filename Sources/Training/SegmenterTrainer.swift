import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor

/// What the trainer tells its caller while it runs.
public enum SegmenterTrainingEvent {
    /// A run continues from a checkpoint.
    case resumed(step: Int)
    /// One optimiser step done: mean weighted cross-entropy and pixel accuracy of the batch.
    case step(step: Int, total: Int, loss: Float, accuracy: Double)
    /// A checkpoint was written (with validation scores when a validator is set).
    case checkpoint(step: Int, scores: [String: Double])
}

/// How a training call ended.
public struct SegmenterTrainingOutcome: Sendable {
    public var step: Int
    public var finished: Bool
    public var seconds: Double
}

/// Trains the evaluator segmenter on real renders with class-weighted
/// cross-entropy and Adam; resumable: a checkpoint (weights, Adam moments,
/// step) is written every `checkpointEvery` steps and when asked to stop, so at
/// most one interval is lost. Batches depend only on (seed, step), so a resumed
/// run sees exactly the batches an uninterrupted one would.
public final class SegmenterTrainer {
    public let options: SegmenterTrainingOptions
    public let dataset: PairedDataset
    public let model: Segmenter
    public private(set) var step: Int = 0
    /// Per class position: 1/sqrt(pixel share), normalised to mean 1 over pixels.
    public let classWeights: [Float]
    /// Called at each checkpoint with the model (in eval mode); returns scores to log.
    public var validator: ((Segmenter) throws -> [String: Double])?
    private let adam: Adam
    private var log: SegmenterTrainingLog
    /// Class positions stored as bytes, 255 = not scored.
    private var cache: [Int: (pixels: [UInt8], targets: [UInt8])] = [:]
    private var cachedBytes = 0

    public init(options: SegmenterTrainingOptions, palette: Palette? = nil, library: PaletteLibrary? = nil,
                resume: Bool) throws {
        guard options.batchSize >= 1, options.steps >= 1, options.checkpointEvery >= 1, options.logEvery >= 1,
              options.learningRate > 0 else {
            throw Failure("batch size, steps, checkpoint and log intervals must be at least 1 and the learning rate positive")
        }
        self.options = options
        try AtomicFile.ensureDirectory(options.runDirectory)
        let checkpointExists = FileManager.default.fileExists(atPath: options.checkpointPath)
        if checkpointExists && !resume {
            throw Failure("\(options.runDirectory) already holds a segmenter run: pass --resume to continue it, or choose another --out")
        }
        if checkpointExists {
            let loaded = try SegmenterCheckpoint.load(path: options.checkpointPath)
            let c = loaded.model.configuration
            try Self.checkAgrees(options, with: c, run: options.runDirectory)
            if let palette, palette != c.palette {
                throw Failure("\(options.runDirectory) was trained with palette \(c.palette.name), not \(palette.name)")
            }
            dataset = try PairedDataset(directory: options.dataDirectory, palette: c.palette)
            model = loaded.model
            adam = Adam(model, learningRate: options.learningRate)
            guard let stepText = loaded.metadata["train.step"], let saved = Int(stepText) else {
                throw Failure("\(options.checkpointPath): metadata train.step is missing")
            }
            do {
                try adam.loadStateDict(loaded.extraTensors, prefix: "adam.", stepCount: saved)
            } catch let error as ModuleStateError {
                throw Failure("\(options.checkpointPath): \(error.description)")
            }
            step = saved
        } else {
            dataset = try PairedDataset(directory: options.dataDirectory, palette: palette, library: library)
            let side = SegmenterTrainingOptions.defaultInputSide
            let configuration = SegmenterConfiguration(
                palette: dataset.palette, inputWidth: options.inputWidth ?? side, inputHeight: options.inputHeight ?? side,
                baseWidth: options.baseWidth ?? SegmenterTrainingOptions.defaultBaseWidth,
                depth: options.depth ?? SegmenterTrainingOptions.defaultDepth)
            model = try Segmenter(configuration, seed: options.seed)
            adam = Adam(model, learningRate: options.learningRate)
        }
        log = SegmenterTrainingLog(path: options.logPath, keepingStepsUpTo: checkpointExists ? step : 0)
        classWeights = try Self.classWeights(dataset, configuration: model.configuration)
    }

    private static func checkAgrees(_ o: SegmenterTrainingOptions, with c: SegmenterConfiguration, run: String) throws {
        var conflicts: [String] = []
        if let w = o.inputWidth, let h = o.inputHeight, w != c.inputWidth || h != c.inputHeight {
            conflicts.append("size \(c.inputWidth)x\(c.inputHeight)")
        }
        if let b = o.baseWidth, b != c.baseWidth { conflicts.append("width \(c.baseWidth)") }
        if let d = o.depth, d != c.depth { conflicts.append("depth \(c.depth)") }
        if !conflicts.isEmpty {
            throw Failure("\(run) was started with \(conflicts.joined(separator: ", ")): resume with the same values or leave them out")
        }
    }

    /// Inverse square root of each class's pixel share over (up to 400 of) the
    /// layouts at the input size: rare classes (flowers, boats) count more
    /// without letting a handful of pixels dominate.
    static func classWeights(_ dataset: PairedDataset, configuration c: SegmenterConfiguration) throws -> [Float] {
        var counts = [Int](repeating: 0, count: c.classCount)
        let scanned = Swift.min(dataset.count, 400)
        let spacing = dataset.count / scanned
        for i in 0..<scanned {
            let layout = try dataset.layout(i * spacing)
            for t in SegmenterInput.targets(layout.labels, palette: c.palette, width: c.inputWidth, height: c.inputHeight) where t >= 0 {
                counts[t] += 1
            }
        }
        let total = Double(Swift.max(1, counts.reduce(0, +)))
        let raw = counts.map { 1 / Swift.max(Double($0) / total, 1e-4).squareRoot() }
        let pixelMean = zip(counts, raw).reduce(0) { $0 + Double($1.0) / total * $1.1 }
        return raw.map { Float($0 / Swift.max(pixelMean, 1e-12)) }
    }

    /// The learning rate at a step: cosine from the base to 5% of it.
    public func learningRate(at step: Int) -> Float {
        let progress = Float(Swift.min(step, options.steps)) / Float(options.steps)
        let floor = options.learningRate * 0.05
        return floor + 0.5 * (options.learningRate - floor) * (1 + cos(Float.pi * progress))
    }

    /// Which pairs, and how altered, step `step` trains on.
    public func batchPlan(step: Int) -> [(index: Int, augmentation: SegmenterAugmentation)] {
        var rng = RandomGenerator(seed: options.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step))
        return (0..<options.batchSize).map { _ in
            let index = rng.nextInt(below: dataset.count)
            return (index, SegmenterAugmentation.random(colorJitter: options.colorJitter, using: &rng))
        }
    }

    /// One pair at the input size (cached).
    private func sample(_ index: Int) throws -> (pixels: [UInt8], targets: [UInt8]) {
        if let hit = cache[index] { return hit }
        let c = model.configuration
        let (labels, image) = try dataset.pair(index)
        let pixels = SegmenterInput.resample(image, width: c.inputWidth, height: c.inputHeight).pixels
        let targets = SegmenterInput.targets(labels, palette: c.palette, width: c.inputWidth, height: c.inputHeight).map { $0 >= 0 && $0 < 255 ? UInt8($0) : 255 }
        let entry = (pixels, targets)
        let bytes = pixels.count + targets.count
        if cachedBytes + bytes <= options.cacheBytes {
            cache[index] = entry
            cachedBytes += bytes
        }
        return entry
    }

    /// Runs one optimiser step; returns the loss and the batch's pixel accuracy.
    @discardableResult
    public func trainStep() throws -> (loss: Float, accuracy: Double) {
        let c = model.configuration
        let (w, h) = (c.inputWidth, c.inputHeight)
        let plane = w * h
        let plan = batchPlan(step: step)
        var input = [Float](repeating: 0, count: plan.count * 3 * plane)
        var targets = [Int](repeating: -1, count: plan.count * plane)
        var weights = [Float](repeating: 0, count: plan.count * plane)
        for (n, item) in plan.enumerated() {
            let (pixels, labels) = try sample(item.index)
            input.withUnsafeMutableBufferPointer { buffer in
                item.augmentation.apply(pixels, width: w, height: h, into: buffer.baseAddress! + n * 3 * plane)
            }
            for y in 0..<h {
                for x in 0..<w {
                    let source = y * w + (item.augmentation.mirrored ? w - 1 - x : x)
                    let t = labels[source] == 255 ? -1 : Int(labels[source])
                    targets[n * plane + y * w + x] = t
                    weights[n * plane + y * w + x] = t >= 0 ? classWeights[t] : 0
                }
            }
        }
        model.train()
        adam.zeroGrad()
        adam.learningRate = learningRate(at: step)
        let (logits, _) = model.forward(Tensor(shape: [plan.count, 3, h, w], values: input))
        let loss = crossEntropy(logits: logits, targets: targets, weights: weights)
        loss.backward()
        adam.step()
        step += 1
        return (loss.scalar, Self.accuracy(logits, targets: targets))
    }

    /// Share of the scored pixels (target >= 0) whose arg-max class is the target.
    static func accuracy(_ logits: Tensor, targets: [Int]) -> Double {
        let predicted = logits.argmax(axis: 1)
        var correct = 0, counted = 0
        for (p, t) in zip(predicted, targets) where t >= 0 {
            counted += 1
            if p == t { correct += 1 }
        }
        return counted > 0 ? Double(correct) / Double(counted) : 0
    }

    /// Writes the log, the resumable checkpoint (F32 + Adam state) and the
    /// exported evaluator (F16 weights only), each atomically.
    public func saveCheckpoint() throws -> [String: Double] {
        var scores: [String: Double] = [:]
        if let validator { scores = try validator(model) }
        if !scores.isEmpty {
            var entry: [String: Any] = ["step": step, "event": "checkpoint"]
            for (k, v) in scores { entry[k] = v }
            log.append(entry)
        }
        try log.write()
        try SegmenterCheckpoint.save(model, to: options.checkpointPath, dtype: .f32,
                                     extraTensors: adam.stateDict(prefix: "adam."),
                                     extraMetadata: ["train.step": String(step), "train.seed": String(options.seed),
                                                     "train.color_jitter": String(options.colorJitter)])
        try SegmenterCheckpoint.save(model, to: options.exportPath, dtype: .f16,
                                     extraMetadata: ["train.step": String(step), "train.color_jitter": String(options.colorJitter)])
        return scores
    }

    /// Trains until `options.steps` or until `shouldStop` says so (polled every
    /// step); either way ends with a checkpoint.
    public func run(shouldStop: () -> Bool = { false },
                    report: (SegmenterTrainingEvent) -> Void = { _ in }) throws -> SegmenterTrainingOutcome {
        let start = Date()
        if step > 0 { report(.resumed(step: step)) }
        var lossSum: Double = 0, accuracySum: Double = 0, logged = 0
        var intervalStart = Date()
        var stopped = false
        while step < options.steps {
            if shouldStop() { stopped = true; break }
            let (loss, accuracy) = try trainStep()
            lossSum += Double(loss); accuracySum += accuracy; logged += 1
            report(.step(step: step, total: options.steps, loss: loss, accuracy: accuracy))
            if step % options.logEvery == 0 {
                log.append(["step": step, "loss": lossSum / Double(logged), "pixel_accuracy": accuracySum / Double(logged),
                            "learning_rate": Double(learningRate(at: step - 1)),
                            "seconds_per_step": Date().timeIntervalSince(intervalStart) / Double(logged)])
                lossSum = 0; accuracySum = 0; logged = 0
                intervalStart = Date()
            }
            if step % options.checkpointEvery == 0 && step < options.steps {
                report(.checkpoint(step: step, scores: try saveCheckpoint()))
            }
        }
        report(.checkpoint(step: step, scores: try saveCheckpoint()))
        return SegmenterTrainingOutcome(step: step, finished: !stopped && step >= options.steps,
                                        seconds: Date().timeIntervalSince(start))
    }
}
