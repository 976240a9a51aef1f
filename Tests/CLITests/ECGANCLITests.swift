import Foundation
import Layouts
import Support
import XCTest

/// `dataset edges`, `train ecgan` (resume, refusals) and `generate` with an
/// ECGAN model, run as a user runs them.
final class ECGANCLITests: XCTestCase {
    /// Two 32x32 pairs of the test palette.
    func makeDataset(home: String, palette: Palette) throws -> String {
        let dir = home + "/data"
        for sub in ["layouts", "images"] { try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true) }
        for k in 0..<2 {
            var layout = sampleLayout(palette, width: 32, height: 32)
            if k == 1 { for x in 0..<32 { layout.labels[x, 20] = 3 } }
            try LayoutFile.write(layout, to: dir + "/layouts/00000\(k).png")
            var image = layout.labels.colorized(with: palette)
            for i in stride(from: 0, to: image.pixels.count, by: 7) { image.pixels[i] = image.pixels[i] / 2 }
            try image.write(path: dir + "/images/00000\(k).png")
        }
        return dir
    }

    func testDatasetEdgesTrainResumeAndGenerateWithEveryECGANView() throws {
        let (home, palette) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let data = try makeDataset(home: home, palette: palette)

        let edges = try cli.run(["dataset", "edges", data])
        XCTAssertEqual(edges.status, 0, edges.stderr)
        XCTAssertTrue(edges.text.contains("2 edge maps written"), edges.text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/edges/000000.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/edges/canny.json"))
        XCTAssertTrue(try cli.run(["dataset", "edges", data]).text.contains("0 edge maps written"))

        // The similarity loss needs a label network: refused in one line without one.
        let run = home + "/run"
        let noLabel = try cli.run(["train", "ecgan", "--data", data, "--out", run, "--size", "32", "--steps", "1"])
        XCTAssertNotEqual(noLabel.status, 0)
        XCTAssertTrue(noLabel.stderr.contains("--label-network"), noLabel.stderr)
        XCTAssertEqual(noLabel.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count, 1, noLabel.stderr)

        let common = ["train", "ecgan", "--data", data, "--out", run, "--size", "32", "--batch", "2", "--no-similarity",
                      "--plus-plus", "--checkpoint-every", "1", "--log-every", "1", "--samples", "1", "--sample-every", "2"]
        let trained = try cli.run(common + ["--steps", "2"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        for file in ["checkpoint.safetensors", "model.safetensors", "log.jsonl", "loss-curves.png", "samples/step-000002.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + file), file)
        }
        XCTAssertTrue(trained.stderr.contains("contrast") && trained.stderr.contains("class_l1"), "progress shows the loss terms")
        let resumed = try cli.run(common + ["--steps", "3", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming \(run) at step 2"), resumed.stderr)
        let lines = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)

        let layoutPath = data + "/layouts/000001.png"
        let views = home + "/views"
        let all = try cli.run(["generate", layoutPath, "--model", run + "/model.safetensors", "--all-views", views])
        XCTAssertEqual(all.status, 0, all.stderr)
        for view in ["fused", "coarse", "edge", "attention", "side-by-side", "class-house"] {
            let image = try RGBImage.read(path: views + "/" + view + ".png")
            XCTAssertGreaterThanOrEqual(image.width, 32, view)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: views + "/global.png"))
        let one = try cli.run(["generate", layoutPath, "--model", run + "/model.safetensors", "--view", "I'", "-o", home + "/coarse.png"])
        XCTAssertEqual(one.status, 0, one.stderr)
        let missing = try cli.run(["generate", layoutPath, "--model", run + "/model.safetensors", "--view", "global", "-o", home + "/g.png"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("has no global view"), missing.stderr)
        XCTAssertEqual(missing.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count, 1, missing.stderr)

        // A layout of another palette is refused in one line naming both palettes.
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(1, 2, 3)),
                                                         PaletteClass(id: 1, name: "lava", color: RGBColor(200, 20, 0))])
        try other.encodeJSON().write(to: URL(fileURLWithPath: home + "/palettes/other.json"))
        try LayoutFile.write(Layout(labels: LabelMap(width: 16, height: 16), palette: other), to: home + "/other.png")
        let mismatch = try cli.run(["generate", home + "/other.png", "--model", run + "/model.safetensors", "-o", home + "/o.png"])
        XCTAssertNotEqual(mismatch.status, 0)
        XCTAssertTrue(mismatch.stderr.contains("'other'") && mismatch.stderr.contains("'mini'"), mismatch.stderr)
        XCTAssertEqual(mismatch.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count, 1, mismatch.stderr)
    }

    /// The evaluator may judge ECGAN but never train it.
    func testTheEvaluatorIsRefusedAsTheLabelNetwork() throws {
        let (home, palette) = try makeHome()
        let data = try makeDataset(home: home, palette: palette)
        try FileManager.default.createDirectory(atPath: home + "/models", withIntermediateDirectories: true)
        let evaluator = home + "/models/landscape-segmenter.safetensors"
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot + "/models/landscape-segmenter.safetensors", toPath: evaluator)
        let copy = home + "/judge-copy.safetensors"
        try FileManager.default.copyItem(atPath: evaluator, toPath: copy)
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let refused = try cli.run(["train", "ecgan", "--data", data, "--out", home + "/run", "--size", "32", "--steps", "1",
                                   "--label-network", copy])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("evaluator"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/run/checkpoint.safetensors"))
    }

    /// `train ecgan --style-code N --style-encoder` (issue 15): the KL is trained
    /// and logged, the model file keeps the code and its encoder, `generate
    /// --seed` is reproducible bit for bit, `--style` takes a reference image
    /// and `--settings-from` makes the styled picture again.
    func testTheStyleCodeTrainsAndGenerateTakesSeedsAndStyles() throws {
        let (home, palette) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let data = try makeDataset(home: home, palette: palette)
        let run = home + "/run"
        let trained = try cli.run(["train", "ecgan", "--data", data, "--out", run, "--size", "32", "--batch", "2", "--no-similarity",
                                   "--style-code", "4", "--style-encoder", "--kl-warmup", "1", "--kl-free-bits", "0.1",
                                   "--style-learning-rate-factor", "5", "--steps", "2", "--log-every", "1", "--samples", "0"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let log = try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8)
        XCTAssertTrue(log.contains("\"styleKL\""), log)
        let checkpointOptions = try Self.safetensorsMetadata(run + "/checkpoint.safetensors")["options"] ?? ""
        for key in ["\"klWarmupSteps\":1", "\"klFreeBits\":0.1", "\"styleLearningRateFactor\":5"] {
            XCTAssertTrue(checkpointOptions.contains(key), checkpointOptions)
        }
        let model = run + "/model.safetensors"
        let layout = data + "/layouts/000001.png"
        func generate(_ extra: [String], _ name: String) throws -> RGBImage {
            let result = try cli.run(["generate", layout, "--model", model, "-o", home + "/" + name] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            return try RGBImage.read(path: home + "/" + name)
        }
        XCTAssertEqual(try generate(["--seed", "3"], "a.png"), try generate(["--seed", "3"], "a2.png"))
        XCTAssertEqual(try PNGTextChunks.read(path: home + "/a.png")["scenepaint.seed"], "3")
        let reference = home + "/reference.png"
        try RGBImage.read(path: data + "/images/000000.png").resized(width: 64, height: 64).write(path: reference)
        let styled = try generate(["--style", reference, "--seed", "3"], "s.png")
        XCTAssertNotNil(try PNGTextChunks.read(path: home + "/s.png")["scenepaint.style-mean"])
        XCTAssertEqual(try generate(["--settings-from", home + "/s.png"], "s2.png"), styled)
        // A resumed run continues with the style optimiser.
        let resumed = try cli.run(["train", "ecgan", "--data", data, "--out", run, "--steps", "3", "--resume", "--samples", "0"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        // --style-encoder alone has no code to encode into: one line saying what to pass.
        let alone = try cli.run(["train", "ecgan", "--data", data, "--out", home + "/run2", "--no-similarity", "--style-encoder"])
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.stderr.contains("--style-code"), alone.stderr)
    }

    /// The `__metadata__` of a safetensors file (8-byte little-endian header length, then the JSON header).
    static func safetensorsMetadata(_ path: String) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + length)) as? [String: Any]
        return header?["__metadata__"] as? [String: String] ?? [:]
    }

    /// A model file written before the style code existed (the ECGAN shipped until session 10)
    /// gives the image the e437f44 build gave (Tests/Fixtures, made by that
    /// binary; at most 1 level apart, for BLAS kernels that sum in another
    /// order on another CPU), and the seed changes nothing.
    func testECGANFilesFromBeforeTheStyleCodeGenerateAsBefore() throws {
        let dir = NSTemporaryDirectory() + "ecgan-old-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let model = CLIRunner.packageRoot + "/Tests/Fixtures/ecgan-step400-before-style.safetensors"
        let layout = CLIRunner.packageRoot + "/samples/lake.png"
        for seed in ["5", "6"] {
            let result = try CLIRunner().run(["generate", layout, "--model", model, "--size", "96x64", "--seed", seed,
                                              "-o", dir + "/\(seed).png"])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let now = try RGBImage.read(path: dir + "/5.png")
        let then = try RGBImage.read(path: CLIRunner.packageRoot + "/Tests/Fixtures/lake-96x64-ecgan-e437f44.png")
        XCTAssertEqual([now.width, now.height], [then.width, then.height])
        let worst = zip(now.pixels, then.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        XCTAssertLessThanOrEqual(worst, 1)
        XCTAssertEqual(try RGBImage.read(path: dir + "/6.png"), now)
    }
}
