import Foundation
import XCTest

/// `eval --style-from-real` through the real binary (issues 13/15): a tiny
/// style model takes each pair's code from its real image's posterior, the
/// JSON and the table say which code source was used, the scores differ from
/// the prior's on the same pairs, a model without a style encoder is
/// refused in one line, and a model without a style code is reported as such.
final class EvalStyleFromRealCLITests: XCTestCase {
    func testPosteriorCodesAreUsedAndNamedAndModelsWithoutAnEncoderAreRefused() throws {
        let fixture = try TinyTrainingFixture("eval-posterior")
        defer { fixture.remove() }
        let (cli, dir) = (fixture.cli, fixture.dir)
        let trained = try fixture.train("style", ["--steps", "2", "--style-code", "4", "--style-encoder"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let model = dir + "/style/model.safetensors"

        func eval(_ extra: [String], _ name: String) throws -> (CLIRunner.Result, [String: Any]) {
            let result = try cli.run(["eval", "--model", model, "--data", fixture.data, "--diversity-seeds", "2",
                                      "--diversity-layouts", "2", "--json", "\(dir)/\(name).json"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            let data = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/\(name).json"), result.stderr)
            return (result, try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
        }
        let (priorRun, prior) = try eval([], "prior")
        let (posteriorRun, posterior) = try eval(["--style-from-real"], "posterior")
        XCTAssertEqual(prior["style_code"] as? String, "prior")
        XCTAssertEqual(posterior["style_code"] as? String, "real-image-posterior")
        XCTAssertTrue(priorRun.text.contains("style code from the prior"), priorRun.text)
        XCTAssertTrue(posteriorRun.text.contains("style code from the real images' posterior"), posteriorRun.text)
        // Same pairs, same seeds: only the codes differ, and so do the generated images' evaluator features.
        XCTAssertEqual(prior["count"] as? Int, 3)
        XCTAssertEqual(posterior["count"] as? Int, 3)
        func frechet(_ report: [String: Any]) -> Double? {
            (report["segmenter_feature_frechet_distance"] as? [String: Any])?["value"] as? Double
        }
        func diversity(_ report: [String: Any]) -> Double? {
            (report["diversity"] as? [String: Any])?["mean_pairwise_feature_distance"] as? Double
        }
        XCTAssertNotNil(frechet(prior))
        XCTAssertNotEqual(frechet(prior), frechet(posterior), "posterior codes give other images than the prior's")
        XCTAssertNotNil(diversity(posterior))
        XCTAssertNotEqual(diversity(prior), diversity(posterior))
        // The real side does not depend on the code source.
        XCTAssertEqual((prior["real"] as? [String: Any])?["miou"] as? Double,
                       (posterior["real"] as? [String: Any])?["miou"] as? Double)

        // Models without a style encoder: one line, non-zero exit, no JSON written.
        let plain = try fixture.train("plain", ["--steps", "1", "--style-code", "4"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        // A model without a style code draws none: the report says so, not "style code from the prior".
        let single = try fixture.train("single", ["--steps", "1"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let singleRun = try cli.run(["eval", "--model", dir + "/single/model.safetensors", "--data", fixture.data,
                                     "--diversity-seeds", "1", "--json", dir + "/single.json"])
        XCTAssertEqual(singleRun.status, 0, singleRun.stderr)
        XCTAssertTrue(singleRun.text.contains("seed 0, no style code"), singleRun.text)
        let singleReport = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/single.json"))
        XCTAssertEqual((try JSONSerialization.jsonObject(with: singleReport) as? [String: Any])?["style_code"] as? String, "none")
        for (refused, why) in [(dir + "/plain/model.safetensors", "has none"), ("flat", "has no style code")] {
            let result = try cli.run(["eval", "--model", refused, "--data", fixture.data, "--style-from-real",
                                      "--json", dir + "/refused.json"])
            XCTAssertNotEqual(result.status, 0, refused)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("--style-from-real") && result.stderr.contains(why), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/refused.json"))
        }
    }
}
