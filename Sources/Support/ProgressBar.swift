import Foundation

/// A one-line progress bar with rate and ETA for long jobs (dataset synthesis,
/// training, evaluation). Redraws in place on a terminal; on a pipe it prints a
/// plain line at most every few seconds so logs stay readable.
public struct ProgressBar {
    public let total: Int
    public let label: String
    private let start: Date
    private var lastDraw: Date = .distantPast
    private let isTerminal: Bool
    private let startCount: Int

    public init(total: Int, label: String, alreadyDone: Int = 0) {
        self.total = max(total, 1)
        self.label = label
        self.start = Date()
        self.startCount = alreadyDone
        self.isTerminal = isatty(STDERR_FILENO) != 0
    }

    /// Formats a duration like 1h02m, 3m05s or 12s.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    /// The text of the bar for `done` items, with an optional suffix (loss terms).
    public func line(done: Int, suffix: String = "", now: Date = Date()) -> String {
        let elapsed = now.timeIntervalSince(start)
        let fraction = min(1, Double(done) / Double(total))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let doneHere = done - startCount
        let rate = elapsed > 0 ? Double(doneHere) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .nan
        let rateText = rate >= 1 ? String(format: "%.1f/s", rate) : (rate > 0 ? String(format: "%.1fs/it", 1 / rate) : "-")
        var text = "\(label) [\(bar)] \(done)/\(total) \(String(format: "%3.0f%%", fraction * 100)) \(rateText) ETA \(Self.formatDuration(eta))"
        if !suffix.isEmpty { text += " " + suffix }
        return text
    }

    public mutating func update(done: Int, suffix: String = "") {
        let now = Date()
        let interval = isTerminal ? 0.1 : 5.0
        guard done >= total || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let text = line(done: done, suffix: suffix, now: now)
        if isTerminal {
            FileHandle.standardError.write(("\r\u{1B}[K" + text).data(using: .utf8)!)
        } else {
            FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
        }
    }

    public func finish(done: Int, suffix: String = "") {
        let text = line(done: done, suffix: suffix)
        FileHandle.standardError.write(((isTerminal ? "\r\u{1B}[K" : "") + text + "\n").data(using: .utf8)!)
    }
}
