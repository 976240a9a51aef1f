import Foundation
import Layouts
import XCTest

/// The editor in real terminals on a virtual X server (Xvfb): xterm with
/// TERM=xterm (terminfo says 8 colours; the editor must find 24-bit colour
/// or sixel from xterm's own answers) and kitty (kitty graphics protocol,
/// software GL). Screenshots with ImageMagick's `import` are searched for the
/// exact class colours of the canvas; keys go in with xdotool. Every wait
/// is for screen content, with a generous limit for a loaded machine.
/// SCENEPAINT_SCREENSHOTS=DIR keeps the screenshots (docs/images).
final class RealTerminalTests: XCTestCase {
    static let screen = (width: 1200, height: 760)
    var display: VirtualDisplay!
    var work = ""

    override func setUpWithError() throws {
        for tool in ["/usr/bin/Xvfb", "/usr/bin/import", "/usr/bin/xdotool"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is missing (make test installs xvfb, imagemagick, xdotool)")
        }
        guard FileManager.default.isExecutableFile(atPath: CLIRunner.binary) else { throw XCTSkip("no scenepaint binary; run `make test`") }
        work = NSTemporaryDirectory() + "real-terminal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        display = try VirtualDisplay(width: Self.screen.width, height: Self.screen.height)
    }

    override func tearDown() {
        display?.stop()
        try? FileManager.default.removeItem(atPath: work)
    }

    var lake: String { CLIRunner.packageRoot + "/samples/lake.png" }
    var palette: Palette { get throws { try Palette.load(path: CLIRunner.packageRoot + "/palettes/landscape.json") } }

    func editorLine(_ extra: String) -> String {
        "SCENEPAINT_HOME=\(shellQuote(CLIRunner.packageRoot)) SCENEPAINT_RECOVERY_DIR=\(shellQuote(work + "/recovery")) "
            + "\(shellQuote(CLIRunner.binary)) edit \(shellQuote(lake)) --model none \(extra); echo $? > \(shellQuote(work + "/status"))"
    }

    func xterm(_ extra: [String], editor: String) -> [String] {
        ["/usr/bin/xterm"] + extra + ["-geometry", "150x44+0+0", "-fa", "DejaVu Sans Mono", "-fs", "10", "-e", "TERM=xterm " + editor]
    }

    // MARK: tests

