import ArgumentParser
import Foundation
import Layouts
import Support
import Terminal

extension GraphicsMode: ExpressibleByArgument {}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Draw a layout or an image in the terminal (kitty, iTerm2 or sixel images, else text cells).")

    @Argument(help: "A layout PNG or any image PNG.")
    var file: String

    @Option(help: "Force a graphics mode (default: ask the terminal; `scenepaint doctor` says what it answers).")
    var mode: GraphicsMode?

    @OptionGroup var paletteOption: PaletteOption

    func run() throws {
        let library = try? PaletteLibrary.bundled()
        let image = try Self.load(file, palette: try paletteOption.resolved(in: library), library: library)
        let onTerminal = isatty(STDOUT_FILENO) != 0
        let caps = onTerminal ? TerminalProbe.probe() : TerminalCapabilities(truecolor: TerminalCapabilities.truecolorFromEnvironment())
        let chosen = mode ?? (onTerminal ? GraphicsMode.best(for: caps) : .truecolor)
        let depth = chosen.colorDepth(detected: onTerminal ? caps.colorDepth : .truecolor)
        var shown = image
        if onTerminal {
            // Leave two rows for the caption and the prompt.
            let rows = max(1, caps.rows - 2)
            let box: (Int, Int)
            if chosen.isImage {
                box = (caps.columns * (caps.cellWidth ?? 10), rows * (caps.cellHeight ?? 20))
            } else {
                box = (caps.columns, rows * 2)
            }
            let size = ImageFit.fit(width: image.width, height: image.height, into: box.0, box.1)
            shown = chosen == .symbols ? image : image.resized(width: size.width, height: size.height)
            if chosen == .symbols {
                // libchafa reads the full image and fits it into the cells itself.
                let grid = image.cells(columns: size.width, rows: (size.height + 1) / 2, mode: .symbols, depth: depth)
                var bytes = Array(grid.lines(depth: depth).joined(separator: "\r\n").utf8)
                bytes.append(contentsOf: Array("\r\n".utf8))
                FileHandle.standardOutput.write(Data(bytes))
                print("\(file): \(image.width)x\(image.height) \(image.labels != nil ? "layout" : "image"), shown with symbols (\(depth.rawValue))")
                return
            }
        }
        var bytes = try shown.encoded(mode: chosen, depth: depth)
        bytes.append(contentsOf: Array("\r\n".utf8))
        FileHandle.standardOutput.write(Data(bytes))
        if onTerminal {
            let kind = image.labels != nil ? "layout" : "image"
            print("\(file): \(image.width)x\(image.height) \(kind), shown with \(chosen.rawValue)")
        }
    }

    /// A palette PNG (or a label-id PNG with --palette) is shown as a layout
    /// with exact class colours; anything else as an image.
    static func load(_ path: String, palette: Palette?, library: PaletteLibrary?) throws -> TerminalImage {
        if let palette {
            return TerminalImage(layout: try LayoutFile.read(path: path, palette: palette, library: library))
        }
        if let layout = try? LayoutFile.read(path: path, library: library) {
            return TerminalImage(layout: layout)
        }
        return TerminalImage(rgb: try RGBImage.read(path: path))
    }
}
