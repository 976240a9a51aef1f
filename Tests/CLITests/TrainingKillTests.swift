import Foundation
import XCTest

/// kill -9 of a real `train lggan` run, three times at random moments (often
/// in the middle of writing a checkpoint, which happens every 4 steps): the
/// checkpoint on disk is always a complete file, `--resume` starts from
/// exactly its step, and the finished run's log has every step once.
final class TrainingKillTests: XCTestCase {
    static let checkpointEvery = 4
    static let totalSteps = 160

    func testKill9LosesAtMostOneCheckpointInterval() throws {
        let fixture = try TinyTrainingFixture("kill9")
        defer { fixture.remove() }
        let (cli, dir) = (fixture.cli, fixture.dir)

        let run = dir + "/run", checkpoint = dir + "/run/checkpoint.safetensors"
        let arguments = ["train", "lggan", "--data", fixture.data, "--out", run, "--steps", String(Self.totalSteps),
                         "--checkpoint-every", String(Self.checkpointEvery)] + TinyTrainingFixture.tinyLGGAN
        var generator = SystemRandomNumberGenerator()
        var lastSeen = 0
        for round in 0..<3 {
            let process = try Self.start(arguments + (round == 0 ? [] : ["--resume"]), home: CLIRunner.packageRoot,
                                         log: dir + "/stderr-\(round).txt")
            // Wait for a checkpoint newer than the last round's, then kill at a random moment.
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline && process.isRunning {
                if let step = Self.completeCheckpointStep(checkpoint), step > lastSeen { lastSeen = step; break }
                usleep(5_000)
            }
            XCTAssertTrue(process.isRunning, "round \(round): the run ended before it could be killed: "
                          + ((try? String(contentsOfFile: dir + "/stderr-\(round).txt", encoding: .utf8)) ?? ""))
            usleep(UInt32.random(in: 0..<200_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)

            let onDisk = try XCTUnwrap(Self.completeCheckpointStep(checkpoint), "round \(round): the checkpoint is not a complete file")
            XCTAssertGreaterThanOrEqual(onDisk, lastSeen, "a checkpoint went backwards")
            XCTAssertEqual(onDisk % Self.checkpointEvery, 0, "checkpoints come every \(Self.checkpointEvery) steps")
            lastSeen = onDisk
        }

        // The last resume runs to the end and must start where the last checkpoint is.
        let finish = try cli.run(arguments + ["--resume"])
        XCTAssertEqual(finish.status, 0, finish.stderr)
        XCTAssertTrue(finish.stderr.contains("resuming \(run) at step \(lastSeen) of \(Self.totalSteps)"), finish.stderr)
        XCTAssertEqual(Self.completeCheckpointStep(checkpoint), Self.totalSteps)

        // Steps after a lost checkpoint were trained again, and logged once.
        let logText = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8)
        let steps = logText.split(separator: "\n").compactMap { line -> Int? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["step"] as? NSNumber)?.intValue
        }
        XCTAssertEqual(steps, Array(1...Self.totalSteps), "the log holds every step exactly once")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "temporary files of killed writes are cleaned up on resume")
    }

    static func start(_ arguments: [String], home: String, log: String) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: CLIRunner.binary) else {
            throw XCTSkip("no scenepaint binary at \(CLIRunner.binary); run `make test`")
        }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SCENEPAINT_HOME"] = home
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The step in a checkpoint's metadata when the file is a whole safetensors
    /// file (header inside it, data exactly as long as the entries' offsets say);
    /// nil when it is missing or partial.
    static func completeCheckpointStep(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 8 else { return nil }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard headerLength > 0, 8 + headerLength <= data.count,
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any],
              let step = ((header["__metadata__"] as? [String: Any])?["step"] as? String).flatMap({ Int($0) }) else { return nil }
        let end = header.values.compactMap { (($0 as? [String: Any])?["data_offsets"] as? [NSNumber])?.last?.intValue }.max() ?? 0
        return data.count == 8 + headerLength + end ? step : nil
    }
}
