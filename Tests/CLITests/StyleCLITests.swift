import Foundation
import Layouts
import XCTest

/// `generate --seed / --style / --settings-from` with the bundled model that
/// has a style code (issue 15), through the real binary.
final class StyleCLITests: XCTestCase {
    /// The bundled model with a style code (beside the default single-mode one, docs/models.md).
    static let model = CLIRunner.packageRoot + "/models/landscape-lggan-styles.safetensors"
    static let layout = CLIRunner.packageRoot + "/samples/lake.png"

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "style-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func generate(_ extra: [String], to path: String) throws -> CLIRunner.Result {
        try CLIRunner().run(["generate", Self.layout, "--model", Self.model, "--size", "128x128", "-o", path] + extra)
    }

    /// The single-mode default ignores --seed: generate says so (exit 0), and the images are indeed the same.
    func testASeedForAModelWithoutNoiseIsNotedAndChangesNothing() throws {
        let dir = try temporaryDirectory()
        let single = CLIRunner.packageRoot + "/models/landscape-lggan.safetensors"
        var images: [RGBImage] = []
        for seed in ["3", "4"] {
            let result = try CLIRunner().run(["generate", Self.layout, "--model", single, "--size", "64x64", "--seed", seed,
                                              "-o", "\(dir)/\(seed).png"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("note: \(single) has no noise input, so every --seed gives the same image"), result.stderr)
            images.append(try RGBImage.read(path: "\(dir)/\(seed).png"))
        }
        XCTAssertEqual(images[0], images[1])
        let unseeded = try CLIRunner().run(["generate", Self.layout, "--model", single, "--size", "64x64", "-o", dir + "/none.png"])
        XCTAssertEqual(unseeded.stderr, "", "no note without --seed")
    }

    func meanDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }

    func testSeedsChangeTheSceneAndTheSavedSettingsReproduceIt() throws {
        let dir = try temporaryDirectory()
        for (seed, name) in [("1", "a"), ("1", "a2"), ("2", "b")] {
            let result = try generate(["--seed", seed], to: "\(dir)/\(name).png")
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertFalse(result.stderr.contains("no noise input"), result.stderr)
        }
        let a = try RGBImage.read(path: dir + "/a.png"), a2 = try RGBImage.read(path: dir + "/a2.png")
        let b = try RGBImage.read(path: dir + "/b.png")
        XCTAssertEqual(a, a2, "the same seed gives the same picture")
        XCTAssertGreaterThan(meanDifference(a, b), 2, "another seed gives a visibly different picture")
        XCTAssertEqual(try PNGTextChunks.read(path: dir + "/b.png")["scenepaint.seed"], "2")
        let again = try generate(["--settings-from", dir + "/b.png"], to: dir + "/b2.png")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try RGBImage.read(path: dir + "/b2.png"), b)
        // A style reference changes the look, and its code travels in the PNG.
        let styled = try generate(["--style", CLIRunner.packageRoot + "/docs/images/lggan-samples-test.png", "--seed", "1"],
                                  to: dir + "/s.png")
        XCTAssertEqual(styled.status, 0, styled.stderr)
        let s = try RGBImage.read(path: dir + "/s.png")
        XCTAssertNotEqual(s, a)
        XCTAssertNotNil(try PNGTextChunks.read(path: dir + "/s.png")["scenepaint.style-mean"])
        XCTAssertEqual(try generate(["--settings-from", dir + "/s.png"], to: dir + "/s2.png").status, 0)
        XCTAssertEqual(try RGBImage.read(path: dir + "/s2.png"), s)
    }

    /// A model file written before the style code existed (the single-mode
    /// model shipped at f6f280a) loads and gives the image that build gave
    /// (Tests/Fixtures, made by the f6f280a binary; at most 1 level apart, for
    /// BLAS kernels that sum in another order on another CPU). In f32, as that
    /// build generated: bf16's own tolerance is tested in PrecisionCLITests.
    static let singleModeModel = CLIRunner.packageRoot + "/models/landscape-lggan.safetensors"

    func testModelFilesFromBeforeTheStyleCodeGenerateAsBefore() throws {
        let dir = try temporaryDirectory()
        let result = try CLIRunner().run(["generate", Self.layout, "--model", Self.singleModeModel, "--size", "96x64",
                                          "--seed", "5", "--precision", "f32", "-o", dir + "/old.png"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let now = try RGBImage.read(path: dir + "/old.png")
        let then = try RGBImage.read(path: CLIRunner.packageRoot + "/Tests/Fixtures/lake-96x64-single-mode-f6f280a.png")
        XCTAssertEqual([now.width, now.height], [then.width, then.height])
        let worst = zip(now.pixels, then.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        XCTAssertLessThanOrEqual(worst, 1)
        // Without a style code the seed changes nothing.
        XCTAssertEqual(try CLIRunner().run(["generate", Self.layout, "--model", Self.singleModeModel, "--size", "96x64",
                                            "--seed", "6", "--precision", "f32", "-o", dir + "/other.png"]).status, 0)
        XCTAssertEqual(try RGBImage.read(path: dir + "/other.png"), now)
    }

    func testBadStyleImagesAreOneLineAndExitOne() throws {
        let dir = try temporaryDirectory()
        try RGBImage(width: 8, height: 8).write(path: dir + "/small.png")
        let good = try RGBImage(width: 64, height: 64).pngData()
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.png"))
        try Data("GIF89a".utf8).write(to: URL(fileURLWithPath: dir + "/gif.png"))
        for (name, words) in [("small.png", "8x8"), ("cut.png", "corrupt"), ("gif.png", "PNG"), ("none.png", "no such file")] {
            let result = try generate(["--style", dir + "/" + name], to: dir + "/out.png")
            XCTAssertEqual(result.status, 1, name)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains(dir + "/" + name) && result.stderr.contains(words), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.png"), "nothing written on failure")
        }
        // A JPEG renamed .png is still not a PNG: named as a JPEG's corruption, not a PNG's.
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: URL(fileURLWithPath: dir + "/cut-jpeg.png"))
        let cutJPEG = try generate(["--style", dir + "/cut-jpeg.png"], to: dir + "/out.png")
        XCTAssertEqual(cutJPEG.status, 1)
        XCTAssertTrue(cutJPEG.stderr.contains("corrupt JPEG"), cutJPEG.stderr)
        let conflict = try generate(["--seed", "3", "--settings-from", dir + "/small.png"], to: dir + "/out.png")
        XCTAssertEqual(conflict.status, 2)
        let noSettings = try generate(["--settings-from", dir + "/small.png"], to: dir + "/out.png")
        XCTAssertEqual(noSettings.status, 1)
        XCTAssertTrue(noSettings.stderr.contains("scenepaint.seed"), noSettings.stderr)
    }

    /// A style reference is usually a photo, so a JPEG (baseline or progressive)
    /// takes the same look as the PNG of the same picture.
    func testAJPEGReferenceGivesTheLookOfItsPNG() throws {
        let dir = try temporaryDirectory()
        // The "photo": the painted-mask renderer's render of a sample layout.
        let render = try CLIRunner().run(["dataset", "render", CLIRunner.packageRoot + "/samples/winter.png", "-o", dir + "/ref.png", "--style-seed", "5"])
        XCTAssertEqual(render.status, 0, render.stderr)
        let crop = try RGBImage.read(path: dir + "/ref.png")
        try JPEGCodec.encode(crop, quality: 100).write(to: URL(fileURLWithPath: dir + "/ref.jpg"))
        XCTAssertEqual(try generate(["--style", dir + "/ref.png"], to: dir + "/png.png").status, 0)
        let fromJPEG = try generate(["--style", dir + "/ref.jpg"], to: dir + "/jpeg.png")
        XCTAssertEqual(fromJPEG.status, 0, fromJPEG.stderr)
        let plain = try generate([], to: dir + "/plain.png")
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let (viaPNG, viaJPEG, prior) = (try RGBImage.read(path: dir + "/png.png"), try RGBImage.read(path: dir + "/jpeg.png"),
                                        try RGBImage.read(path: dir + "/plain.png"))
        // The JPEG's look is the PNG's (quality 100 moves a few levels), not the prior's.
        XCTAssertLessThan(meanDifference(viaPNG, viaJPEG), meanDifference(viaPNG, prior) / 2)
    }
}
