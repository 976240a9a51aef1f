import Foundation
import Support

/// A model's loss terms of one step, as named numbers (for progress lines and plots).
public protocol NamedLosses: Codable, Sendable, Equatable {
    init()
    /// Named values in a fixed order.
    var named: [(String, Float)] { get }
    /// Term by term, f(self's term, o's term) (sums and averages over a log interval).
    func combined(_ o: Self, _ f: (Float, Float) -> Float) -> Self
    /// The progress line's summary of the terms.
    var progressText: String { get }
}

extension NamedLosses {
    public static func + (a: Self, b: Self) -> Self { a.combined(b, +) }
    public func scaled(_ s: Float) -> Self { combined(self) { x, _ in x * s } }

    /// The terms that are not zero, with their names.
    public var progressText: String {
        named.filter { $0.1 != 0 }.map { $0.0 + " " + String(format: "%.3g", $0.1) }.joined(separator: " ")
    }
}

extension LossRecord: NamedLosses {
    /// LGGAN's terms in the order a reader of its progress line expects.
    public var progressText: String {
        String(format: "G %.2f D %.2f/%.2f fm %.2f l1 %.3f/%.3f ce %.2f |fused-real| %.1f",
               ganFused, discriminatorReal, discriminatorFake, featureMatching, localL1, globalL1, classification, fusedL1)
    }

    public func combined(_ o: LossRecord, _ f: (Float, Float) -> Float) -> LossRecord {
        var r = LossRecord()
        r.ganFused = f(ganFused, o.ganFused)
        r.ganGlobal = f(ganGlobal, o.ganGlobal)
        r.ganLocal = f(ganLocal, o.ganLocal)
        r.featureMatching = f(featureMatching, o.featureMatching)
        r.localL1 = f(localL1, o.localL1)
        r.classification = f(classification, o.classification)
        r.discriminatorReal = f(discriminatorReal, o.discriminatorReal)
        r.discriminatorFake = f(discriminatorFake, o.discriminatorFake)
        r.fusedL1 = f(fusedL1, o.fusedL1)
        r.kl = f(kl, o.kl)
        r.globalL1 = f(globalL1, o.globalL1)
        r.styleKL = f(styleKL, o.styleKL)
        return r
    }
}

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
