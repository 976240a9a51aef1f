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
        --all-views DIR writes every view the model has, and the class view of each present class as \
        DIR/class-NAME.png, as the editor's X does.
        """)

    @Argument(help: "A layout PNG (indexed, label ids or class colours).")
    var layout: String?
    @Option(help: "Model file (default: models/\(ModelLoader.defaultModelName)).")
    var model: String?
    @Option(help: "Seed of the noise input (models with noise give a different image per seed).")
    var seed: UInt64 = 0
    @Option(help: "Resize the layout (nearest) to WxH before generating, e.g. 512x256.")
    var size: String?
    @Option(name: .shortAndLong, help: "Output PNG of the chosen view.")
    var output: String?
    @Option(help: "The view to write.")
    var view: ViewArgument = ViewArgument(view: .fused)
    @Option(help: "Write every view into this directory.")
    var allViews: String?
    @Option(help: "Palette of a greyscale label-id layout (default: the model's).")
    var palette: String?
    @Option(help: "BLAS/engine threads.")
    var threads: Int = 2
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
            return
        }
        if layout == nil { throw ValidationError("missing layout (or --report DATASET)") }
        if output == nil && allViews == nil { throw ValidationError("say where to write: -o OUT.png and/or --all-views DIR") }
    }

    func run() throws {
        BLASInfo.setThreads(threads)
        let modelPath: String
        if let model { modelPath = model } else {
            guard let found = ModelLoader.defaultModelPath() else {
                throw Failure("no model given and models/\(ModelLoader.defaultModelName) not found (pass --model)")
            }
            modelPath = found
        }
        let generator = try ModelLoader.loadLGGAN(path: modelPath, precision: try precisionOption.resolved())
        if let report {
            let dataset = try PairedDataset(directory: report, palette: generator.palette)
            if let sheet {
                let rows = try (sheetFrom ..< Swift.min(dataset.count, sheetFrom + sheetRows)).map { try dataset.pair($0) }
                guard !rows.isEmpty else { throw ValidationError("--sheet-from \(sheetFrom) is past the \(dataset.count) pairs") }
                try SampleSheet.render(generator: generator, samples: rows).write(path: sheet)
                print("wrote \(sheet) (\(rows.count) rows)")
            }
            if count > 0 {
                print(try ViewStatistics.measure(generator: generator, dataset: dataset, count: count).markdown)
            }
            return
        }
        var labels = try Self.readLayout(layout!, palette: palette, generator: generator, modelPath: modelPath).labels
        if let size {
            guard let (width, height) = SizeArgument.parse(size, maximumSide: 4096) else {
                throw ValidationError("--size must be WxH, e.g. 256x256 (each side 1-4096)")
            }
            labels = labels.resized(width: width, height: height)
        }
        let views = try generator.generate(labels, seed: seed, shouldCancel: { false })
        let milliseconds = String(format: "%.0f", views.seconds * 1000)
        if let output {
            var inspected: Int?
            if let name = view.className {
                guard let cls = generator.palette.class(named: name) else {
                    throw Failure("palette \(generator.palette.name) has no class '\(name)' (classes: \(generator.palette.classes.map(\.name).joined(separator: ", ")))")
                }
                inspected = cls.id
            }
            let composed = ViewComposer.compose(view.view, views: views, labels: labels, palette: generator.palette, inspectedClass: inspected)
            guard composed.isAvailable else { throw Failure("cannot write the \(view.view.title) view: \(composed.caption)") }
            try composed.image.write(path: output)
            let name = view.className.map { "class-" + $0 } ?? view.view.name
            print("wrote \(output) (\(name), \(labels.width)x\(labels.height), \(milliseconds) ms)")
        }
        if let allViews {
            try AtomicFile.ensureDirectory(allViews)
            let written = try ViewExporter(directory: allViews, baseName: "").exportAll(views: views, labels: labels, palette: generator.palette)
            print("wrote \(written.count) views to \(allViews) (\(milliseconds) ms)")
        }
    }

    /// Reads a layout and checks it uses the model's palette. Greyscale id
    /// PNGs carry no palette: they are read with --palette or the model's.
    static func readLayout(_ path: String, palette name: String?, generator: LGGANGenerator, modelPath: String) throws -> Layout {
        let library = try? PaletteLibrary.bundled()
        var explicit: Palette?
        if let name { explicit = try (library ?? PaletteLibrary(palettes: [])).named(name) }
        var libraryWithModel = library?.palettes ?? []
        if !libraryWithModel.contains(where: { $0.name == generator.palette.name }) { libraryWithModel.append(generator.palette) }
        let layout: Layout
        do {
            layout = try LayoutFile.read(path: path, palette: explicit, library: PaletteLibrary(palettes: libraryWithModel))
        } catch let error as LayoutError where explicit == nil && error.message.hasPrefix("greyscale label-id PNG") {
            layout = try LayoutFile.read(path: path, palette: generator.palette)
        }
        try PaletteCompatibility.check(layout.palette, of: "the layout", against: generator.palette, of: modelPath)
        return layout
    }
}