    /// Plain xterm, TERM=xterm: no sixel, but xterm keeps a 24-bit SGR colour,
    /// so the canvas is drawn in exact class colours, not the 8 of terminfo.
    func testXtermWithTermXtermShowsExactClassColours() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xterm") else { throw XCTSkip("xterm is not installed") }
        try runEditor(name: "editor-xterm-term-xterm", command: xterm([], editor: editorLine("")), mode: "symbols")
    }

    /// xterm as a VT340 (sixel), TERM=xterm: canvas and preview are sixel images.
    func testXtermSixelCanvasIsAnExactImage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xterm") else { throw XCTSkip("xterm is not installed") }
        try runEditor(name: "editor-xterm-sixel", command: xterm(["-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256"], editor: editorLine("")), mode: "sixel")
    }

    /// The 16-colour canvas with per-class letters (forced; the screenshot is for the docs).
    func testXtermSixteenColours() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xterm") else { throw XCTSkip("xterm is not installed") }
        try runEditor(name: "editor-xterm-16", command: xterm([], editor: editorLine("--graphics 16")), mode: "16")
    }

    /// kitty with software GL: the kitty graphics protocol is detected and used.
    func testKittyCanvasIsAnExactImage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kitty") else { throw XCTSkip("kitty is not installed") }
        let command = ["/usr/bin/kitty", "--config", "NONE", "-o", "font_size=10", "-o", "remember_window_size=no",
                       "-o", "initial_window_width=\(Self.screen.width)", "-o", "initial_window_height=\(Self.screen.height)",
                       "-o", "placement_strategy=top-left", "/bin/sh", "-c", editorLine("")]
        try runEditor(name: "editor-kitty", command: command, mode: "kitty", environment: ["LIBGL_ALWAYS_SOFTWARE": "1"])
    }

    /// `doctor` in xterm (TERM=xterm) and kitty reports what each answered and the mode chosen.
    func testDoctorReportsTheTerminalsAnswers() throws {
        var cases: [(name: String, command: [String], environment: [String: String], expect: [String])] = []
        let typescript = work + "/doctor-"
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xterm") {
            cases.append(("xterm", ["/usr/bin/xterm", "-ti", "vt340", "-e", "TERM=xterm script -q -c \(shellQuote(CLIRunner.binary + " doctor")) \(typescript)xterm"], [:],
                          ["sixel:         yes", "colours:       24-bit (the terminal kept a 24-bit SGR colour (DECRQSS))", "graphics:      sixel: DA1 lists attribute 4"]))
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/kitty") {
            cases.append(("kitty", ["/usr/bin/kitty", "--config", "NONE", "/bin/sh", "-c", "script -q -c \(shellQuote(CLIRunner.binary + " doctor")) \(typescript)kitty"],
                          ["LIBGL_ALWAYS_SOFTWARE": "1"], ["kitty images:  yes", "graphics:      kitty: the terminal answered the kitty graphics query"]))
        }
        guard !cases.isEmpty else { throw XCTSkip("neither xterm nor kitty is installed") }
        for c in cases {
            let terminal = try display.launch(c.command, environment: c.environment)
            defer { if terminal.isRunning { terminal.terminate() } }
            let deadline = Date().addingTimeInterval(60)
            var text = ""
            while Date() < deadline, !text.contains("samples:") {
                text = (try? String(contentsOfFile: typescript + c.name, encoding: .utf8)) ?? ""
                usleep(200_000)
            }
            for line in c.expect { XCTAssertTrue(text.contains(line), "\(c.name): missing \(line) in\n\(text)") }
        }
    }

    // MARK: the run

    /// Starts the terminal, waits for the canvas in exact colours, clears the
    /// layout to sky with `C` and waits for the canvas to follow, then quits
    /// with `q d` and checks the exit status.
    func runEditor(name: String, command: [String], mode: String, environment: [String: String] = [:]) throws {
        let palette = try palette
        let sky = palette.color(id: 0), water = palette.color(id: 9), sand = palette.color(id: 10)
        let terminal = try display.launch(command, environment: environment)
        defer { if terminal.isRunning { terminal.terminate() } }
        let canvas = (x0: 0, x1: Self.screen.width * 2 / 5, y0: 30, y1: Self.screen.height - 60)
        // Sixel stores colours as percentages: a class colour comes back within 2 levels.
        let slack = mode == "sixel" ? 2 : 0
        let classColours = palette.classes.map(\.color)
        func counts(_ image: RGBImage) -> [RGBColor: Int] {
            var result: [RGBColor: Int] = [:]
            for y in canvas.y0..<min(canvas.y1, image.height) {
                for x in canvas.x0..<min(canvas.x1, image.width) {
                    let c = image[x, y]
                    let snapped = slack == 0 ? c : classColours.first {
                        abs(Int($0.r) - Int(c.r)) <= slack && abs(Int($0.g) - Int(c.g)) <= slack && abs(Int($0.b) - Int(c.b)) <= slack
                    } ?? c
                    result[snapped, default: 0] += 1
                }
            }
            return result
        }
        let exact = mode != "16"
        let first = try display.waitForScreen(timeout: 90, what: "the canvas of \(name)") { image in
            let c = counts(image)
            if exact { return c[sky, default: 0] > 2000 && c[water, default: 0] > 500 && c[sand, default: 0] > 200 }
            // 16 colours: sky and water are both basic blue (0,0,238) here, told apart by letters.
            return c[RGBColor(0, 0, 238), default: 0] > 2000 && c[RGBColor(205, 205, 0), default: 0] > 200
        }
        // Let the preview arrive too before the screenshot is kept (wait for its shaded colours).
        let shot = (try? display.waitForScreen(timeout: 30, what: "the preview") { image in
            var colours = Set<RGBColor>()
            for y in stride(from: 40, to: min(image.height, 500), by: 3) {
                for x in stride(from: image.width / 2 - 100, to: image.width / 2 + 100, by: 3) { colours.insert(image[x, y]) }
            }
            return colours.count > (exact ? 40 : 4)
        }) ?? first
        if let keep = ProcessInfo.processInfo.environment["SCENEPAINT_SCREENSHOTS"] {
            try shot.write(path: keep + "/\(name).png")
        }
        try display.key("C")
        if exact {
            try display.waitForScreen(timeout: 60, what: "the canvas cleared to sky") { image in
                let c = counts(image)
                return c[water, default: 0] == 0 && c[sand, default: 0] == 0 && c[sky, default: 0] > 50_000
            }
        } else {
            try display.waitForScreen(timeout: 60, what: "the 16-colour canvas cleared to sky") { image in
                counts(image)[RGBColor(205, 205, 0), default: 0] == 0
            }
        }
        try display.key("q")
        try display.key("d")
        let deadline = Date().addingTimeInterval(30)
        while terminal.isRunning && Date() < deadline { usleep(100_000) }
        let status = (try? String(contentsOfFile: work + "/status", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(status, "0", "the editor quits cleanly")
    }
}

/// An Xvfb server on a free display number, with screenshots and keys.
final class VirtualDisplay {
    let process = Process()
    let name: String

    init(width: Int, height: Int) throws {
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        process.arguments = ["-displayfd", "1", "-screen", "0", "\(width)x\(height)x24", "-nolisten", "tcp"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var number = ""
        while !number.hasSuffix("\n") {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { throw XCTSkip("Xvfb did not start") }
            number += String(decoding: byte, as: UTF8.self)
        }
        name = ":" + number.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func launch(_ command: [String], environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: command[0])
        p.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["DISPLAY"] = name
        env["COLORTERM"] = nil  // the terminal's answers must decide
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["DISPLAY": name]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    func screenshot() throws -> RGBImage? {
        let path = NSTemporaryDirectory() + "shot-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard try run("/usr/bin/import", ["-display", name, "-window", "root", "png24:" + path]) == 0 else { return nil }
        return try? RGBImage.read(path: path)
    }

    /// Screenshots until `ready` holds; fails (throws) with what was awaited.
    @discardableResult
    func waitForScreen(timeout: Double, what: String, file: StaticString = #filePath, line: UInt = #line,
                       _ ready: (RGBImage) -> Bool) throws -> RGBImage {
        let deadline = Date().addingTimeInterval(timeout)
        var last: RGBImage?
        while Date() < deadline {
            last = try screenshot()
            if let image = last, ready(image) { return image }
            usleep(200_000)
        }
        let kept = NSTemporaryDirectory() + "scenepaint-timeout-\(UUID().uuidString.prefix(8)).png"
        try? last?.write(path: kept)
        XCTFail("timed out waiting for \(what); the last screenshot is \(kept)", file: file, line: line)
        throw XCTSkip("stopped after the failure above")
    }

    /// A key to the window under the pointer (no window manager: focus follows the pointer).
    func key(_ key: String) throws {
        try run("/usr/bin/xdotool", ["mousemove", "600", "300"])
        try run("/usr/bin/xdotool", ["key", "--delay", "30", key])
    }
}
