import Foundation

/// The memory this process can still take: MemAvailable from /proc/meminfo,
/// lowered to what the cgroup's memory.max leaves when a limit is set (in a
/// container the host's MemAvailable says nothing about the OOM killer).
public struct AvailableMemory: Sendable, Equatable {
    public let bytes: Int
    /// Where the figure comes from, for messages ("MemAvailable", "cgroup memory.max 8.0 GB, 1.2 GB in use").
    public let source: String

    public init(bytes: Int, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// Read now; nil where /proc/meminfo is missing (not Linux): then nothing is refused.
    public static func current(meminfo: String = "/proc/meminfo", cgroup: String = "/sys/fs/cgroup") -> AvailableMemory? {
        guard let text = try? String(contentsOfFile: meminfo, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var result = AvailableMemory(bytes: kilobytes * 1024, source: "MemAvailable")
        if let limit = number(cgroup + "/memory.max") {
            let used = number(cgroup + "/memory.current") ?? 0
            let left = Swift.max(0, limit - used)
            if left < result.bytes {
                result = AvailableMemory(bytes: left, source: "cgroup memory.max \(gigabytes(limit)), \(gigabytes(used)) in use")
            }
        }
        return result
    }

    /// A cgroup file's number; nil for "max" (no limit) or a missing file.
    private static func number(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// "1.6 GB" (decimal, as /usr/bin/time's and free's users read it).
    public static func gigabytes(_ bytes: Int) -> String {
        String(format: "%.1f GB", Double(bytes) / 1e9)
    }
}
