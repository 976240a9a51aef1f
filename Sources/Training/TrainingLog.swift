import Foundation
import Support

/// A model's loss terms of one step, as named numbers (for progress lines and plots).
public protocol NamedLosses: Codable, Sendable, Equatable {
    init()
    /// Named values in a fixed order.
    var named: [(String, Float)] { get }
}

extension LossRecord: NamedLosses {}

/// LGGAN's log (the names older code and tests use).
public typealias TrainingLogEntry = LossLogEntry<LossRecord>
public typealias TrainingLog = LossLog<LossRecord>

/// One line of the JSONL training log.
public struct LossLogEntry<Losses: NamedLosses>: Codable, Sendable, Equatable {
    public var step: Int
    /// Seconds since the run (this process) started, and per step over the last interval.
    public var elapsed: Double
    public var secondsPerStep: Double
    public var learningRateFactor: Float
    public var losses: Losses

    public init(step: Int, elapsed: Double, secondsPerStep: Double, learningRateFactor: Float, losses: Losses) {
        self.step = step
        self.elapsed = elapsed
        self.secondsPerStep = secondsPerStep
        self.learningRateFactor = learningRateFactor
        self.losses = losses
    }
}

/// The training log (RUN/log.jsonl), one JSON object per line. Kept in memory
/// and rewritten whole through `AtomicFile` at each flush, so a kill never
/// leaves half a line; on resume, entries after the checkpoint's step are
/// dropped (that stretch is trained again).
public final class LossLog<Losses: NamedLosses> {
    public let path: String
    public private(set) var entries: [LossLogEntry<Losses>] = []

    public init(path: String, keepingUpTo step: Int? = nil) throws {
        self.path = path
        guard let step, let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return }
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let entry = try? decoder.decode(LossLogEntry<Losses>.self, from: Data(line.utf8)) else {
                throw Failure("\(path): a line is not a training log entry: \(line.prefix(60))")
            }
            if entry.step <= step { entries.append(entry) }
        }
    }

    public func append(_ entry: LossLogEntry<Losses>) { entries.append(entry) }

    public func flush() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for entry in entries {
            data.append(try encoder.encode(entry))
            data.append(0x0A)
        }
        try AtomicFile.write(data, to: path)
    }
}
