import Foundation
import Layouts
import XCTest

/// The memory guard under a real kernel memory limit: the binary runs in a fresh memory cgroup (v1 where the
/// memory hierarchy is mounted apart, as on this project's machines, else v2), so MemAvailable says gigabytes
/// while the OOM killer would strike at the cgroup's limit. Skipped where the tests may not make cgroups (not
/// root, a read-only /sys/fs/cgroup).
final class CgroupMemoryLimitTests: XCTestCase {
    let root = CLIRunner.packageRoot

    /// generate in 600 MB: 1024^2 (~2.4 GB) is refused in one line naming the cgroup, 256^2 (~0.2 GB) still generates.
    /// (Before the guard read cgroup v1 and the process's own cgroup, 1024^2 was OOM-killed here: exit 137.)
    func testGenerateRefusesASizeTheLimitCannotHold() throws {
        let cgroup = try MemoryCgroup(limitBytes: 600_000_000)
        defer { cgroup.remove() }
        let dir = NSTemporaryDirectory() + "scenepaint-cgroup-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func generate(_ side: Int) throws -> CLIRunner.Result {
            try CLIRunner().runProgram("/bin/sh", ["-c", cgroup.enter + "exec \"$0\" \"$@\"", CLIRunner.binary, "generate",
                                                   root + "/samples/lake.png", "--size", "\(side)x\(side)", "-o", dir + "/out-\(side).png"])
        }
        let refused = try generate(1024)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(refused.stderr.filter { $0 == "\n" }.count, 1, "one line: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("1024x1024 is too large for LGGAN"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("(cgroup \(cgroup.limitFile) 0.6 GB, "), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out-1024.png"))
        let fits = try generate(256)
        XCTAssertEqual(fits.status, 0, fits.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out-256.png"))
    }

    /// The editor's `m` checks the next model before switching: in 1.2 GB, a 512x512 layout opens with the
    /// shipped LGGAN (~0.6 GB), and `m` to a model that needs ~2.2 GB there (an untrained LGGAN with SPADE hidden
    /// width 1024) is refused in the status line; the LGGAN keeps the preview and the editor quits cleanly.
    func testTheEditorDoesNotSwitchToAModelTheLimitCannotHold() throws {
        guard FileManager.default.fileExists(atPath: root + "/models/landscape-lggan.safetensors") else {
            throw XCTSkip("no shipped model in \(root)/models")
        }
        let cgroup = try MemoryCgroup(limitBytes: 1_200_000_000)
        defer { cgroup.remove() }
        let fixture = try TinyTrainingFixture("cgroup-editor")
        defer { fixture.remove() }
        // Wide activations, few weights (16 MB): SPADE's hidden width is per-pixel memory at every level below full size.
        let wide = try fixture.cli.run(["train", "lggan", "--data", fixture.data, "--out", fixture.dir + "/wide", "--steps", "1",
                                        "--size", "32", "--batch", "1", "--samples", "1", "--threads", "1",
                                        "--sample-every", "100000", "--width", "32", "--spade-hidden", "1024"])
        XCTAssertEqual(wide.status, 0, wide.stderr)
        let wideModel = fixture.dir + "/wide-lggan.safetensors"
        try FileManager.default.moveItem(atPath: fixture.dir + "/wide/model.safetensors", toPath: wideModel)
        let landscape = try Palette.load(path: root + "/palettes/landscape.json")
        let layout = fixture.dir + "/big-sky.png"
        try LayoutFile.write(Layout(labels: LabelMap(width: 512, height: 512, fill: UInt8(landscape.classes[0].id)), palette: landscape),
                             to: layout)
        let command = EditorTmuxSession.editorCommand(
            home: fixture.dir, layout: layout,
            arguments: "--graphics truecolor --model \(shellQuote(root + "/models/landscape-lggan.safetensors")) --and-model \(shellQuote(wideModel))")
        let session = try EditorTmuxSession(command: cgroup.enter + command, columns: 220, rows: 40)
        defer { session.close() }
        session.waitFor(" ms | landscape-lggan", timeout: 60)
        try session.send("m")
        let refused = session.waitFor("wide-lggan.safetensors not switched to: 512x512 is too large for LGGAN", timeout: 30)
        XCTAssertTrue(refused.contains("landscape-lggan"), refused)
        try session.send("q")
        session.waitFor("EXITED 0", timeout: 30)
    }
}

/// A scratch memory cgroup with a limit, made in the real cgroup file system.
struct MemoryCgroup {
    let directory: String
    /// "memory.limit_in_bytes" (v1) or "memory.max" (v2).
    let limitFile: String
    /// A shell prefix that moves the shell (and so what it runs) into the cgroup.
    var enter: String { "echo $$ > \(shellQuote(directory + "/cgroup.procs")) && " }

    init(limitBytes: Int) throws {
        let name = "scenepaint-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let v1 = "/sys/fs/cgroup/memory"
        let v2Controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/cgroup.controllers", encoding: .utf8)) ?? ""
        if FileManager.default.fileExists(atPath: v1 + "/memory.limit_in_bytes") {
            (directory, limitFile) = (v1 + "/" + name, "memory.limit_in_bytes")
        } else if v2Controllers.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains("memory") {
            (directory, limitFile) = ("/sys/fs/cgroup/" + name, "memory.max")
        } else {
            throw XCTSkip("no cgroup memory controller mounted at /sys/fs/cgroup")
        }
        guard mkdir(directory, 0o755) == 0 else {
            throw XCTSkip("cannot make a cgroup at \(directory): \(String(cString: strerror(errno)))")
        }
        do {
            try String(limitBytes).write(toFile: directory + "/" + limitFile, atomically: false, encoding: .utf8)
        } catch {
            remove()
            throw XCTSkip("cannot set \(limitFile) in \(directory): \(error)")
        }
    }

    /// rmdir deletes a cgroup once no process is in it (a killed tmux pane may take a moment to go).
    func remove() {
        var tries = 0
        while rmdir(directory) != 0 && errno == EBUSY && tries < 50 {
            usleep(100_000)
            tries += 1
        }
    }
}
