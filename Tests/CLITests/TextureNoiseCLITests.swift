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

        try Self.assertSeedsReproduce(fixture, model: model)

        let export = try cli.run(["export", "--onnx", model, dir + "/noisy.onnx"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.text.contains("outputs: fused, global, local"), export.text)
        let onnx = try Data(contentsOf: URL(fileURLWithPath: dir + "/noisy.onnx"))
        for name in ["texture", "global.finalNorm.noiseProjection.weight", "local.noiseModulation.weight"] {
            XCTAssertNotNil(onnx.range(of: Data(name.utf8)), name)
        }
    }

    /// `train ecgan --init-from LGGAN --texture-noise 4` (issue 15: ECGAN follows
    /// LGGAN's mechanism): a bad K and `--texture-noise-init` without a warm
    /// start are refused in one line; the warm start zeroes the projections,
    /// which learn at the style rate and move from zero with finite losses; K
    /// lands in the model file; the run resumes; `generate --seed` gives the same
    /// bits for a seed and another picture for another; `export --onnx` takes the map.
    func testECGANWithTextureNoiseTrainsFromAnLGGANAndGeneratesBySeed() throws {
        let fixture = try TinyTrainingFixture("ecgan-texture")
        defer { fixture.remove() }
        let (cli, dir) = (fixture.cli, fixture.dir)
        // The source LGGAN with the SPADE widths ECGAN's backbone has (hidden 32).
        var lggan = TinyTrainingFixture.tinyLGGAN
        lggan[lggan.firstIndex(of: "--spade-hidden")! + 1] = "32"
        let source = try cli.run(["train", "lggan", "--data", fixture.data, "--out", dir + "/source", "--steps", "1"] + lggan)
        XCTAssertEqual(source.status, 0, source.stderr)
        // A high rate: ECGAN's branches start at gain 0.02, and at the default rate a few steps leave every
        // output within one 8-bit level of grey, where no seed could show.
        let ecgan = ["train", "ecgan", "--data", fixture.data, "--size", "32", "--batch", "1", "--threads", "1", "--no-similarity",
                     "--samples", "0", "--log-every", "1", "--checkpoint-every", "1", "--width", "4", "--feature-width", "8",
                     "--lr-g", "0.01", "--lr-d", "0.01"]
        for bad in ["65", "-1"] {
            let refused = try cli.run(ecgan + ["--out", dir + "/bad", "--steps", "1", "--texture-noise=" + bad])
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertEqual(refused.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("--texture-noise \(bad)"), refused.stderr)
        }
        let lonely = try cli.run(ecgan + ["--out", dir + "/lonely", "--steps", "1", "--texture-noise", "4", "--texture-noise-init", "0.02"])
        XCTAssertNotEqual(lonely.status, 0)
        XCTAssertEqual(lonely.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count, 1, lonely.stderr)
        XCTAssertTrue(lonely.stderr.contains("--init-from"), lonely.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad/checkpoint.safetensors"))

        let run = dir + "/ecgan"
        let warm = ecgan + ["--out", run, "--init-from", dir + "/source/model.safetensors", "--texture-noise", "4"]
        let trained = try cli.run(warm + ["--steps", "3"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stderr.contains("zero (style code and texture noise weights)"), trained.stderr)
        XCTAssertFalse(trained.stderr.contains(" 0 zero"), "the noise weights start at zero: \(trained.stderr)")
        XCTAssertFalse(trained.stderr.lowercased().contains("nan"), trained.stderr)
        XCTAssertEqual((try TinyTrainingFixture.checkpointOptions(run))["styleLearningRateFactor"] as? Double, 10)
        let resumed = try cli.run(warm + ["--steps", "4", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("at step 3"), resumed.stderr)
        let log = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.count, 4)
        for line in log {
            let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for (key, value) in record { if let x = value as? Double { XCTAssertTrue(x.isFinite, "\(key) in \(line)") } }
        }

        let model = run + "/model.safetensors"
        XCTAssertTrue(try ECGANCLITests.safetensorsMetadata(model)["config"]?.contains("\"textureNoiseChannels\":4") ?? false)
        let backbone = try TinyTrainingFixture.tensors(model, prefix: "backbone.")
        for name in ["backbone.finalNorm.noiseProjection.weight", "backbone.blocks.0.norm0.noiseProjection.weight"] {
            XCTAssertGreaterThan(backbone[name]?.map(abs).max() ?? 0, 0, "\(name) moved from zero: \(backbone.keys.sorted())")
        }

        try Self.assertSeedsReproduce(fixture, model: model)

        let export = try cli.run(["export", "--onnx", model, dir + "/ecgan.onnx"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let onnx = try Data(contentsOf: URL(fileURLWithPath: dir + "/ecgan.onnx"))
        for name in ["texture", "backbone.finalNorm.noiseProjection.weight", "backbone.blocks.0.norm0.noiseProjection.weight"] {
            XCTAssertNotNil(onnx.range(of: Data(name.utf8)), name)
        }
    }

    /// `generate --seed` with `model` on the fixture's first layout: the same seed
    /// gives the same bits, another seed another picture, `--settings-from` its PNG again.
    static func assertSeedsReproduce(_ fixture: TinyTrainingFixture, model: String,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let (cli, dir) = (fixture.cli, fixture.dir)
        let layout = fixture.data + "/layouts/000000.png"
        func generate(_ extra: [String], _ name: String) throws -> RGBImage {
            let result = try cli.run(["generate", layout, "--model", model, "-o", "\(dir)/\(name).png", "--threads", "1"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
            return try RGBImage.read(path: "\(dir)/\(name).png")
        }
        let a = try generate(["--seed", "1"], "a"), again = try generate(["--seed", "1"], "a2")
        let b = try generate(["--seed", "2"], "b")
        XCTAssertEqual(a, again, "the same seed gives the same bits", file: file, line: line)
        XCTAssertNotEqual(a, b, "another seed draws another noise map", file: file, line: line)
        XCTAssertEqual(try generate(["--settings-from", dir + "/b.png"], "b2"), b, file: file, line: line)
    }
}
