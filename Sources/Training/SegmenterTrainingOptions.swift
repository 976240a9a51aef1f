/// Everything `scenepaint train segmenter` can be told. Architecture fields are
/// optional: a fresh run uses the defaults, a resumed run takes them from its
/// checkpoint (and refuses explicit values that disagree).
public struct SegmenterTrainingOptions: Sendable, Codable, Equatable {
    public var dataDirectory: String
    public var runDirectory: String
    public var inputWidth: Int?
    public var inputHeight: Int?
    public var baseWidth: Int?
    public var depth: Int?
    public var batchSize: Int = 8
    /// Total optimiser steps of the run (a resumed run may raise it).
    public var steps: Int = 3000
    /// Adam's rate at step 0; cosine decay to 5% of it at `steps`.
    public var learningRate: Float = 2e-3
    public var checkpointEvery: Int = 200
    public var logEvery: Int = 10
    public var seed: UInt64 = 1
    /// Colour augmentation strength 0...1 (see `SegmenterAugmentation`).
    public var colorJitter: Float = 0
    /// An evaluator file (F16 or F32) whose weights a fresh run starts from (fine-tuning);
    /// its palette and architecture are kept.
    public var initialWeights: String?
    /// Decoded, resized training pairs kept in memory (bytes).
    public var cacheBytes: Int = 1 << 30

    public static let defaultInputSide = 128
    public static let defaultBaseWidth = 16
    public static let defaultDepth = 4

    public init(dataDirectory: String, runDirectory: String) {
        self.dataDirectory = dataDirectory
        self.runDirectory = runDirectory
    }

    /// Files of a run directory.
    public var checkpointPath: String { runDirectory + "/checkpoint.safetensors" }
    public var exportPath: String { runDirectory + "/segmenter.safetensors" }
    public var logPath: String { runDirectory + "/log.jsonl" }
}
