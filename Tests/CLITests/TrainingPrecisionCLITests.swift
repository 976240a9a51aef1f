import Foundation
import Support
import XCTest

/// `train lggan --precision bf16`: the checkpoint stores it, --resume keeps it,
/// the steps really run in bf16 (step 1's losses differ from f32's, a little),
/// and a wrong value, or bf16 on a CPU without it, is one line.
final class TrainingPrecisionCLITests: XCTestCase {
    static var hasNativeBF16: Bool {
        let flags = CPUFeatures.current().flags
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16")
    }

    /// The loss terms of step 1 in a run's log.
    static func firstLosses(_ run: String) throws -> [String: Double] {
        let text = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8)
        let first = try XCTUnwrap(text.split(separator: "\n").first)
        let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        return try XCTUnwrap(entry["losses"] as? [String: Double])
    }

    func testBF16RunResumesInBF16AndStaysCloseToF32() throws {
        guard Self.hasNativeBF16 else { throw XCTSkip("this CPU has no avx512_bf16/AMX: bf16 training is refused here") }
        let fixture = try TinyTrainingFixture("bf16-train")
        defer { fixture.remove() }
        let bf16 = try fixture.train("bf16", ["--steps", "2", "--precision", "bf16"])
        XCTAssertEqual(bf16.status, 0, bf16.stderr)
        XCTAssertTrue(bf16.stderr.contains("convolutions bf16"), bf16.stderr)
        XCTAssertEqual(try TinyTrainingFixture.checkpointOptions(fixture.dir + "/bf16")["precision"] as? String, "bf16")

        let resumed = try fixture.train("bf16", ["--steps", "3", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming") && resumed.stderr.contains("convolutions bf16"), resumed.stderr)
        let options = try TinyTrainingFixture.checkpointOptions(fixture.dir + "/bf16")
        XCTAssertEqual(options["precision"] as? String, "bf16")
        XCTAssertEqual(options["steps"] as? Int, 3)

        // The same seed in f32 (the default, stored as such): step 1 sees the same weights and batch,
        // so its losses differ only by bf16's rounding.
        let f32 = try fixture.train("f32", ["--steps", "1"])
        XCTAssertEqual(f32.status, 0, f32.stderr)
        XCTAssertTrue(f32.stderr.contains("convolutions f32"), f32.stderr)
        XCTAssertEqual(try TinyTrainingFixture.checkpointOptions(fixture.dir + "/f32")["precision"] as? String, "f32")
        let a = try Self.firstLosses(fixture.dir + "/bf16"), b = try Self.firstLosses(fixture.dir + "/f32")
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        // Relative to the term, or absolute for terms near 0 (the generator's hinge term starts at about -0.005).
        let gaps = b.map { name, value in (name, abs((a[name] ?? .infinity) - value) / max(abs(value), 1)) }
        XCTAssertTrue(gaps.contains { $0.1 > 0 }, "bf16 gave f32's losses bit for bit: did bf16 run? \(a)")
        for (name, gap) in gaps { XCTAssertLessThan(gap, 0.05, "step-1 \(name): bf16 \(a[name] ?? 0), f32 \(b[name] ?? 0)") }
    }

    func testWrongPrecisionIsOneLine() throws {
        let fixture = try TinyTrainingFixture("bf16-wrong")
        defer { fixture.remove() }
        var refusals = [("f16", try fixture.train("wrong", ["--steps", "1", "--precision", "f16"]))]
        if !Self.hasNativeBF16 {
            refusals.append(("avx512_bf16", try fixture.train("wrong", ["--steps", "1", "--precision", "bf16"])))
        }
        for (named, result) in refusals {
            XCTAssertNotEqual(result.status, 0)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("--precision") && result.stderr.contains(named), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.dir + "/wrong/checkpoint.safetensors"))
    }
}
