import Foundation
import Layouts
import XCTest

/// `model fit-style-prior` through the real binary: fits the bundled style
/// model's seed prior to a tiny data set, and refuses a model without an encoder.
final class FitStylePriorCLITests: XCTestCase {
    static let styleModel = CLIRunner.packageRoot + "/models/landscape-lggan-styles.safetensors"
    static let singleModeModel = CLIRunner.packageRoot + "/models/landscape-lggan.safetensors"
    static let layout = CLIRunner.packageRoot + "/samples/lake.png"

    func generate(_ model: String, seed: Int, to path: String) throws -> RGBImage {
        let result = try CLIRunner().run(["generate", Self.layout, "--model", model, "--size", "64x64", "--seed", "\(seed)",
                                          "--precision", "f32", "-o", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try RGBImage.read(path: path)
    }

    func testTheFittedPriorIsSavedAndSeedsStayReproducible() throws {
        let fixture = try TinyTrainingFixture("fit-style-prior")
        defer { fixture.remove() }
        let fitted = fixture.dir + "/fitted.safetensors"
        let fit = try fixture.cli.run(["model", "fit-style-prior", "--model", Self.styleModel, "--data", fixture.data,
                                       "--count", "3", "-o", fitted, "--threads", "1"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let report = String(decoding: fit.stdout, as: UTF8.self)
        XCTAssertTrue(report.contains("style codes (posterior means) of 3 images, 16 dimensions"), report)
        XCTAssertTrue(report.contains("eigenvalues"), report)
        let a = try generate(fitted, seed: 1, to: fixture.dir + "/a.png")
        XCTAssertEqual(a, try generate(fitted, seed: 1, to: fixture.dir + "/a2.png"), "the same seed gives the same picture")
        XCTAssertNotEqual(a, try generate(fitted, seed: 2, to: fixture.dir + "/b.png"), "another seed another")
        XCTAssertNotEqual(a, try generate(Self.styleModel, seed: 1, to: fixture.dir + "/unfitted.png"),
                          "the fitted prior draws another code for the seed")
    }

    func testATemperatureDrawsSeedsNearerTheTypicalStyleAndABadOneIsRefused() throws {
        let fixture = try TinyTrainingFixture("fit-style-prior-temperature")
        defer { fixture.remove() }
        var pictures: [RGBImage] = []
        for temperature in ["1", "0.5"] {
            let out = fixture.dir + "/t\(temperature).safetensors"
            let fit = try fixture.cli.run(["model", "fit-style-prior", "--model", Self.styleModel, "--data", fixture.data,
                                           "--count", "3", "--temperature", temperature, "-o", out, "--threads", "1"])
            XCTAssertEqual(fit.status, 0, fit.stderr)
            pictures.append(try generate(out, seed: 1, to: fixture.dir + "/t\(temperature).png"))
        }
        XCTAssertNotEqual(pictures[0], pictures[1], "half the spread draws another code for the same seed")
        for bad in ["0", "-0.5", "nan"] {
            let out = fixture.dir + "/bad.safetensors"
            let result = try fixture.cli.run(["model", "fit-style-prior", "--model", Self.styleModel, "--data", fixture.data,
                                              "--temperature", bad, "-o", out])
            XCTAssertNotEqual(result.status, 0, bad)
            XCTAssertTrue(result.stderr.contains("--temperature"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    func testAModelWithoutAStyleEncoderIsRefusedInOneLine() throws {
        let fixture = try TinyTrainingFixture("fit-style-prior-refused")
        defer { fixture.remove() }
        let out = fixture.dir + "/out.safetensors"
        let result = try fixture.cli.run(["model", "fit-style-prior", "--model", Self.singleModeModel, "--data", fixture.data,
                                          "-o", out])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("no style encoder"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
