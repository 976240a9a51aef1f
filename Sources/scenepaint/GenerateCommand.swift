import ArgumentParser
import Datasets
import Foundation
import Layouts
import Models
import Support
import Tensor
import Training

/// Which image `generate` writes.
enum GenerationView: ExpressibleByArgument, Equatable {
    case fused, global, local, weights
    case classOutput(String)

    init?(argument: String) {
        switch argument {
        case "fused": self = .fused
        case "global": self = .global
        case "local": self = .local
        case "weights": self = .weights
        default:
            guard argument.hasPrefix("class:"), argument.count > 6 else { return nil }
            self = .classOutput(String(argument.dropFirst(6)))
        }
    }

    static var allValueStrings: [String] { ["fused", "global", "local", "weights", "class:NAME"] }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Turn a layout into an image with a trained model (any view, or all of them).",
        discussion: """
        Views: fused (the final image, Eq. 7), global, local, weights (blue = global image used, \
        orange = local), class:NAME (one class's own sub-generator output). --all-views DIR writes \
        every view plus each present class's output as DIR/class-NAME.png.
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
    @Option(help: "fused, global, local, weights or class:NAME.")
    var view: GenerationView = .fused
    @Option(help: "Write every view into this directory.")
    var allViews: String?
    @Option(help: "Palette of a greyscale label-id layout (default: the model's).")
    var palette: String?
    @Option(help: "BLAS/engine threads.")
    var threads: Int = 2
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
        let generator = try ModelLoader.loadLGGAN(path: modelPath)
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
        if let output {
            try Self.image(of: view, views: views, generator: generator, labels: labels).write(path: output)
            print("wrote \(output) (\(Self.name(of: view)), \(labels.width)x\(labels.height), \(String(format: "%.0f", views.seconds * 1000)) ms)")
        }
        if let allViews {
            try AtomicFile.ensureDirectory(allViews)
            var written: [String] = []
            func write(_ image: RGBImage, _ name: String) throws {
                try image.write(path: allViews + "/" + name + ".png")
                written.append(name)
            }
            try write(labels.colorized(with: generator.palette), "layout")
            for v in [GenerationView.fused, .global, .local, .weights] {
                if let image = try? Self.image(of: v, views: views, generator: generator, labels: labels) {
                    try write(image, Self.name(of: v))
                }
            }
            for (id, image) in views.classOutputs.sorted(by: { $0.key < $1.key }) {
                try write(image, "class-" + (generator.palette.class(id: id)?.name ?? String(id)))
            }
            print("wrote \(written.count) views to \(allViews) (\(String(format: "%.0f", views.seconds * 1000)) ms)")
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
        try ModelLoader.checkCompatible(layoutPalette: layout.palette, modelPalette: generator.palette, modelSource: modelPath)
        return layout
    }

    static func name(of view: GenerationView) -> String {
        switch view {
        case .fused: return "fused"
        case .global: return "global"
        case .local: return "local"
        case .weights: return "weights"
        case .classOutput(let name): return "class-" + name
        }
    }

    static func image(of view: GenerationView, views: GeneratedViews, generator: LGGANGenerator, labels: LabelMap) throws -> RGBImage {
        switch view {
        case .fused: return views.fused
        case .global:
            guard let g = views.global else { throw Failure("this model has no global generator") }
            return g
        case .local:
            guard let l = views.local else { throw Failure("this model has no local generator") }
            return l
        case .weights:
            guard let w = views.localWeight else { throw Failure("this model has no weight-map generator") }
            return TensorImages.weightImage(localWeight: w, width: labels.width, height: labels.height)
        case .classOutput(let name):
            guard let cls = generator.palette.class(named: name) else {
                throw Failure("palette \(generator.palette.name) has no class '\(name)' (classes: \(generator.palette.classes.map(\.name).joined(separator: ", ")))")
            }
            guard let image = views.classOutputs[cls.id] else {
                throw Failure("class '\(cls.name)' is not in the layout, so its sub-generator has no output here")
            }
            return image
        }
    }
}
