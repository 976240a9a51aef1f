import Foundation
import XCTest

/// `train lggan --init-discriminator-from CHECKPOINT`: the new run's discriminator
/// starts as the checkpoint's (a fine-tune of a trained generator then meets a
/// discriminator that already judges this world, not a random one), and a file
/// that is not an LGGAN checkpoint is refused in one line.
final class DiscriminatorWarmStartCLITests: XCTestCase {
    func testTheDiscriminatorStartsAsTheCheckpointsAndOtherFilesAreRefused() throws {
        let fixture = try TinyTrainingFixture("dwarm")
        defer { fixture.remove() }
        let (dir, train) = (fixture.dir, fixture.train)

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
        let sourceD = try TinyTrainingFixture.tensors(checkpoint, prefix: "D.").filter { !$0.key.hasSuffix("_u") && !$0.key.hasSuffix("_v") }
        let warmD = try TinyTrainingFixture.tensors(dir + "/warm/checkpoint.safetensors", prefix: "D.")
        let freshD = try TinyTrainingFixture.tensors(dir + "/fresh/checkpoint.safetensors", prefix: "D.")
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

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
