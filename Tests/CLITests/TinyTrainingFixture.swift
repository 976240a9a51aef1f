import Foundation
import XCTest

/// What the CLI tests that train share: a fresh temporary directory holding a
/// 3-pair 32x32 synthetic dataset (`dataset synth`), the flags of a tiny LGGAN
/// that trains in a fraction of a second per step, and reading a run's tensors.
struct TinyTrainingFixture {
    /// A tiny model (ngf 4, no local trunk, 1x1 class convs, ndf 4) on 16x16 crops, one thread, no sample sheets.
    static let tinyLGGAN = ["--size", "16", "--batch", "1", "--samples", "1", "--threads", "1", "--log-every", "1",
                            "--sample-every", "100000", "--width", "4", "--local-blocks", "0", "--class-kernel", "1",
                            "--spade-hidden", "4", "--discriminator-width", "4"]

    let cli = CLIRunner(environment: ["SCENEPAINT_HOME": CLIRunner.packageRoot])
    let dir: String
    var data: String { dir + "/data" }

    /// Makes the directory and the dataset (a failed `dataset synth` fails the test); call `remove()` when done.
    init(_ name: String) throws {
        dir = NSTemporaryDirectory() + "scenepaint-\(name)-\(UUID().uuidString.prefix(8))"
        let synth = try cli.run(["dataset", "synth", "--out", dir + "/data", "--count", "3", "--size", "32x32", "--jobs", "1"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// `train lggan` of the tiny model into DIR/run, with `extra` flags.
    func train(_ run: String, _ extra: [String]) throws -> CLIRunner.Result {
        try cli.run(["train", "lggan", "--data", data, "--out", dir + "/" + run] + Self.tinyLGGAN + extra)
    }

    /// The training options a run's checkpoint stores (its `options` metadata, JSON).
    static func checkpointOptions(_ run: String) throws -> [String: Any] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: run + "/checkpoint.safetensors"), run)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let options = try XCTUnwrap((header["__metadata__"] as? [String: String])?["options"], "no options in \(run)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(options.utf8)) as? [String: Any])
    }

    /// The F32 tensors of a safetensors file whose names start with `prefix`.
    static func tensors(_ path: String, prefix: String) throws -> [String: [Float]] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), path)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        var result: [String: [Float]] = [:]
        for (name, entry) in header where name.hasPrefix(prefix) {
            let info = try XCTUnwrap(entry as? [String: Any])
            XCTAssertEqual(info["dtype"] as? String, "F32", name)
            let offsets = try XCTUnwrap(info["data_offsets"] as? [NSNumber]).map(\.intValue)
            let bytes = data.subdata(in: (8 + headerLength + offsets[0]) ..< (8 + headerLength + offsets[1]))
            result[name] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        return result
    }
}
