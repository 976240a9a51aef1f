import Foundation
import Support

/// The run's JSONL log: one object per logged step, rewritten atomically each
/// time it grows. On resume the lines after the checkpoint's step are dropped,
/// so the log never shows a step twice.
public struct SegmenterTrainingLog {
    public let path: String
    public private(set) var lines: [String] = []

    /// Reads an existing log, keeping lines whose "step" is at most `upTo`.
    public init(path: String, keepingStepsUpTo upTo: Int?) {
        self.path = path
        guard let upTo, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = object["step"] as? Int, step <= upTo else { continue }
            lines.append(String(line))
        }
    }

    public mutating func append(_ entry: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) else { return }
        lines.append(String(decoding: data, as: UTF8.self))
    }

    public func write() throws {
        try AtomicFile.write(Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8), to: path)
    }
}
