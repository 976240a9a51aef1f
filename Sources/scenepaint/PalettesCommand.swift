import ArgumentParser
import Foundation
import Layouts
import Support

struct PalettesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palettes",
        abstract: "List the bundled palettes, or one palette's classes with colour swatches.")

    @Argument(help: "A palette name (or a palette JSON file).")
    var name: String?

    @Flag(help: "Print colour swatches even when stdout is not a terminal.")
    var color = false

    func run() throws {
        let library = try PaletteLibrary.bundled()
        let swatches = color || isatty(STDOUT_FILENO) != 0
        guard let name else {
            for palette in library.palettes {
                let ignore = palette.ignoreID.map { ", ignore id \($0)" } ?? ""
                print("\(palette.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(palette.count) classes\(ignore)  \(palette.description)")
            }
            return
        }
        let palette = try library.named(name)
        print("\(palette.name): \(palette.count) classes\(palette.ignoreID.map { ", ignore id \($0)" } ?? "")")
        for cls in palette.classes {
            let swatch = swatches ? "\u{1B}[48;2;\(cls.color.r);\(cls.color.g);\(cls.color.b)m    \u{1B}[0m " : ""
            print("\(swatch)\(String(cls.id).leftPadded(3))  \(cls.color.hex)  \(cls.name)")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
