import Foundation
import Layouts
import XCTest

/// `train lggan --init-from MODEL --texture-noise K` through the real binary
/// (issue 13): the warm start zeroes the new noise weights, K lands in the
/// model file, the run resumes, `generate --seed` gives the same bits for a
/// seed (also through `--settings-from`) and another picture for another
/// seed, and `export --onnx` writes the model with its texture input.
final class TextureNoiseCLITests: XCTestCase {
    func testWarmStartWithTextureNoiseTrainsResumesAndGeneratesBySeed() throws {
        let fixture = try TinyTrainingFixture("texture")
        defer { fixture.remove() }
        let (cli, dir, train) = (fixture.cli, fixture.dir, fixture.train)
        let source = try train("source", ["--steps", "2"])
        XCTAssertEqual(source.status, 0, source.stderr)
        let noisy = ["--init-from", dir + "/source/model.safetensors", "--texture-noise", "4", "--discriminator-warmup", "0"]
        let warm = try train("noisy", noisy + ["--steps", "2"])
        XCTAssertEqual(warm.status, 0, warm.stderr)
        XCTAssertTrue(warm.stderr.contains("zero (style code and texture noise weights)"), warm.stderr)
        XCTAssertFalse(warm.stderr.contains(" 0 zero"), "the noise weights start at zero: \(warm.stderr)")
        // The new projections learn at the style rate (x10), also when K comes from the warm-start model, not the flag.
        XCTAssertEqual((try TinyTrainingFixture.checkpointOptions(dir + "/noisy"))["styleLearningRateFactor"] as? Double, 10)
        let inherited = try train("inherited", ["--init-from", dir + "/noisy/model.safetensors", "--steps", "1"])
        XCTAssertEqual(inherited.status, 0, inherited.stderr)
        XCTAssertEqual((try TinyTrainingFixture.checkpointOptions(dir + "/inherited"))["styleLearningRateFactor"] as? Double, 10)
        // --texture-noise-init starts a warm start's projections: without --init-from it is refused in one line.
        let lonely = try train("lonely", ["--steps", "1", "--texture-noise", "4", "--texture-noise-init", "0.02"])
        XCTAssertNotEqual(lonely.status, 0)
        XCTAssertEqual(lonely.stderr.split(separator: "\n").count, 1, lonely.stderr)
        XCTAssertTrue(lonely.stderr.contains("--init-from"), lonely.stderr)
        let resumed = try train("noisy", ["--steps", "3", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("at step 2"), resumed.stderr)
        XCTAssertFalse(resumed.stderr.lowercased().contains("nan"), resumed.stderr)

        let model = dir + "/noisy/model.safetensors"
        let global = try TinyTrainingFixture.tensors(model, prefix: "global.finalNorm.")
        let local = try TinyTrainingFixture.tensors(model, prefix: "local.")
        // Trained for a step from zero: present and moved.
        XCTAssertGreaterThan(global["global.finalNorm.noiseProjection.weight"]?.map(abs).max() ?? 0, 0, "\(global.keys.sorted())")
        XCTAssertGreaterThan(local["local.noiseModulation.weight"]?.map(abs).max() ?? 0, 0)

        let layout = dir + "/data/layouts/000000.png"
        func generate(_ extra: [String], _ name: String) throws -> RGBImage {
            let result = try cli.run(["generate", layout, "--model", model, "-o", "\(dir)/\(name).png", "--threads", "1"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            return try RGBImage.read(path: "\(dir)/\(name).png")
        }
        let a = try generate(["--seed", "1"], "a"), again = try generate(["--seed", "1"], "a2")
        let b = try generate(["--seed", "2"], "b")
        XCTAssertEqual(a, again, "the same seed gives the same bits")
        XCTAssertNotEqual(a, b, "another seed draws another noise map")
        XCTAssertEqual(try generate(["--settings-from", dir + "/b.png"], "b2"), b)

        let export = try cli.run(["export", "--onnx", model, dir + "/noisy.onnx"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.text.contains("outputs: fused, global, local"), export.text)
        let onnx = try Data(contentsOf: URL(fileURLWithPath: dir + "/noisy.onnx"))
        for name in ["texture", "global.finalNorm.noiseProjection.weight", "local.noiseModulation.weight"] {
            XCTAssertNotNil(onnx.range(of: Data(name.utf8)), name)
        }
    }
}
