import ArgumentParser
import Layouts
import Support

/// `--palette` of the commands that read layouts (generate, edit, show, layout info):
/// the palette of a layout whose file does not say (a greyscale label-id PNG).
struct PaletteOption: ParsableArguments {
    @Option(help: """
        Palette (a bundled name or a palette JSON file) of a layout whose file does not name one, such as a \
        greyscale label-id PNG (generate: default the model's; edit: also the palette of a new layout).
        """)
    var palette: String?

    /// The palette asked for, nil when none was.
    func resolved(in library: PaletteLibrary?) throws -> Palette? {
        guard let palette else { return nil }
        guard let library else {
            if palette.hasSuffix(".json") { return try Palette.load(path: palette) }
            throw Failure("cannot find the palettes/ directory (set SCENEPAINT_HOME)")
        }
        return try library.named(palette)
    }
}
