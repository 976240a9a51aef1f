import ArgumentParser
import Foundation
import Layouts
import Support

extension LayoutEncoding: ExpressibleByArgument {}

struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Inspect and convert layout files.",
        subcommands: [Info.self, Convert.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Size, palette and classes present with pixel share.")

        @Argument(help: "A layout PNG (indexed, label ids, or class colours).")
        var file: String

        @OptionGroup var paletteOption: PaletteOption

        func run() throws {
            let library = try PaletteLibrary.bundled()
            let explicit = try paletteOption.resolved(in: library)
            let layout = try LayoutFile.read(path: file, palette: explicit, library: library)
            print("\(file): \(layout.width)x\(layout.height), palette \(layout.palette.name)")
            for (cls, share) in layout.classShares() {
                print("  \(String(cls.id).leftPadded(3))  \(cls.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(format: "%6.2f%%", share * 100))")
            }
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-encode a layout (indexed, ids or color PNG).")

        @Argument(help: "The layout to read.") var input: String
        @Argument(help: "Where to write.") var output: String
        @Option(help: "The palette of the input (and the output).") var palette: String
        @Option(help: "Output encoding: indexed, ids or color.") var to: LayoutEncoding = .indexed

        func run() throws {
            let library = try PaletteLibrary.bundled()
            let layout = try LayoutFile.read(path: input, palette: try library.named(palette), library: library)
            try LayoutFile.write(layout, to: output, as: to)
            print("wrote \(output) (\(to.rawValue), \(layout.width)x\(layout.height), palette \(layout.palette.name))")
        }
    }
}
