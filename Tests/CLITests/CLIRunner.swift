import Foundation
import Layouts
import XCTest

/// Runs the real scenepaint binary as a child process.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The binary: $SCENEPAINT_BIN (set by `make test`), else the newest build.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SCENEPAINT_BIN"], !path.isEmpty { return path }
        let root = packageRoot
        for candidate in [root + "/.build/release/scenepaint", root + "/.build/debug/scenepaint"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return root + "/.build/release/scenepaint"
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    var environment: [String: String] = [:]

    func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("no scenepaint binary at \(Self.binary); run `make test`")
        }
        return try runProgram(Self.binary, arguments, stdin: stdin)
    }

    /// Runs another program (such as /bin/sh building argument bytes a Swift string cannot hold) the same way.
    func runProgram(_ path: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : Pipe()
        try process.run()
        // Read both pipes concurrently so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

/// A scratch SCENEPAINT_HOME with a small palette, so tests do not depend on the bundled files.
func makeHome(_ name: String = #function) throws -> (home: String, palette: Palette) {
    let home = NSTemporaryDirectory() + "scenepaint-cli-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: home + "/palettes", withIntermediateDirectories: true)
    let classes = [
        PaletteClass(id: 0, name: "sky", color: RGBColor(110, 160, 230)),
        PaletteClass(id: 1, name: "water", color: RGBColor(30, 80, 160)),
        PaletteClass(id: 2, name: "grass", color: RGBColor(60, 170, 60)),
        PaletteClass(id: 3, name: "house", color: RGBColor(200, 60, 50)),
    ]
    let palette = try Palette(name: "mini", description: "test palette", classes: classes)
    try palette.encodeJSON().write(to: URL(fileURLWithPath: home + "/palettes/mini.json"))
    return (home, palette)
}

func sampleLayout(_ palette: Palette, width: Int = 20, height: Int = 12) -> Layout {
    var labels = LabelMap(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            labels[x, y] = y < height / 3 ? 0 : (y < 2 * height / 3 ? 1 : (x % 7 == 3 ? 3 : 2))
        }
    }
    return Layout(labels: labels, palette: palette)
}
