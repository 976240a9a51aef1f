import Foundation
import XCTest

/// `train lggan --init-discriminator-from CHECKPOINT`: the new run's discriminator
/// starts as the checkpoint's (a fine-tune of a trained generator then meets a
/// discriminator that already judges this world, not a random one), and a file
/// that is not an LGGAN checkpoint is refused in one line.
final class DiscriminatorWarmStartCLITests: XCTestCase {
    static let tinyModel = ["--size", "16", "--batch", "1", "--samples", "1", "--threads", "1", "--log-every", "1",
                            "--sample-every", "100000", "--width", "4", "--local-blocks", "0", "--class-kernel", "1",
                            "--spade-hidden", "4", "--discriminator-width", "4"]

    func testTheDiscriminatorStartsAsTheCheckpointsAndOtherFilesAreRefused() throws {
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": CLIRunner.packageRoot])
        let dir = NSTemporaryDirectory() + "scenepaint-dwarm-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = try cli.run(["dataset", "synth", "--out", dir + "/data", "--count", "3", "--size", "32x32", "--jobs", "1"])
        XCTAssertEqual(data.status, 0, data.stderr)
        func train(_ run: String, _ extra: [String]) throws -> CLIRunner.Result {
            try cli.run(["train", "lggan", "--data", dir + "/data", "--out", dir + "/" + run] + Self.tinyModel + extra)
        }

        // A source run with another seed, so its discriminator differs from a fresh one.
        let source = try train("source", ["--steps", "3", "--seed", "5"])
        XCTAssertEqual(source.status, 0, source.stderr)
        let checkpoint = dir + "/source/checkpoint.safetensors", model = dir + "/source/model.safetensors"

        // One step at a vanishing discriminator rate: its weights stay where they started.
        let still = ["--steps", "1", "--lr-d", "1e-30", "--discriminator-warmup", "0", "--init-from", model]
        let warm = try train("warm", still + ["--init-discriminator-from", checkpoint])
        XCTAssertEqual(warm.status, 0, warm.stderr)
        XCTAssertTrue(warm.stderr.contains("discriminator from \(checkpoint)"), warm.stderr)
        let fresh = try train("fresh", still)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)

        // Spectral norm's power-iteration vectors (weight_u, weight_v) move at every pass, whatever the rate: weights only.
        let sourceD = try Self.tensors(checkpoint, prefix: "D.").filter { !$0.key.hasSuffix("_u") && !$0.key.hasSuffix("_v") }
        let warmD = try Self.tensors(dir + "/warm/checkpoint.safetensors", prefix: "D.")
        let freshD = try Self.tensors(dir + "/fresh/checkpoint.safetensors", prefix: "D.")
        XCTAssertFalse(sourceD.isEmpty)
        XCTAssertTrue(Set(sourceD.keys).isSubset(of: Set(warmD.keys)))
        let warmGap = sourceD.map { name, values in Self.maxDifference(values, warmD[name] ?? []) }.max() ?? .infinity
        let freshGap = sourceD.map { name, values in Self.maxDifference(values, freshD[name] ?? []) }.max() ?? 0
        XCTAssertLessThan(warmGap, 1e-6, "the warm-started discriminator is not the checkpoint's")
        XCTAssertGreaterThan(freshGap, 1e-3, "a fresh discriminator should differ from the source run's")

        // A model file (generator only) is not a checkpoint: one line, non-zero exit, no run written.
        let wrong = try train("wrong", ["--steps", "1", "--init-discriminator-from", model])
        XCTAssertNotEqual(wrong.status, 0)
        let lines = wrong.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains(model) && wrong.stderr.contains("not an LGGAN training checkpoint"), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/wrong/checkpoint.safetensors"))
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

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
