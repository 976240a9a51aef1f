import Foundation
import Support
import XCTest

/// AvailableMemory on cgroup trees laid out as the kernel lays them out (files in
/// a scratch directory standing for /proc and /sys/fs/cgroup): v1 and v2 limits,
/// limits on an ancestor, a container that sees only its own cgroup, page cache.
final class AvailableMemoryTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "available-memory-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/cgroup", withIntermediateDirectories: true)
        try write("meminfo", "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Without a mountinfo file the hierarchies are where most machines mount them, under root/cgroup.
    func current(procCgroup: String) throws -> AvailableMemory {
        try write("self-cgroup", procCgroup)
        return try XCTUnwrap(AvailableMemory.current(meminfo: root + "/meminfo", procCgroup: root + "/self-cgroup",
                                                     mountinfo: root + "/mountinfo", cgroupRoot: root + "/cgroup"))
    }

    /// A mountinfo line for a cgroup mount at root/POINT.
    func mountLine(_ id: Int, cgroupRoot: String = "/", point: String, type: String, superOptions: String) -> String {
        "\(id) 25 0:\(id) \(cgroupRoot) \(root)/\(point) rw,nosuid,nodev,noexec,relatime shared:\(id) - \(type) cgroup \(superOptions)"
    }

    func testWithoutLimitsMemAvailableCounts() throws {
        try write("cgroup/memory.max", "max\n")
        try write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        let available = try current(procCgroup: "4:memory:/\n0::/\n")
        XCTAssertEqual(available, AvailableMemory(bytes: 20_000_000 * 1024, source: "MemAvailable"))
    }

    /// cgroup v1 (Docker on older hosts, hybrid machines): the limit sits on the parent of the process's cgroup.
    func testAVersion1LimitOnAnAncestorCounts() throws {
        try write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        try write("cgroup/memory/jobs/memory.limit_in_bytes", "1000000000\n")
        try write("cgroup/memory/jobs/memory.usage_in_bytes", "400000000\n")
        try write("cgroup/memory/jobs/memory.stat", "cache 150000000\ntotal_inactive_file 100000000\n")
        try write("cgroup/memory/jobs/job7/memory.limit_in_bytes", "9223372036854771712\n")
        let available = try current(procCgroup: "9:name=systemd:/\n4:memory:/jobs/job7\n3:cpu,cpuacct:/\n0::/\n")
        XCTAssertEqual(available.bytes, 700_000_000, "limit 1 GB less 0.4 GB used plus 0.1 GB reclaimable cache")
        XCTAssertEqual(available.source, "cgroup memory.limit_in_bytes 1.0 GB, 0.3 GB in use")
    }

    /// cgroup v2 under systemd (`systemd-run --scope -p MemoryMax=`): the process's own cgroup, deep in the tree.
    func testAVersion2LimitOnTheOwnCgroupCounts() throws {
        try write("cgroup/user.slice/memory.max", "max\n")
        try write("cgroup/user.slice/run-1.scope/memory.max", "500000000\n")
        try write("cgroup/user.slice/run-1.scope/memory.current", "120000000\n")
        try write("cgroup/user.slice/run-1.scope/memory.stat", "anon 90000000\nfile 30000000\ninactive_file 20000000\n")
        let available = try current(procCgroup: "0::/user.slice/run-1.scope\n")
        XCTAssertEqual(available.bytes, 400_000_000)
        XCTAssertTrue(available.source.hasPrefix("cgroup memory.max 0.5 GB"), available.source)
    }

    /// A container without a cgroup namespace: /proc/self/cgroup names the host's path, which does not
    /// exist inside; the mount root is the container's own cgroup and its limit counts.
    func testAContainersOwnCgroupAtTheMountRootCounts() throws {
        try write("cgroup/memory/memory.limit_in_bytes", "2000000000\n")
        try write("cgroup/memory/memory.usage_in_bytes", "500000000\n")
        let available = try current(procCgroup: "4:memory:/docker/0123abcd\n")
        XCTAssertEqual(available.bytes, 1_500_000_000)
    }

    /// Several limits: the tightest wins, and one below MemAvailable replaces it.
    func testTheTightestLimitWins() throws {
        try write("cgroup/memory.max", "3000000000\n")
        try write("cgroup/memory.current", "0\n")
        try write("cgroup/a/memory.max", "800000000\n")
        try write("cgroup/a/memory.current", "100000000\n")
        try write("cgroup/a/b/memory.max", "900000000\n")
        XCTAssertEqual(try current(procCgroup: "0::/a/b\n").bytes, 700_000_000)
        // No /proc/self/cgroup at all: the mount roots alone.
        try FileManager.default.removeItem(atPath: root + "/self-cgroup")
        let rootOnly = try XCTUnwrap(AvailableMemory.current(meminfo: root + "/meminfo", procCgroup: root + "/self-cgroup",
                                                            mountinfo: root + "/mountinfo", cgroupRoot: root + "/cgroup"))
        XCTAssertEqual(rootOnly.bytes, 3_000_000_000)
    }

    /// Usage above the limit (possible for a moment) leaves nothing, not a negative figure.
    func testUsageOverTheLimitLeavesZero() throws {
        try write("cgroup/memory.max", "100000000\n")
        try write("cgroup/memory.current", "150000000\n")
        XCTAssertEqual(try current(procCgroup: "0::/\n").bytes, 0)
    }

    /// mountinfo says where the hierarchies are: a v1 memory controller mounted beside cpu under another
    /// name, and v2 at .../unified as hybrid machines mount it; the usual places hold no limit.
    func testHierarchiesAreFoundWhereMountinfoSaysTheyAre() throws {
        try write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        try write("elsewhere/mem cpu/jobs/memory.limit_in_bytes", "600000000\n")
        try write("elsewhere/mem cpu/jobs/memory.usage_in_bytes", "100000000\n")
        try write("cgroup/unified/build/memory.max", "900000000\n")
        try write("cgroup/unified/build/memory.current", "0\n")
        try write("mountinfo", [
            "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            mountLine(30, point: "elsewhere/mem\\040cpu", type: "cgroup", superOptions: "rw,memory,cpu"),
            mountLine(31, point: "cgroup/unified", type: "cgroup2", superOptions: "rw,nsdelegate"),
            mountLine(32, point: "cgroup/pids", type: "cgroup", superOptions: "rw,pids"),
        ].joined(separator: "\n") + "\n")
        let available = try current(procCgroup: "5:cpu,memory:/jobs\n4:pids:/jobs\n0::/build\n")
        XCTAssertEqual(available.bytes, 500_000_000, "the v1 limit at the mount with the escaped space")
        XCTAssertEqual(available.source, "cgroup memory.limit_in_bytes 0.6 GB, 0.1 GB in use")
        try write("elsewhere/mem cpu/jobs/memory.limit_in_bytes", "9223372036854771712\n")
        XCTAssertEqual(try current(procCgroup: "5:cpu,memory:/jobs\n0::/build\n").bytes, 900_000_000,
                       "the v2 limit under .../unified")
    }

    /// A container whose mount shows only its part of the host's tree (mountinfo's root field is
    /// /docker/ID): /proc/self/cgroup's path is taken relative to it, so a cgroup made inside the
    /// container and the container's own limit both count.
    func testAPathIsTakenRelativeToTheMountsRoot() throws {
        try write("cgroup/memory/memory.limit_in_bytes", "2000000000\n")
        try write("cgroup/memory/inner/memory.limit_in_bytes", "1200000000\n")
        try write("cgroup/memory/inner/memory.usage_in_bytes", "200000000\n")
        try write("mountinfo", mountLine(40, cgroupRoot: "/docker/0123abcd", point: "cgroup/memory", type: "cgroup",
                                         superOptions: "rw,memory") + "\n")
        XCTAssertEqual(try current(procCgroup: "7:memory:/docker/0123abcd/inner\n").bytes, 1_000_000_000)
        // A path outside the mount's root: the mount point alone (the container's own cgroup).
        XCTAssertEqual(try current(procCgroup: "7:memory:/elsewhere/x\n").bytes, 2_000_000_000)
    }

    func testNoMeminfoMeansNoFigure() {
        XCTAssertNil(AvailableMemory.current(meminfo: root + "/missing", procCgroup: root + "/missing", cgroupRoot: root + "/cgroup"))
    }
}
