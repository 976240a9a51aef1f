import ArgumentParser
import Datasets
import Foundation
import Landscapes
import Layouts
import Support

/// `scenepaint dataset`: procedural landscape training data.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Make procedural landscape training data (layouts with photo-like renders).",
        subcommands: [Synth.self, Sheet.self, Scene.self, Render.self, DatasetEdgesCommand.self, Styles.self])

    /// The painted splits hold painted layouts only (`--mix painted`).
    enum Split: String, ExpressibleByArgument, CaseIterable {
        case train, val, test, valPainted = "val-painted", testPainted = "test-painted"
    }

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write COUNT layout/image pairs to DIR (or DIR/SPLIT): layouts/NNNNNN.png, images/NNNNNN.png, manifest.json.",
            discussion: "Deterministic: the same seed, split and size give the same bytes. Re-running continues where a stopped run ended.")

        @Option(name: .long, help: "Output directory.") var out: String
        @Option(name: .long, help: "Number of pairs.") var count: Int
        @Option(name: .long, help: ArgumentHelp("Image size WxH (square or 2:1 work best).", valueName: "WxH")) var size: Size = Size(width: 256, height: 256)
        @Option(name: .long, help: "Dataset seed.") var seed: UInt64 = 1
        @Option(name: .long, help: "Write into DIR/SPLIT; the split also enters every pair's seed.") var split: Split?
        @Option(name: .long, help: "Worker threads (default: all cores).") var jobs: Int?
        @Option(name: .long, help: "PNG zlib level 0-9 (1 is fast).") var compression: Int = 1
        @Option(name: .long, help: ArgumentHelp("Layout samplers and their shares: procedural, painted, or e.g. procedural=0.5,painted=0.5.",
                                                valueName: "mix"))
        var mix: String = "procedural"

        func run() throws {
            let directory = split.map { out + "/" + $0.rawValue } ?? out
            guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0-9") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
            let layoutMix = try LayoutMix(parsing: mix)
            if split == .valPainted || split == .testPainted, layoutMix != .painted {
                throw ValidationError("--split \(split!.rawValue) holds painted layouts only: add --mix painted")
            }
            let synthesis = DatasetSynthesis(directory: directory, seed: seed, count: count, width: size.width, height: size.height,
                                             split: split?.rawValue, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                             compressionLevel: compression, mix: layoutMix)
            let bar = ProgressBox(ProgressBar(total: count, label: "synth"))
            let start = Date()
            let manifest = try synthesis.run { done, _, _ in bar.update(done) }
            bar.finish(count)
            let seconds = Date().timeIntervalSince(start)
            print("wrote \(directory): \(synthesis.count) pairs at \(synthesis.width)x\(synthesis.height), mix \(layoutMix)"
                  + String(format: " in %.1fs", seconds))
            for cls in manifest.classes {
                let name = cls.name.padding(toLength: 9, withPad: " ", startingAt: 0)
                print(String(format: "  %2d ", cls.id) + name
                      + String(format: " %6.2f%% of pixels, in %5.1f%% of images", (cls.pixelShare ?? 0) * 100, (cls.imageShare ?? 0) * 100))
            }
        }
    }

    struct Sheet: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a contact sheet of a dataset's first pairs (layout beside image).")

        @Argument(help: "Dataset directory (holding layouts/ and images/).") var directory: String
        @Option(name: .shortAndLong, help: "Output PNG.") var output: String
        @Option(name: .long, help: "Number of pairs.") var count: Int = 16
        @Option(name: .long, help: "Pairs per row.") var columns: Int = 4
        @Option(name: .long, help: "Tile height in pixels (default: the dataset's).") var tile: Int?

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
            guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
            if let tile, !(ContactSheet.tileHeights).contains(tile) {
                throw ValidationError("--tile must be \(ContactSheet.tileHeights.lowerBound)-\(ContactSheet.tileHeights.upperBound) pixels, got \(tile)")
            }
        }

        func run() throws {
            let library = (try? PaletteLibrary.bundled()) ?? PaletteLibrary(palettes: [LandscapeClass.palette])
            let dataset = try PairedDataset(directory: directory, library: library)
            let sheet = try ContactSheet.make(dataset: dataset, count: count, columns: columns, tileHeight: tile)
            try sheet.write(path: output)
            print("wrote \(output) (\(sheet.width)x\(sheet.height))")
        }
    }

    struct Scene: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one layout (and optionally its render) of a chosen composition, e.g. to make samples.")

        @Option(name: .long, help: "One of: \(Composition.allCases.map(\.rawValue).joined(separator: ", ")).")
        var composition: String?
        @Option(name: .long, help: "A painted layout instead, one of: \(PaintedRecipe.allCases.map(\.rawValue).joined(separator: ", ")).")
        var painted: String?
        @Option(name: .long, help: "Scene seed.") var seed: UInt64 = 1
        @Option(name: .long, help: "Style seed for the render (default: from the scene seed).") var styleSeed: UInt64?
        @Option(name: .long, help: ArgumentHelp("Size WxH.", valueName: "WxH")) var size: Size = Size(width: 256, height: 256)
        @Option(name: .shortAndLong, help: "Output layout PNG (indexed, landscape palette).") var output: String
        @Option(name: .long, help: "Also write the render here.") var image: String?

        func run() throws {
            var kind: Composition? = nil
            if let composition {
                guard let k = Composition(rawValue: composition) else {
                    throw ValidationError("unknown composition \"\(composition)\" (known: \(Composition.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                kind = k
            }
            var recipe: PaintedRecipe? = nil
            if let painted {
                guard composition == nil else { throw ValidationError("--painted and --composition exclude each other") }
                guard let r = PaintedRecipe(rawValue: painted) else {
                    throw ValidationError("unknown painted recipe \"\(painted)\" (known: \(PaintedRecipe.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                recipe = r
            }
            let (w, h) = (size.width, size.height)
            if let image {
                let layout: Layout, render: RGBImage, what: String
                if let recipe {
                    let pair = PaintedSynthesizer().pair(seed: seed, width: w, height: h, recipe: recipe, styleSeed: styleSeed)
                    (layout, render, what) = (pair.layout, pair.image, "painted \(pair.recipe.rawValue), \(pair.style.summary)")
                } else {
                    let pair = LandscapeSynthesizer().pair(seed: seed, width: w, height: h, composition: kind, styleSeed: styleSeed)
                    (layout, render, what) = (pair.layout, pair.image, "\(pair.composition.rawValue), \(pair.style.summary)")
                }
                try LayoutFile.write(layout, to: output)
                try render.write(path: image)
                print("wrote \(output) and \(image) (\(what))")
            } else {
                let layout = recipe.map { PaintedSynthesizer().layout(seed: seed, width: w, height: h, recipe: $0) }
                    ?? LandscapeSynthesizer().layout(seed: seed, width: w, height: h, composition: kind)
                try LayoutFile.write(layout, to: output)
                print("wrote \(output)")
            }
        }
    }
}

extension DatasetCommand {
    /// Renders any landscape layout (e.g. one painted in the editor) with the painted-mask renderer.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a landscape layout PNG as a photo-like image with the painted-mask renderer (the \"real\" render of a hand-painted layout).")

        @Argument(help: "Layout PNG (landscape palette).") var layout: String
        @Option(name: .shortAndLong, help: "Output image PNG.") var output: String
        @Option(name: .long, help: "Style seed (time of day, season, weather).") var styleSeed: UInt64 = 1

        func run() throws {
            let file = try LayoutFile.read(path: layout, palette: LandscapeClass.palette)
            let style = RenderStyle.random(seed: styleSeed, winter: PaintedRenderer.isWintry(file.labels))
            let rendered = PaintedRenderer().render(layout: file.labels, style: style)
            try rendered.image.write(path: output)
            print("wrote \(output) (\(style.summary))")
        }
    }
}

/// The progress bar, shared by the worker threads.
final class ProgressBox: @unchecked Sendable {
    private var bar: ProgressBar
    private let lock = NSLock()
    init(_ bar: ProgressBar) { self.bar = bar }
    func update(_ done: Int) { lock.lock(); bar.update(done: done); lock.unlock() }
    func finish(_ done: Int) { lock.lock(); bar.finish(done: done); lock.unlock() }
}
