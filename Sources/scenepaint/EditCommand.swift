import ArgumentParser
import Editor
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Terminal

/// `scenepaint edit [LAYOUT]`: the full-screen scene editor.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Paint a layout in the terminal and watch the generated scene follow (press ? inside for the keys).")

    @Argument(help: "Layout PNG to open; a path that does not exist yet starts a new layout saved there.")
    var layout: String?

    @OptionGroup var modelOption: ModelOption

    @Option(name: .customLong("and-model"), help: "Another model to load beside --model; m switches between them (default beside the bundled LGGAN: \(ModelLoader.companionModelNames.map { "models/" + $0 }.joined(separator: ", ")), those that exist).")
    var andModel: [String] = []

    @Option(help: "Force the graphics (default: ask the terminal; `scenepaint doctor` says what it answers).")
    var graphics: GraphicsMode?

    @OptionGroup var paletteOption: PaletteOption

    @Option(help: ArgumentHelp("Size of a new layout, WIDTHxHEIGHT (each side 1-4096).", valueName: "WxH"))
    var size = Size(width: 128, height: 64)

    @Option(help: ArgumentHelp("Append editor timing lines to this file (benchmarks).", visibility: .hidden))
    var trace: String?
    @OptionGroup var precisionOption: PrecisionOption

    func run() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw Failure("edit needs a terminal on stdin and stdout (run it in a terminal or in tmux)")
        }
        try FullScreenTerminal.check(term: ProcessInfo.processInfo.environment["TERM"])
        let locator = ResourceLocator.standard()
        let library = try? PaletteLibrary.bundled(locator: locator)
        let explicitPalette = try paletteOption.resolved(in: library)
        let model = modelOption.model

        var layoutPath = layout.map { ($0 as NSString).expandingTildeInPath }
        let initial: Layout
        var isNew = false
        if let path = layoutPath, FileManager.default.fileExists(atPath: path) {
            initial = try LayoutFile.read(path: path, palette: explicitPalette, library: library)
        } else {
            let (width, height) = (size.width, size.height)
            guard let chosen = explicitPalette ?? Self.defaultPalette(library) else {
                throw Failure("no palette for a new layout: cannot find the palettes/ directory (set SCENEPAINT_HOME)")
            }
            initial = Layout(labels: LabelMap(width: width, height: height, fill: UInt8(chosen.classes[0].id)), palette: chosen)
            isNew = true
            if let path = layoutPath, !FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent) {
                throw Failure("\(path): its directory does not exist")
            }
            if layoutPath?.isEmpty == true { layoutPath = nil }
        }

        let precision = try precisionOption.resolved()
        let generator: SceneGenerator
        let label: String
        var modelPath = model == "none" ? nil : model
        var note: String? = nil
        if let explicit = modelPath {
            generator = try ModelLoader.load(path: explicit, precision: precision)
            try PaletteCompatibility.check(initial.palette, of: layoutPath ?? "the new layout", against: generator.palette, of: "model \(explicit)")
            label = URL(fileURLWithPath: explicit).lastPathComponent
        } else if model == nil, let bundled = ModelLoader.defaultModelPath(locator: locator),
                  let loaded = try? ModelLoader.load(path: bundled, precision: precision),
                  PaletteCompatibility.compatible(loaded.palette, initial.palette) {
            // The shipped model, when it speaks the layout's palette.
            generator = loaded
            label = URL(fileURLWithPath: bundled).lastPathComponent
            modelPath = bundled
        } else {
            generator = ShadedLayoutGenerator(palette: initial.palette)
            label = "no model"
            if model == nil, ModelLoader.defaultModelPath(locator: locator) != nil {
                note = "the bundled model does not know palette \(initial.palette.name): showing the stand-in generator"
            }
        }

        // A layout too large for the model's memory is refused now; the editor checks later sizes and models itself.
        try generator.checkMemory(width: initial.width, height: initial.height)
        var options = EditorLaunchOptions(
            layout: initial, layoutPath: layoutPath, generator: generator, generatorLabel: label,
            modelPath: modelPath, graphics: graphics, library: library, recovery: .standard(),
            openDirectory: locator.samplesDirectory, tracePath: trace)
        options.startMessage = isNew
            ? "new \(initial.width)x\(initial.height) layout, palette \(initial.palette.name)" + (layoutPath.map { ": s saves it to \($0)" } ?? "")
            : "opened \(layoutPath ?? "")"
        if let note { options.startMessage = note }
        // Further models for the m key: --and-model, or the bundled style LGGAN and ECGAN beside the bundled LGGAN.
        var others = andModel
        if andModel.isEmpty, model == nil, modelPath != nil { others = ModelLoader.bundledCompanionPaths(locator: locator) }
        for path in others where modelPath != nil {
            let other = try ModelLoader.load(path: path, precision: precision)
            try PaletteCompatibility.check(initial.palette, of: layoutPath ?? "the new layout", against: other.palette, of: "model \(path)")
            options.alternatives.append((other, URL(fileURLWithPath: path).lastPathComponent, path))
        }
        let status = EditorApp(options: options).run()
        if status != 0 { throw ExitCode(status) }
    }

    /// "landscape" (the procedural world's palette) when bundled, else the first one.
    static func defaultPalette(_ library: PaletteLibrary?) -> Palette? {
        guard let library else { return nil }
        return library.palettes.first { $0.name == "landscape" } ?? library.palettes.first
    }
}
