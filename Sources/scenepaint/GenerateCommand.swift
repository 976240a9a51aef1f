import ArgumentParser
import Datasets
import Editor
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training

/// Which view `generate` writes: a name from `SceneView.all`, or `class:NAME`
/// for the class view of one class.
struct ViewArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var view: SceneView
    var className: String?

    init?(argument: String) {
        if argument.hasPrefix("class:"), argument.count > 6 {
            self.view = .classView
            self.className = String(argument.dropFirst(6))
        } else if let view = SceneView.named(argument), !view.isClassView {
            self.view = view
        } else {
            return nil
        }
    }

    init(view: SceneView) { self.view = view }

    static var allValueStrings: [String] { SceneView.all.map { $0.isClassView ? "class:NAME" : $0.name } }

    var description: String { className.map { "class:" + $0 } ?? view.name }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Turn a layout into an image with a trained model (any view, or all of them).",
        discussion: """
        Views (the editor's, same names and pictures): fused (the final image, Eq. 7), global, local, \
        weight-global, weight-local (weight maps, dark = 0 to pale yellow = 1; 'weights' = weight-local), \
        class:NAME (that class's sub-generator output, its mask, its local weight), side-by-side. \
        ECGAN models: fused (its final image I''), coarse (I' before the semantic preserving module; also 'I''), \
        edge (the generated edge map), attention (sigma of the edge map, the Eq. 1 attention), class:NAME (ECGAN++'s \
        class images), side-by-side. \
        --all-views DIR writes every view the model has, and the class view of each present class as \
        DIR/class-NAME.png, as the editor's X does.
        """)

    @Argument(help: "A layout PNG (indexed, label ids or class colours).")
    var layout: String?
    @OptionGroup var modelOption: ModelOption
    @Option(help: "Seed of the style code (models with one give a different scene per seed; default 0).")
    var seed: UInt64?
    @Option(help: "Take the look of this reference image (PNG or JPEG, sides 32-4096; models with a style encoder).")
    var style: String?
    @Option(help: "Write a style sheet of the layout here: --sheet-seeds across, the prior and each --sheet-styles image down.")
    var styleSheet: String?
    @Option(help: "Seeds of the --style-sheet columns, comma-separated.")
    var sheetSeeds: String = "1,2,3,4"
    @Option(help: "Reference images of the --style-sheet rows, comma-separated PNG or JPEG files.")
    var sheetStyles: String?
    @Option(help: "Reproduce a picture: the seed and style saved in its PNG text chunks (written by generate and the editor's export).")
    var settingsFrom: String?
    @Option(help: ArgumentHelp("Resize the layout (nearest) to WxH before generating, e.g. 512x256 (each side 1-4096).", valueName: "WxH"))
    var size: Size?
    @Option(name: .shortAndLong, help: "Output PNG of the chosen view.")
    var output: String?
    @Option(help: "The view to write.")
    var view: ViewArgument = ViewArgument(view: .fused)
    @Option(help: "Write every view into this directory.")
    var allViews: String?
    @OptionGroup var paletteOption: PaletteOption
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var precisionOption: PrecisionOption
    @Option(help: "Instead of one layout: measure how the views differ over a dataset's first --count pairs (per-class local weight, L1 and detail of each view; Markdown).")
    var report: String?
    @Option(help: "Pairs for --report.")
    var count: Int = 100
    @Option(help: "With --report: also write a sample sheet (layout | global | local | weights | fused | real) of pairs --sheet-from..<+--sheet-rows here.")
    var sheet: String?
    @Option(help: "First pair of the --sheet.")
    var sheetFrom: Int = 0
    @Option(help: "Rows of the --sheet.")
    var sheetRows: Int = 6

    func validate() throws {
        if report != nil {
            if layout != nil { throw ValidationError("give a layout or --report DATASET, not both") }
            if count < 0 { throw ValidationError("--count must be 0 or more, got \(count)") }
            if sheet != nil && sheetFrom < 0 { throw ValidationError("--sheet-from must be 0 or more, got \(sheetFrom)") }
            if sheet != nil && sheetRows < 1 { throw ValidationError("--sheet-rows must be at least 1, got \(sheetRows)") }
            if count == 0 && sheet == nil { throw ValidationError("--count 0 measures nothing: give --count N and/or --sheet OUT.png") }
            return
        }
        if styleSheet != nil { _ = try styleSheetSeeds() }
        if layout == nil { throw ValidationError("missing layout (or --report DATASET)") }
        if output == nil && allViews == nil && styleSheet == nil {
            throw ValidationError("say where to write: -o OUT.png, --all-views DIR and/or --style-sheet OUT.png")
        }
        if settingsFrom != nil && (seed != nil || style != nil) {
            throw ValidationError("--settings-from sets the seed and style: do not also pass --seed or --style")
        }
    }

    /// The --sheet-seeds list; a word that is not a seed is refused, not skipped.
    func styleSheetSeeds() throws -> [UInt64] {
        try sheetSeeds.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let word = part.trimmingCharacters(in: .whitespaces)
            guard let seed = UInt64(word) else {
                throw ValidationError("--sheet-seeds: \"\(word)\" is not a seed (a whole number, 0 or more); give a list such as 1,2,3,4")
            }
            return seed
        }
    }

    func run() throws {
        // Refuse an impossible destination now, not after generating.
        for path in [output, styleSheet, sheet].compactMap({ $0 }) { try AtomicFile.checkDestination(path) }
        threads.apply()
        let modelPath = try modelOption.path()
        let generator = try ModelLoader.load(path: modelPath, precision: try precisionOption.resolved())
        if let report {
            let dataset = try PairedDataset(directory: report, palette: generator.palette)
            if let sheet {
                guard sheetFrom < dataset.count else {
                    throw ValidationError("--sheet-from \(sheetFrom) is past the last pair: \(report) has \(dataset.count) pairs (0-\(dataset.count - 1))")
                }
                let rows = try (sheetFrom ..< sheetFrom + Swift.min(sheetRows, dataset.count - sheetFrom)).map { try dataset.pair($0) }
                if let ecgan = generator as? ECGANGenerator {
                    try ECGANSampleSheet.render(generator: ecgan, samples: rows).write(path: sheet)
                } else if let lggan = generator as? LGGANGenerator {
                    try SampleSheet.render(generator: lggan, samples: rows).write(path: sheet)
                }
                print("wrote \(sheet) (\(rows.count) rows)")
            }
            if count > 0 {
                guard let lggan = generator as? LGGANGenerator else {
                    throw Failure("--report measures LGGAN's global and local branches; \(modelPath) is \(generator.modelName) (use --count 0 with --sheet)")
                }
                print(try ViewStatistics.measure(generator: lggan, dataset: dataset, count: count).markdown)
            }
            return
        }
        var labels = try Self.readLayout(layout!, palette: paletteOption, generator: generator, modelPath: modelPath).labels
        if let size = try size?.within(4096, option: "--size") {
            labels = labels.resized(width: size.width, height: size.height)
        }
        // Before any network runs: a size that cannot fit is refused in one line, not killed by the OOM killer.
        try generator.checkMemory(width: labels.width, height: labels.height)
        let coded = generator as? any StyleCodedGenerator
        if let styleSheet {
            guard let coded else { throw Failure("--style-sheet needs an LGGAN or ECGAN model; \(modelPath) is \(generator.modelName)") }
            let seeds = try styleSheetSeeds()
            let styles = try (sheetStyles?.split(separator: ",").map(String.init) ?? []).map { path in
                (image: try RGBImage.read(path: path), style: try coded.styleReference(path: path))
            }
            try StyleSheet.render(generator: coded, labels: labels, seeds: seeds, styles: styles).write(path: styleSheet)
            print("wrote \(styleSheet) (\(seeds.count) seeds x \(styles.count + 1) rows)")
        }
        let settings = try generationSettings(coded)
        if seed != nil && !generator.hasNoiseInput {
            // Not an error (the image is still right), but a user re-rolling would otherwise see the same picture and wonder.
            let reroll = ModelLoader.companionModelNames.map { "models/" + $0 }.joined(separator: ", ")
            FileHandle.standardError.write(Data("note: \(modelPath) has no noise input, so every --seed gives the same image; models with a style code re-roll (\(reroll))\n".utf8))
        }
        let views = try coded.map { try $0.generate(labels, settings: settings, shouldCancel: { false }) }
            ?? generator.generate(labels, seed: settings.seed, shouldCancel: { false })
        let milliseconds = String(format: "%.0f", views.seconds * 1000)
        if let output {
            var inspected: Int?
            if let name = view.className {
                guard let cls = generator.palette.class(named: name) else {
                    throw Failure("palette \(generator.palette.name) has no class '\(name)' (classes: \(generator.palette.classes.map(\.name).joined(separator: ", ")))")
                }
                inspected = cls.id
            }
            guard generator.views.contains(view.view) else {
                throw Failure("\(modelPath) is \(generator.modelName), which has no \(view.view.name) view (its views: \(generator.views.map { $0.isClassView ? "class:NAME" : $0.name }.joined(separator: ", ")))")
            }
            let composed = ViewComposer.compose(view.view, views: views, labels: labels, palette: generator.palette, inspectedClass: inspected)
            guard composed.isAvailable else { throw Failure("cannot write the \(view.view.title) view: \(composed.caption)") }
            try composed.image.write(path: output, text: settings.pngText)
            let name = view.className.map { "class-" + $0 } ?? view.view.name
            print("wrote \(output) (\(name), \(labels.width)x\(labels.height), \(milliseconds) ms)")
        }
        if let allViews {
            try AtomicFile.ensureDirectory(allViews)
            let written = try ViewExporter(directory: allViews, baseName: "").exportAll(views: views, labels: labels, palette: generator.palette,
                                                                                         text: settings.pngText)
            print("wrote \(written.count) views to \(allViews) (\(milliseconds) ms)")
        }
    }

    /// The seed and style asked for: --settings-from's text chunks, or --seed and --style.
    /// Styles need an LGGAN or ECGAN with a style encoder (`coded` is nil for other models).
    func generationSettings(_ coded: (any StyleCodedGenerator)?) throws -> GenerationSettings {
        let settings: GenerationSettings
        if let settingsFrom {
            settings = try GenerationSettings(pngText: try PNGTextChunks.read(path: settingsFrom), path: settingsFrom)
        } else {
            settings = GenerationSettings(seed: seed ?? 0, style: try style.map { path in
                guard let coded else { throw StyleReferenceError(path: path, reason: "styles need an LGGAN or ECGAN model with a style encoder") }
                return try coded.styleReference(path: path)
            })
        }
        if let style = settings.style, coded == nil {
            throw StyleReferenceError(path: style.source, reason: "styles need an LGGAN or ECGAN model with a style encoder")
        }
        return settings
    }

    /// Reads a layout and checks it uses the model's palette. Greyscale id
    /// PNGs carry no palette: they are read with --palette or the model's.
    static func readLayout(_ path: String, palette option: PaletteOption, generator: any SceneGenerator, modelPath: String) throws -> Layout {
        let library = try? PaletteLibrary.bundled()
        let explicit = try option.resolved(in: library)
        var libraryWithModel = library?.palettes ?? []
        if !libraryWithModel.contains(where: { $0.name == generator.palette.name }) { libraryWithModel.append(generator.palette) }
        let layout: Layout
        do {
            layout = try LayoutFile.read(path: path, palette: explicit, library: PaletteLibrary(palettes: libraryWithModel))
        } catch let error as LayoutError where explicit == nil && error.kind == .paletteNeeded {
            layout = try LayoutFile.read(path: path, palette: generator.palette)
        }
        try PaletteCompatibility.check(layout.palette, of: "the layout", against: generator.palette, of: modelPath)
        return layout
    }
}
