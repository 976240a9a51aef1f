import Foundation
import Layouts
import Support
import XCTest

/// The foundation commands, run as a user runs them: exit codes, one-line
/// errors, files on disk.
final class FoundationCLITests: XCTestCase {
    func testPalettesListAndDetail() throws {
        let (home, _) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let list = try cli.run(["palettes"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.text.contains("mini"), list.text)
        XCTAssertTrue(list.text.contains("4 classes"), list.text)
        let detail = try cli.run(["palettes", "mini", "--color"])
        XCTAssertEqual(detail.status, 0)
        XCTAssertTrue(detail.text.contains("\u{1B}[48;2;200;60;50m"), "swatch for house")
        XCTAssertTrue(detail.text.contains("#c83c32  house"), detail.text)
        let unknown = try cli.run(["palettes", "nope"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "scenepaint: unknown palette \"nope\" (known: mini)\n")
    }

    func testBrokenPaletteFileIsNamed() throws {
        let (home, _) = try makeHome()
        try Data(#"{"name":"bad","classes":[{"id":1,"name":"a","color":[1,1,1]},{"id":1,"name":"b","color":[2,2,2]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: home + "/palettes/bad.json"))
        let result = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["palettes"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "scenepaint: \(home)/palettes/bad.json: id 1 is used twice (\"a\" and \"b\")\n")
    }

    func testLayoutInfoAndConvert() throws {
        let (home, palette) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let layout = sampleLayout(palette)
        try LayoutFile.write(layout, to: home + "/l.png")
        let info = try cli.run(["layout", "info", home + "/l.png"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.text.contains("20x12, palette mini"), info.text)
        XCTAssertTrue(info.text.contains("sky") && info.text.contains("33.33%"), info.text)

        let convert = try cli.run(["layout", "convert", home + "/l.png", home + "/c.png", "--palette", "mini", "--to", "color"])
        XCTAssertEqual(convert.status, 0, convert.stderr)
        XCTAssertEqual(try RGBImage.read(path: home + "/c.png"), layout.colorized())
        let back = try cli.run(["layout", "convert", home + "/c.png", home + "/ids.png", "--palette", "mini", "--to", "ids"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(try LayoutFile.read(path: home + "/ids.png", palette: palette), layout)
    }

    func testErrorsAreOneLineWithExitCodes() throws {
        let (home, _) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let missing = try cli.run(["layout", "info", home + "/none.png"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "scenepaint: \(home)/none.png: no such file\n")

        try Data("definitely not a png".utf8).write(to: URL(fileURLWithPath: home + "/bad.png"))
        let corrupt = try cli.run(["layout", "info", home + "/bad.png"])
        XCTAssertEqual(corrupt.status, 1)
        XCTAssertEqual(corrupt.stderr.filter { $0 == "\n" }.count, 1, corrupt.stderr)
        XCTAssertTrue(corrupt.stderr.contains("bad.png") && corrupt.stderr.contains("not a PNG"), corrupt.stderr)

        let usage = try cli.run(["layout", "convert", "a.png"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertEqual(usage.stderr.filter { $0 == "\n" }.count, 1, usage.stderr)

        let badMode = try cli.run(["show", "x.png", "--mode", "braille"])
        XCTAssertEqual(badMode.status, 2)

        let help = try cli.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.text.contains("palettes"))
    }

    func testShowTruecolorOutputReproducesPixels() throws {
        let (home, palette) = try makeHome()
        let layout = sampleLayout(palette, width: 6, height: 4)
        try LayoutFile.write(layout, to: home + "/l.png")
        let result = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["show", home + "/l.png", "--mode", "truecolor"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Parse the SGR codes back into pixels.
        let lines = result.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 2)
        let image = layout.colorized()
        for (row, line) in lines.enumerated() {
            var fg = RGBColor(0, 0, 0), bg = RGBColor(0, 0, 0)
            var x = 0
            var rest = Substring(line)
            while !rest.isEmpty {
                if rest.hasPrefix("\u{1B}[") {
                    let end = rest.firstIndex(of: "m")!
                    let params = rest[rest.index(rest.startIndex, offsetBy: 2)..<end].split(separator: ";").map { Int($0)! }
                    if params.count == 5 {
                        let c = RGBColor(UInt8(params[2]), UInt8(params[3]), UInt8(params[4]))
                        if params[0] == 38 { fg = c } else { bg = c }
                    }
                    rest = rest[rest.index(after: end)...]
                } else {
                    XCTAssertEqual(rest.first, "\u{2580}")
                    XCTAssertEqual(fg, image[x, 2 * row], "top pixel (\(x), \(2 * row))")
                    XCTAssertEqual(bg, image[x, 2 * row + 1], "bottom pixel (\(x), \(2 * row + 1))")
                    x += 1
                    rest = rest.dropFirst()
                }
            }
            XCTAssertEqual(x, 6)
        }
    }

    func testShow256UsesOnlyPaletteCodes() throws {
        let (home, palette) = try makeHome()
        try LayoutFile.write(sampleLayout(palette, width: 8, height: 6), to: home + "/l.png")
        let result = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["show", home + "/l.png", "--mode", "256"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.text.contains(";2;"), "no 24-bit codes in 256 mode")
        XCTAssertTrue(result.text.contains("38;5;"))
        XCTAssertEqual(result.text.components(separatedBy: "\u{2580}").count - 1, 8 * 3)
    }

    func testShowSixelDecodesBackToTheImage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sixel2png") else {
            throw XCTSkip("sixel2png (libsixel-bin) missing; make test installs it")
        }
        let (home, palette) = try makeHome()
        let layout = sampleLayout(palette, width: 30, height: 18)
        try LayoutFile.write(layout, to: home + "/l.png")
        let result = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["show", home + "/l.png", "--mode", "sixel"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Sixel colours are percentages: within 2 levels, and every pixel nearest its own class.
        let decodedLayout = try decodeSixel(result.stdout, in: home, name: "out")
        XCTAssertEqual(decodedLayout.width, 30)
        XCTAssertEqual(decodedLayout.height, 18)
        var worst = 0
        for i in 0..<decodedLayout.pixels.count { worst = max(worst, abs(Int(decodedLayout.pixels[i]) - Int(layout.colorized().pixels[i]))) }
        XCTAssertLessThanOrEqual(worst, 2)

        // A photo (RGB PNG) goes through the dithering encoder: close, not exact.
        var photo = RGBImage(width: 40, height: 30)
        for y in 0..<30 { for x in 0..<40 { photo[x, y] = RGBColor(UInt8(x * 6), UInt8(y * 8), 90) } }
        try photo.write(path: home + "/photo.png")
        let shown = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["show", home + "/photo.png", "--mode", "sixel"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let decoded = try decodeSixel(shown.stdout, in: home, name: "photo")
        XCTAssertEqual(decoded.width, 40)
        var error = 0.0
        for i in 0..<photo.pixels.count { error += abs(Double(photo.pixels[i]) - Double(decoded.pixels[i])) }
        XCTAssertLessThan(error / Double(photo.pixels.count), 8)
    }

    /// Decodes sixel bytes with libsixel's own sixel2png.
    private func decodeSixel(_ bytes: Data, in dir: String, name: String) throws -> RGBImage {
        try bytes.write(to: URL(fileURLWithPath: "\(dir)/\(name).six"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sixel2png")
        process.arguments = ["-i", "\(dir)/\(name).six", "-o", "\(dir)/\(name)-decoded.png"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "sixel2png failed on \(name)")
        return try RGBImage.read(path: "\(dir)/\(name)-decoded.png")
    }

    func testDoctorReportsBLASAndResources() throws {
        let (home, _) = try makeHome()
        let result = try CLIRunner(environment: ["SCENEPAINT_HOME": home]).run(["doctor"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for key in ["blas core:", "blas threads:", "image protocols not probed", "colours:", "graphics:", "cell pixels:", "palettes:      \(home)/palettes"] {
            XCTAssertTrue(result.text.contains(key), "missing \(key) in\n\(result.text)")
        }
    }

    /// The argument parser's own messages, made into one line that says what is wrong.
    func testNegativeValuesListsOfValuesAndBadSeedsAreOneClearLine() throws {
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": CLIRunner.packageRoot])
        let lake = CLIRunner.packageRoot + "/samples/lake.png"
        let negative = try cli.run(["generate", lake, "-o", "/tmp/never.png", "--seed", "-1"])
        XCTAssertEqual(negative.status, 2)
        XCTAssertEqual(negative.stderr, "scenepaint: --seed -1: a negative value is not allowed here (see 'scenepaint --help')\n")
        let view = try cli.run(["generate", lake, "-o", "/tmp/never.png", "--view", "bogus"])
        XCTAssertEqual(view.status, 2)
        XCTAssertEqual(view.stderr.filter { $0 == "\n" }.count, 1, view.stderr)
        for value in ["fused", "weight-global", "class:NAME", "side-by-side"] {
            XCTAssertTrue(view.stderr.contains(value), "the valid values are listed: \(view.stderr)")
        }
        let seeds = try cli.run(["generate", lake, "--style-sheet", "/tmp/never.png", "--sheet-seeds", "1,b,3"])
        XCTAssertEqual(seeds.status, 2)
        XCTAssertTrue(seeds.stderr.contains("--sheet-seeds: \"b\" is not a seed"), seeds.stderr)
        let share = try cli.run(["eval", "--data", "/nonexistent", "--small-share", "nan"])
        XCTAssertEqual(share.status, 2)
        XCTAssertTrue(share.stderr.contains("--small-share"), share.stderr)
        let layouts = try cli.run(["eval", "--data", "/nonexistent", "--diversity-layouts=-1"])
        XCTAssertTrue(layouts.stderr.contains("--diversity-layouts must be 0 or more"), layouts.stderr)
    }

    /// Swift would read a non-UTF-8 path with replacement characters and report
    /// an existing file as missing; it is refused as what it is.
    func testANonUTF8PathIsNamedAsSuch() throws {
        let (home, palette) = try makeHome()
        try LayoutFile.write(sampleLayout(palette), to: home + "/plain.png")
        let result = try CLIRunner().runProgram("/bin/sh", ["-c", #"cd "$1" && cp plain.png "$(printf 'caf\351.png')" && SCENEPAINT_HOME="$1" "$0" layout info "$(printf 'caf\351.png')""#,
                                                             CLIRunner.binary, home])
        let text = result.stderr
        XCTAssertEqual(result.status, 2, text)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1, text)
        XCTAssertTrue(text.contains("argument 3 is not valid UTF-8"), text)
        XCTAssertFalse(text.contains("no such file"), text)
    }

    /// An output that cannot be written is refused before the model is even
    /// loaded (here a missing one), not after minutes of generating.
    func testAnImpossibleOutputIsRefusedBeforeAnyWork() throws {
        let (home, _) = try makeHome()
        let cli = CLIRunner(environment: ["SCENEPAINT_HOME": home])
        let lake = CLIRunner.packageRoot + "/samples/lake.png"
        for (output, words) in [(home + "/missing/out.png", "directory \(home)/missing does not exist"), (home, "is a directory")] {
            let result = try cli.run(["generate", lake, "--model", home + "/none.safetensors", "-o", output])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "scenepaint: cannot write \(output): \(words)" + (words == "is a directory" ? "; give a file name\n" : "\n"))
        }
    }
}

final class BLASCoreCLITests: XCTestCase {
    /// Without a user setting, the binary ends up on kernels that use this CPU
    /// fully (re-executing itself when OpenBLAS picked a fallback).
    func testBinaryRunsOnAFastCoreWhenLeftToItself() throws {
        let cpu = CPUFeatures.current()
        guard cpu.hasAVX2 else { throw XCTSkip("no AVX2 on this CPU") }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OPENBLAS_CORETYPE")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        guard FileManager.default.isExecutableFile(atPath: CLIRunner.binary) else { throw XCTSkip("no binary") }
        process.arguments = ["doctor"]
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = text.split(separator: "\n").first { $0.hasPrefix("blas core:") }.map(String.init) ?? ""
        let core = line.dropFirst("blas core:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        XCTAssertNil(BLASEnvironment.betterCoreType(loadedCore: core, features: cpu), "doctor reported \(line)")
    }
}
