import Foundation
import Layouts
import XCTest

/// Hostile files fed to the release binary, whose numeric modules are built
/// -Ounchecked (no preconditions, no bounds checks): each must end in one
/// line on stderr naming the file and what is wrong, exit status 1, and no
/// output file — never a crash, a hang or a read out of bounds.
final class ReleaseSafetyCLITests: XCTestCase {
    private var repository: String { CLIRunner.packageRoot }
    private var cli: CLIRunner { CLIRunner(environment: ["SCENEPAINT_HOME": repository]) }

    private func scratchDirectory(_ name: String = #function) throws -> String {
        let path = NSTemporaryDirectory() + "scenepaint-safety-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func landscape() throws -> Palette { try Palette.load(path: repository + "/palettes/landscape.json") }

    /// One clean line, exit 1, the named parts in the message, the output never written.
    private func assertRefused(_ result: CLIRunner.Result, mentioning parts: [String], output: String? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 1, "exit status; stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("scenepaint: "), result.stderr, file: file, line: line)
        for part in parts {
            XCTAssertTrue(result.stderr.contains(part), "'\(part)' missing from: \(result.stderr)", file: file, line: line)
        }
        if let output {
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(output) was written", file: file, line: line)
        }
    }

    func testGenerateRefusesLayoutsWithClassIdsOutsideThePalette() throws {
        let dir = try scratchDirectory()
        let palette = try landscape()
        // Native indexed layout naming the landscape palette, with id 200 at (3, 1).
        var ids = [UInt8](repeating: 0, count: 8 * 4)
        ids[1 * 8 + 3] = 200
        let indexed = try ids.withUnsafeBytes {
            try PNGCodec.encode(pixels: $0, width: 8, height: 4,
                                format: .indexed(palette: palette.colorTable, name: palette.name))
        }
        try indexed.write(to: URL(fileURLWithPath: dir + "/indexed.png"))
        let fromIndexed = try cli.run(["generate", dir + "/indexed.png", "-o", dir + "/out.png"])
        assertRefused(fromIndexed, mentioning: ["indexed.png", "pixel (3, 1)", "class id 200"], output: dir + "/out.png")

        // Greyscale label ids one past the palette's last id.
        ids[1 * 8 + 3] = UInt8(palette.idLimit)
        let grey = try ids.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: 8, height: 4, format: .grey8) }
        try grey.write(to: URL(fileURLWithPath: dir + "/ids.png"))
        let fromIDs = try cli.run(["generate", dir + "/ids.png", "--palette", "landscape", "-o", dir + "/out.png"])
        assertRefused(fromIDs, mentioning: ["ids.png", "class id \(palette.idLimit)"], output: dir + "/out.png")
    }

    func testGenerateRefusesAModelWhosePaletteDisagreesWithItsClassCount() throws {
        let dir = try scratchDirectory()
        let palette = try landscape()
        try LayoutFile.write(Layout(labels: LabelMap(width: 16, height: 16), palette: palette), to: dir + "/l.png")
        // The landscape palette (15 classes) beside a config for 14, with weights
        // enough to pass the size check that comes first.
        let model = SafeTensorsBytes.file(tensors: [("w", [100_000], [])], metadata: [
            "format": "scenepaint-lggan", "version": "1",
            "config": #"{"classCount":\#(palette.count - 1)}"#,
            "palette": String(decoding: palette.encodeJSON(), as: UTF8.self),
        ])
        try model.write(to: URL(fileURLWithPath: dir + "/m.safetensors"))
        let result = try cli.run(["generate", dir + "/l.png", "--model", dir + "/m.safetensors", "-o", dir + "/out.png"])
        assertRefused(result, mentioning: ["m.safetensors", "\(palette.count) classes", "\(palette.count - 1)"],
                      output: dir + "/out.png")
    }

    func testGenerateRefusesAModelConfigLargerThanItsWeightsBeforeBuildingIt() throws {
        let dir = try scratchDirectory()
        let palette = try landscape()
        try LayoutFile.write(Layout(labels: LabelMap(width: 16, height: 16), palette: palette), to: dir + "/l.png")
        // 1024 x 64 channels would need hundreds of gigabytes; the file holds one weight.
        let model = SafeTensorsBytes.file(tensors: [("w", [1], [0])], metadata: [
            "format": "scenepaint-lggan", "version": "1",
            "config": #"{"classCount":\#(palette.count),"baseWidth":1024,"maxWidthMultiplier":64}"#,
            "palette": String(decoding: palette.encodeJSON(), as: UTF8.self),
        ])
        try model.write(to: URL(fileURLWithPath: dir + "/huge.safetensors"))
        let result = try cli.run(["generate", dir + "/l.png", "--model", dir + "/huge.safetensors", "-o", dir + "/out.png"])
        assertRefused(result, mentioning: ["huge.safetensors", "needs at least", "file holds 1"], output: dir + "/out.png")
    }

    func testGenerateRefusesTruncatedAndOverlappingSafetensors() throws {
        let dir = try scratchDirectory()
        let palette = try landscape()
        try LayoutFile.write(Layout(labels: LabelMap(width: 16, height: 16), palette: palette), to: dir + "/l.png")
        let shipped = try Data(contentsOf: URL(fileURLWithPath: repository + "/models/landscape-lggan.safetensors"))
        for (name, bytes) in [("half", shipped.prefix(shipped.count / 2)), ("header-only", shipped.prefix(4)),
                              ("one-byte-short", shipped.dropLast())] {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/\(name).safetensors"))
            let result = try cli.run(["generate", dir + "/l.png", "--model", dir + "/\(name).safetensors", "-o", dir + "/out.png"])
            assertRefused(result, mentioning: ["\(name).safetensors", "not a usable safetensors file"], output: dir + "/out.png")
        }
        // Two entries sharing bytes 4..<8: each alone is in range and sized right.
        let overlapping = SafeTensorsBytes.file(tensors: [("a", [2], [0, 8]), ("b", [2], [4, 12])], metadata: [:])
        try overlapping.write(to: URL(fileURLWithPath: dir + "/overlap.safetensors"))
        let result = try cli.run(["generate", dir + "/l.png", "--model", dir + "/overlap.safetensors", "-o", dir + "/out.png"])
        assertRefused(result, mentioning: ["overlap.safetensors", "overlap"], output: dir + "/out.png")
    }

    func testHugeOrLyingPNGDimensionsAreRefusedBeforeAllocation() throws {
        let dir = try scratchDirectory()
        // A real 1x1 PNG whose IHDR is made to declare 100000 x 100000 (10 G
        // pixels). The size is refused from those bytes, before libpng runs
        // (and before it would notice the stale CRC).
        var png = try [UInt8(0)].withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: 1, height: 1, format: .grey8) }
        for (offset, value) in [(16, UInt32(100_000)), (20, UInt32(100_000))] {
            withUnsafeBytes(of: value.bigEndian) { png.replaceSubrange(offset..<(offset + 4), with: $0) }
        }
        try png.write(to: URL(fileURLWithPath: dir + "/huge.png"))
        for arguments in [["layout", "info", dir + "/huge.png"], ["show", dir + "/huge.png", "--mode", "truecolor"],
                          ["generate", dir + "/huge.png", "-o", dir + "/out.png"]] {
            let result = try cli.run(arguments)
            assertRefused(result, mentioning: ["huge.png", "100000x100000", "over the limit"], output: dir + "/out.png")
        }
        // Fuzz finding: 180 bytes declaring a 1.5 GB tEXt chunk made libpng allocate and zero 1.5 GB.
        try Data(base64Encoded: PNGFuzzFindings.textChunkPastTheEnd)!.write(to: URL(fileURLWithPath: dir + "/text.png"))
        let text = try cli.run(["generate", dir + "/text.png", "-o", dir + "/out.png"])
        assertRefused(text, mentioning: ["text.png", "chunk tEXt", "past the end of the file"], output: dir + "/out.png")
    }

    func testSizesBeyondWhatAPNGCanHoldAreUsageErrors() throws {
        let dir = try scratchDirectory()
        for arguments in [["dataset", "synth", "--out", dir + "/d", "--count", "1", "--size", "4294967296x4294967296"],
                          ["dataset", "synth", "--out", dir + "/d", "--count", "1", "--size", "9000x16"],
                          ["generate", repository + "/samples/lake.png", "--size", "5000x5000", "-o", dir + "/out.png"]] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--size"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/d/manifest.json"))
    }

    /// A usage error, not a crash: exit 2, one line naming the option, no backtrace, nothing written.
    private func assertUsageError(_ result: CLIRunner.Result, mentioning parts: [String], output: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 2, "exit status; stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
        for part in parts {
            XCTAssertTrue(result.stderr.contains(part), "'\(part)' missing from: \(result.stderr)", file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(output) was written", file: file, line: line)
    }

    /// Session 9's adversarial pass: these values crashed the release binary
    /// (a reversed range, a negative index, a zero- or terabyte-sized image).
    func testSheetRowsTilesAndColumnsOutOfRangeAreUsageErrors() throws {
        let dir = try scratchDirectory()
        let data = dir + "/d"
        let synth = try cli.run(["dataset", "synth", "--out", data, "--count", "2", "--size", "16x16", "--jobs", "1"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let out = dir + "/sheet.png"
        let report = ["generate", "--report", data, "--model", repository + "/models/landscape-lggan.safetensors", "--count", "0", "--sheet", out]
        assertUsageError(try cli.run(report + ["--sheet-from", "1000000000"]), mentioning: ["--sheet-from 1000000000", "2 pairs"], output: out)
        assertUsageError(try cli.run(report + ["--sheet-from=-1"]), mentioning: ["--sheet-from", "-1"], output: out)
        assertUsageError(try cli.run(report + ["--sheet-rows", "0"]), mentioning: ["--sheet-rows"], output: out)
        assertUsageError(try cli.run(["generate", "--report", data, "--count", "0"]), mentioning: ["--count 0"], output: out)
        for (option, value) in [("--tile", "0"), ("--tile", "-5"), ("--tile", "100000"), ("--columns", "0"), ("--count", "0")] {
            assertUsageError(try cli.run(["dataset", "sheet", data, "-o", out, "\(option)=\(value)"]), mentioning: [option, value], output: out)
        }
        for jobs in ["0", "-1"] {
            assertUsageError(try cli.run(["dataset", "synth", "--out", dir + "/e", "--count", "1", "--size", "16x16", "--jobs=\(jobs)"]),
                             mentioning: ["--jobs", jobs], output: dir + "/e/manifest.json")
        }
        // In range, the sheet is still written (the guards refuse only what cannot work).
        let fine = try cli.run(["dataset", "sheet", data, "-o", out, "--tile", "8", "--columns", "1"])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }

    /// These trained silently: a NaN or negative rate or weight gives a run of NaN weights hours later.
    func testNonFiniteOrNegativeTrainingNumbersAreUsageErrors() throws {
        let dir = try scratchDirectory()
        let run = dir + "/run"
        for (command, option, value) in [("lggan", "--lr-g", "nan"), ("lggan", "--lr-d", "inf"), ("lggan", "--lr-g", "-1"),
                                         ("lggan", "--kl-weight", "nan"), ("lggan", "--decay-from", "-5"), ("lggan", "--local-l1-weight", "-1"),
                                         ("lggan", "--discriminator-warmup", "-1"), ("ecgan", "--lr-d", "nan"), ("ecgan", "--kl-weight", "-0.5"),
                                         ("ecgan", "--temperature", "nan"), ("ecgan", "--temperature", "0.0"), ("ecgan", "--temperature", "inf"),
                                         ("ecgan", "--reconstruction-weight", "-1.0"), ("ecgan", "--reconstruction-weight", "nan")] {
            let result = try cli.run(["train", command, "--data", repository + "/samples", "--out", run, "--steps", "1", "\(option)=\(value)"])
            assertUsageError(result, mentioning: [option, "must be", value], output: run)
        }
    }

    func testASegmenterGivenAsTheGeneratorIsNamedAsOne() throws {
        let dir = try scratchDirectory()
        let result = try cli.run(["generate", repository + "/samples/lake.png", "--model", repository + "/models/landscape-segmenter.safetensors",
                                  "-o", dir + "/out.png"])
        assertRefused(result, mentioning: ["landscape-segmenter.safetensors", "is a segmenter", "eval --evaluator"], output: dir + "/out.png")
    }
}

/// Hand-built safetensors bytes, so a test can say exactly what is wrong with them.
enum SafeTensorsBytes {
    /// F32 entries (name, shape, data_offsets) over zeroed data sized to the largest end offset.
    static func file(tensors: [(String, [Int], [Int])], metadata: [String: String]) -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var dataSize = 0
        for (name, shape, offsets) in tensors {
            let range = offsets.count == 2 ? offsets : [0, shape.reduce(1, *) * 4]
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": range] as [String: Any]
            dataSize = max(dataSize, range[1])
        }
        let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(Data(count: dataSize))
        return out
    }
}

/// Inputs the fuzzers found (docs/reliability.md), as base64.
enum PNGFuzzFindings {
    /// fuzz-layout: a 5x3 indexed PNG whose tEXt chunk declares 1509949468 bytes.
    static let textChunkPastTheEnd = "iVBORw0KGgoAAAANSUhEUgAAAAUAAAADCAMAAABs6DXKAAAALVBMVEVuquvI0uR9aZb6+vqHeGlpvkYeaS2bqjfwX7QoWsjozoxVVVrNRjKlczz6tB5xmewuWgAAHHRFWHRzY2VuZXBhaW5zLnBhbGV0dGUAMGFuJ3NjYXBl//aK6AAAABpJREFUCJljYGBkYmZhYGVj5+Bk4OLm4eUDAAJ5AGoAKFrIAAAAAElFTkSuQmCC"
}
