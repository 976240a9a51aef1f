import Foundation

/// What the CPU can do, read from /proc/cpuinfo (Linux). Used to pick an
/// OpenBLAS core type: Debian's OpenBLAS 0.3.21 does not recognise newer CPUs
/// and falls back to generic kernels that are 3-6x slower.
public struct CPUFeatures: Sendable, Equatable {
    public var flags: Set<String>
    public var modelName: String

    public init(flags: Set<String>, modelName: String) {
        self.flags = flags
        self.modelName = modelName
    }

    public static func current() -> CPUFeatures {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return CPUFeatures(flags: [], modelName: "unknown")
        }
        return parse(cpuinfo: text)
    }

    public static func parse(cpuinfo: String) -> CPUFeatures {
        var flags = Set<String>()
        var model = "unknown"
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "flags", flags.isEmpty {
                flags = Set(parts[1].split(separator: " ").map(String.init))
            } else if key == "model name", model == "unknown" {
                model = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return CPUFeatures(flags: flags, modelName: model)
    }

    public var hasAVX512: Bool { flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") }
    public var hasAVX2: Bool { flags.contains("avx2") && flags.contains("fma") }
}
