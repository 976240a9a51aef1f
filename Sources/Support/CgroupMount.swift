import Foundation

/// Where one cgroup hierarchy that can limit memory is mounted: a v2 hierarchy,
/// or a v1 hierarchy with the memory controller.
struct CgroupMount: Equatable {
    /// The mount point.
    let point: String
    /// The cgroup the mount point shows, as /proc/self/cgroup names it ("/" unless a
    /// container was given only its own part of the host's tree).
    let root: String
    let isVersion2: Bool

    var files: CgroupMemoryLimit.Files { isVersion2 ? CgroupMemoryLimit.version2 : CgroupMemoryLimit.version1 }

    /// The usual places: v2 at the root, v1 memory at root/memory (used where mountinfo cannot be read).
    static func usual(root: String) -> [CgroupMount] {
        [CgroupMount(point: root, root: "/", isVersion2: true), CgroupMount(point: root + "/memory", root: "/", isVersion2: false)]
    }

    /// The memory-limiting cgroup mounts of /proc/self/mountinfo; nil if it cannot be read.
    static func all(mountinfo: String) -> [CgroupMount]? {
        guard let text = try? String(contentsOfFile: mountinfo, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").compactMap { parse(String($0)) }
    }

    /// One mountinfo line: "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS".
    static func parse(_ line: String) -> CgroupMount? {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count >= 7, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 1 < fields.count else { return nil }
        let type = fields[dash + 1]
        let superOptions = dash + 3 < fields.count ? fields[dash + 3].split(separator: ",") : []
        let isVersion2: Bool
        if type == "cgroup2" {
            isVersion2 = true
        } else if type == "cgroup" && superOptions.contains("memory") {
            isVersion2 = false
        } else {
            return nil
        }
        return CgroupMount(point: unescape(fields[4]), root: unescape(fields[3]), isVersion2: isVersion2)
    }

    /// mountinfo writes space, tab, newline and backslash in paths as octal escapes ("\040").
    static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The directory of the cgroup at `path` (as /proc/self/cgroup names it) and its ancestors
    /// inside this mount. A path outside the mount's root (a container without a cgroup
    /// namespace sees the host's path, but only its own cgroup is mounted) gives the mount
    /// point alone: the container's own cgroup.
    func directories(of path: String) -> [String] {
        let rootParts = root.split(separator: "/").map(String.init)
        var parts = path.split(separator: "/").filter { $0 != "." && $0 != ".." }.map(String.init)
        // (A root of "/" has no parts: every path starts with it.)
        parts = parts.starts(with: rootParts) ? Array(parts.dropFirst(rootParts.count)) : []
        var result: [String] = []
        while true {
            result.append(([point] + parts).joined(separator: "/"))
            guard !parts.isEmpty else { return result }
            parts.removeLast()
        }
    }
}
