import Foundation
import Layouts
import XCTest

/// The options several commands share (Size, ThreadsOption, PaletteOption,
/// ModelOption) read the same way everywhere.
final class SharedOptionsCLITests: XCTestCase {
    var repository: String { CLIRunner.packageRoot }

    private func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "scenepaint-options-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testABadSizeIsOneUsageLineNamingTheOptionAndTheValue() throws {
        let dir = try scratch()
        for (arguments, value) in [(["dataset", "scene", "-o", dir + "/s.png", "--size"], "64y64"),
                                   (["generate", repository + "/samples/lake.png", "-o", dir + "/g.png", "--size"], "0x16"),
                                   (["eval", "--data", dir, "--size"], "12x"),
                                   (["edit", "--size"], "x")] {
            let result = try CLIRunner().run(arguments + [value])
            XCTAssertEqual(result.status, 2, "\(arguments) \(value): \(result.stderr)")
            XCTAssertEqual(result.stderr, "scenepaint: The value '\(value)' is invalid for '--size <WxH>' (see 'scenepaint --help')\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/s.png"))
    }

    func testOneSideMeansASquareForEveryCommand() throws {
        let dir = try scratch()
        let result = try CLIRunner().run(["dataset", "scene", "--seed", "3", "--size", "24", "-o", dir + "/s.png"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let layout = try LayoutFile.read(path: dir + "/s.png", library: PaletteLibrary.bundled())
        XCTAssertEqual([layout.width, layout.height], [24, 24])
    }

    func testEveryCommandThatComputesHasTheSameThreadsRule() throws {
        let dir = try scratch()
        var lines: Set<String> = []
        let data = ["--data", dir, "--out", dir + "/run"]
        for command in [["generate"], ["train", "lggan"] + data, ["train", "ecgan"] + data, ["train", "segmenter"] + data] {
            let help = try CLIRunner().run(command + ["--help"]).text
            // The option's help, with its wrapped continuation lines.
            let rows = help.split(separator: "\n").map(String.init)
            guard let start = rows.firstIndex(where: { $0.hasPrefix("  --threads <threads>") }) else {
                XCTFail("\(command) has no --threads: \(help)")
                continue
            }
            let text = ([rows[start]] + rows[(start + 1)...].prefix { $0.hasPrefix("      ") })
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            XCTAssertTrue(text.contains("default: all cores"), text)
            lines.insert(text)
            let zero = try CLIRunner().run(command + ["--threads", "0"])
            XCTAssertEqual(zero.status, 2, zero.stderr)
            XCTAssertTrue(zero.stderr.contains("--threads must be at least 1"), zero.stderr)
        }
        XCTAssertEqual(lines.count, 1, "one --threads rule: \(lines)")
    }

    /// A greyscale label-id PNG names no palette: generate falls back to the
    /// model's (LayoutError.Kind.paletteNeeded, not the message's wording),
    /// and the picture is the one of the same layout stored indexed.
    func testAGreyscaleLayoutIsGeneratedWithTheModelsPalette() throws {
        let dir = try scratch()
        let lake = repository + "/samples/lake.png"
        let convert = try CLIRunner().run(["layout", "convert", lake, dir + "/ids.png", "--palette", "landscape", "--to", "ids"])
        XCTAssertEqual(convert.status, 0, convert.stderr)
        let info = try CLIRunner().run(["layout", "info", dir + "/ids.png"])
        XCTAssertEqual(info.status, 1, "without --palette the ids mean nothing")
        XCTAssertTrue(info.stderr.contains("greyscale label-id PNG"), info.stderr)
        let common = ["--precision", "f32", "--threads", "1", "--size", "64x64"]
        let fromIDs = try CLIRunner().run(["generate", dir + "/ids.png", "-o", dir + "/ids-out.png"] + common)
        XCTAssertEqual(fromIDs.status, 0, fromIDs.stderr)
        let fromIndexed = try CLIRunner().run(["generate", lake, "-o", dir + "/indexed-out.png"] + common)
        XCTAssertEqual(fromIndexed.status, 0, fromIndexed.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/ids-out.png")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/indexed-out.png")))
    }
}
