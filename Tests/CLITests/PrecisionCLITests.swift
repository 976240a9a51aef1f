import Foundation
import Layouts
import Support
import XCTest

/// `--precision` of generate as a user meets it: the f32 path (oneDNN) gives the
/// old engine's image, bf16 stays close to it, and a wrong value is one line
/// naming where it came from.
final class PrecisionCLITests: XCTestCase {
    func generate(_ extra: [String], environment: [String: String] = [:], output: String) throws -> CLIRunner.Result {
        let root = CLIRunner.packageRoot
        return try CLIRunner(environment: environment).run(
            ["generate", root + "/samples/lake.png", "--model", root + "/models/landscape-lggan.safetensors", "-o", output] + extra)
    }

    /// Largest and mean absolute channel difference of two PNGs of one size.
    func difference(_ a: String, _ b: String) throws -> (max: Int, mean: Double) {
        let x = try RGBImage.read(path: a).pixels, y = try RGBImage.read(path: b).pixels
        XCTAssertEqual(x.count, y.count)
        let d = zip(x, y).map { abs(Int($0) - Int($1)) }
        return (d.max() ?? 0, Double(d.reduce(0, +)) / Double(max(1, d.count)))
    }

    func testF32MatchesTheEngineAndBF16StaysClose() throws {
        let dir = NSTemporaryDirectory() + "precision-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let engine = try generate(["--precision", "f32"], environment: ["SCENEPAINT_CONVOLUTIONS": "engine"], output: dir + "/engine.png")
        XCTAssertEqual(engine.status, 0, engine.stderr)
        let f32 = try generate(["--precision", "f32"], output: dir + "/f32.png")
        XCTAssertEqual(f32.status, 0, f32.stderr)
        let bf16 = try generate([], environment: ["SCENEPAINT_PRECISION": "bf16"], output: dir + "/bf16.png")
        XCTAssertEqual(bf16.status, 0, bf16.stderr)
        // Float rounding differences may flip a channel by one step, no more.
        let same = try difference(dir + "/engine.png", dir + "/f32.png")
        XCTAssertLessThanOrEqual(same.max, 1)
        XCTAssertLessThan(same.mean, 0.01)
        // bf16 (measured: max 8, mean 0.05 of 255): visibly the same picture, but not bit-identical.
        let close = try difference(dir + "/f32.png", dir + "/bf16.png")
        XCTAssertLessThanOrEqual(close.max, 24)
        XCTAssertLessThan(close.mean, 0.5)
        let cpu = CPUFeatures.current().flags
        if cpu.contains("avx512_bf16") || cpu.contains("amx_bf16") {
            XCTAssertGreaterThan(close.mean, 0, "bf16 gave the f32 image bit for bit: did bf16 run?")
        }
    }

    func testWrongPrecisionIsOneLineNamingItsSource() throws {
        let out = NSTemporaryDirectory() + "precision-bad-\(getpid()).png"
        let flag = try generate(["--precision", "f16"], output: out)
        XCTAssertNotEqual(flag.status, 0)
        XCTAssertEqual(flag.stderr.filter { $0 == "\n" }.count, 1, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("--precision") && flag.stderr.contains("f16"), flag.stderr)
        let variable = try generate([], environment: ["SCENEPAINT_PRECISION": "half"], output: out)
        XCTAssertNotEqual(variable.status, 0)
        XCTAssertTrue(variable.stderr.contains("SCENEPAINT_PRECISION") && variable.stderr.contains("half"), variable.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written on a wrong value")
    }
}
