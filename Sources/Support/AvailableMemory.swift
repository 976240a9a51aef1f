import Foundation

/// The memory this process can still take: MemAvailable from /proc/meminfo,
/// lowered to what a cgroup memory limit leaves (in a container or a
/// systemd scope the host's MemAvailable says nothing about the OOM killer).
/// Both cgroup versions count: v2 (`memory.max`) and v1 (`memory.limit_in_bytes`,
/// still what Docker uses on older hosts and what hybrid machines mount), at
/// the process's own cgroup and every ancestor up to the mount, since a limit
/// set on a parent applies to all below it.
public struct AvailableMemory: Sendable, Equatable {
    public let bytes: Int
    /// Where the figure comes from, for messages ("MemAvailable", "cgroup memory.max 8.0 GB, 1.2 GB in use").
    public let source: String

    public init(bytes: Int, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// Read now; nil where /proc/meminfo is missing (not Linux): then nothing is refused.
    /// `procCgroup` says which cgroup the process is in; `mountinfo` where each hierarchy is mounted
    /// (v1 memory controllers are not always at /sys/fs/cgroup/memory, hybrid machines put v2 at
    /// .../unified); where it cannot be read, the usual places under `cgroupRoot` are assumed.
    public static func current(meminfo: String = "/proc/meminfo", procCgroup: String = "/proc/self/cgroup",
                               mountinfo: String = "/proc/self/mountinfo",
                               cgroupRoot: String = "/sys/fs/cgroup") -> AvailableMemory? {
        guard let text = try? String(contentsOfFile: meminfo, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var result = AvailableMemory(bytes: kilobytes * 1024, source: "MemAvailable")
        let mounts = CgroupMount.all(mountinfo: mountinfo) ?? CgroupMount.usual(root: cgroupRoot)
        for limit in CgroupMemoryLimit.all(procCgroup: procCgroup, mounts: mounts) where limit.left < result.bytes {
            result = AvailableMemory(bytes: limit.left, source: limit.description)
        }
        return result
    }

    /// "1.6 GB" (decimal, as /usr/bin/time's and free's users read it).
    public static func gigabytes(_ bytes: Int) -> String {
        String(format: "%.1f GB", Double(bytes) / 1e9)
    }
}

/// One cgroup's memory limit and what its members use now.
struct CgroupMemoryLimit {
    /// The limit file's name ("memory.max", "memory.limit_in_bytes"), for the message.
    let file: String
    let limit: Int
    /// Usage less the inactive page cache, which the kernel reclaims before it
    /// kills (the "working set" Kubernetes evicts on); never below zero.
    let used: Int

    var left: Int { Swift.max(0, limit - used) }
    var description: String {
        "cgroup \(file) \(AvailableMemory.gigabytes(limit)), \(AvailableMemory.gigabytes(used)) in use"
    }

    /// v1 writes "no limit" as a page-rounded 2^63 - 1; anything this large is none.
    private static let unlimited = 1 << 60

    /// Every limit on the process's cgroups (v2 and v1 memory), from its own cgroup up to each mount's root.
    static func all(procCgroup: String, mounts: [CgroupMount]) -> [CgroupMemoryLimit] {
        guard let text = try? String(contentsOfFile: procCgroup, encoding: .utf8) else {
            // No /proc/self/cgroup: the mount roots alone (a container's own cgroup).
            return mounts.compactMap { read($0.point, $0.files) }
        }
        var directories: [(String, Files)] = []
        for line in text.split(separator: "\n") {
            // "hierarchy-id:controllers:path"; the path may itself contain ':'.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let version2 = fields[0] == "0" && fields[1].isEmpty
            guard version2 || fields[1].split(separator: ",").contains("memory") else { continue }
            for mount in mounts where mount.isVersion2 == version2 {
                for directory in mount.directories(of: String(fields[2])) where !directories.contains(where: { $0.0 == directory }) {
                    directories.append((directory, mount.files))
                }
            }
        }
        return directories.compactMap { read($0.0, $0.1) }
    }

    /// The files of one cgroup version's memory controller.
    struct Files {
        let limit: String
        let usage: String
        /// memory.stat's key for the inactive page cache.
        let inactiveKey: String
    }
    static let version2 = Files(limit: "memory.max", usage: "memory.current", inactiveKey: "inactive_file")
    static let version1 = Files(limit: "memory.limit_in_bytes", usage: "memory.usage_in_bytes", inactiveKey: "total_inactive_file")

    /// The limit set in `directory` (nil: none, or no such cgroup).
    static func read(_ directory: String, _ files: Files) -> CgroupMemoryLimit? {
        guard let limit = number(directory + "/" + files.limit), limit < unlimited else { return nil }
        let usage = number(directory + "/" + files.usage) ?? 0
        let inactive = stat(directory + "/memory.stat", files.inactiveKey) ?? 0
        return CgroupMemoryLimit(file: files.limit, limit: limit, used: Swift.max(0, usage - inactive))
    }

    /// A cgroup file's number; nil for "max" (no limit) or a missing file.
    private static func number(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// One "key value" line of memory.stat.
    private static func stat(_ path: String, _ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key { return Int(fields[1]) }
        }
        return nil
    }
}
