import Foundation
import XCTest

/// `export --onnx` and `bench peers` as a user meets them: a real file with the
/// ONNX header and the views as outputs, one line for a wrong model file with
/// nothing written, and a peer benchmark that says "skipped" without onnxruntime.
/// (python/tests/test_onnx_export.py checks the file with onnx and onnxruntime.)
final class ExportCLITests: XCTestCase {
    let root = CLIRunner.packageRoot
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "export-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func contains(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }

    func testExportWritesAnONNXModelWithTheViewsAsOutputs() throws {
        let out = directory + "/lggan.onnx"
        let result = try CLIRunner().run(["export", "--onnx", root + "/models/landscape-lggan.safetensors", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("outputs: fused, global, local, weight_global, weight_local, class_sky"), result.text)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertEqual(Array(data.prefix(2)), [0x08, 0x08], "ModelProto starts with ir_version 8")
        XCTAssertGreaterThan(data.count, 1_000_000, "the weights are in the file")
        for name in ["fused", "weight_local", "class_boat", "InstanceNormalization", "global.toRGB.weight"] {
            XCTAssertTrue(contains(data, name), name)
        }
        let ecgan = try CLIRunner().run(["export", "--onnx", root + "/models/landscape-ecgan.safetensors", directory + "/ecgan.onnx"])
        XCTAssertEqual(ecgan.status, 0, ecgan.stderr)
        XCTAssertTrue(ecgan.text.contains("outputs: fused, coarse, edge, attention"), ecgan.text)
        let reference = directory + "/reference.onnx"
        let graph = try CLIRunner().run(["export", "--onnx", "--reference-graph", reference])
        XCTAssertEqual(graph.status, 0, graph.stderr)
        XCTAssertTrue(contains(try Data(contentsOf: URL(fileURLWithPath: reference)), "ConvTranspose"))
    }

    func testWrongModelFileIsOneLineAndWritesNothing() throws {
        let bad = directory + "/bad.safetensors", out = directory + "/out.onnx"
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: bad))
        let result = try CLIRunner().run(["export", "--onnx", bad, out])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(bad), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["bad.safetensors"], "no output, no temporary")

        let noFormat = try CLIRunner().run(["export", root + "/models/landscape-lggan.safetensors", out])
        XCTAssertNotEqual(noFormat.status, 0)
        XCTAssertTrue(noFormat.stderr.contains("--onnx"), noFormat.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testPeersSkipsWithoutOnnxruntime() throws {
        // /bin/false stands in for a Python without onnxruntime: the probe fails.
        let result = try CLIRunner().run(["bench", "peers", "--python", "/bin/false"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.hasPrefix("bench peers: skipped: /bin/false cannot run ONNX Runtime"), result.text)
        XCTAssertEqual(result.text.split(separator: "\n").count, 1, result.text)
    }
}
