import ArgumentParser
import Datasets
import Editor
import Evaluation
import Foundation
import Generation
import Layouts
import Models
import Support
import Tensor
import Training

/// `scenepaint eval`: how good a generator's images are, measured by the
/// evaluator segmenter on the test layouts.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a generator: mIoU/accuracy of the evaluator on its images, per-class IoU, feature Frechet distance, diversity.",
        discussion: """
            Generates one image per test layout (seed S+i for pair i), runs the evaluator segmenter on the generated \
            and on the real images and prints a table (--json writes the same numbers for machines). --model flat \
            paints layouts in palette colours (a floor needing no model file); --model shaded is the editor's \
            hand-made stand-in (textured, with a noise input and global/local views). The Frechet distance uses the \
            evaluator's own features: it is not FID.
            """)

    @OptionGroup var modelOption: ModelOption
    @Option(name: .long, help: "Test pairs: DIR/layouts/NNNNNN.png, DIR/images/NNNNNN.png (and manifest.json).") var data: String?
    @Option(name: .customLong("style-spread"), help: "Diversity against the real spread: a 'scenepaint dataset styles' directory (colour statistics and multi-scale pixel distance; with or without --data).") var styleSpread: String?
    @Option(name: .customLong("style-spread-layouts"), help: "Layouts of --style-spread to use (default: all).") var styleSpreadLayouts: Int?
    @Option(name: .long, help: "Use the first N test pairs (default: all).") var count: Int?
    @Option(name: .long, help: "Base seed: pair i is generated with seed S+i.") var seed: UInt64 = 0
    @Option(name: .long, help: "Write the report as JSON to this file.") var json: String?
    @Option(name: .long, help: "Evaluator segmenter (default: models/landscape-segmenter.safetensors).") var evaluator: String?
    @Option(name: .customLong("diversity-seeds"), help: "Seeds per layout for diversity (models with a noise input).") var diversitySeeds: Int = 4
    @Option(name: .customLong("diversity-layouts"), help: "Layouts used for diversity.") var diversityLayouts: Int = 16
    @Option(name: .long, help: ArgumentHelp("Resize test layouts to WxH (or S) before generating, e.g. the model's training size (default: as stored).", valueName: "WxH")) var size: Size?
    @Flag(name: .customLong("style-from-real"), help: "Take each pair's style code from the style encoder's posterior of its real image (as 'generate --style'), not from the prior (models with a style encoder).") var styleFromReal = false
    @Flag(name: .long, help: "Also score the model's global and local branches on their own (LGGAN).") var branches = false
    @Option(name: .customLong("small-share"), help: "Classes under this pixel share are small-object classes.") var smallShare: Double = 0.02
    @OptionGroup var precisionOption: PrecisionOption

    static let defaultEvaluator = "landscape-segmenter.safetensors"

    /// The layout size of the first `count` pairs with the largest estimated peak, read from each PNG's
    /// header (a layout that is not a PNG is decoded, its image is not). A mixed-size test set whose first pair is small
    /// used to pass the memory check and then run out of memory on a large pair.
    static func largestLayout(_ dataset: PairedDataset, count: Int?, memory: InferenceMemory) throws -> (Int, Int) {
        var largest = (0, 0)
        for index in 0..<min(count ?? dataset.count, dataset.count) {
            let size = try PNGDimensions.read(path: dataset.layoutPath(index))
                ?? { let layout = try dataset.layout(index); return (layout.width, layout.height) }()
            if memory.peakBytes(width: size.0, height: size.1) > memory.peakBytes(width: largest.0, height: largest.1) {
                largest = size
            }
        }
        return largest
    }

    func run() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        guard diversitySeeds >= 1 else { throw ValidationError("--diversity-seeds must be at least 1, got \(diversitySeeds)") }
        guard diversityLayouts >= 0 else { throw ValidationError("--diversity-layouts must be 0 or more, got \(diversityLayouts)") }
        guard smallShare >= 0 && smallShare <= 1 else {
            throw ValidationError("--small-share is a share of the pixels, 0-1 (e.g. 0.02), got \(smallShare)")
        }
        let evaluatorPath = try evaluator ?? Self.bundledEvaluator()
        let segmenter = try SegmenterCheckpoint.load(path: evaluatorPath).model
        let palette = segmenter.configuration.palette
        let modelSpec = try modelOption.path()
        let generator = try Self.loadGenerator(modelSpec, palette: palette, precision: try precisionOption.resolved(fallback: "f32"))
        if let styleSpread {
            let spreadData = try PairedDataset(directory: styleSpread, palette: palette)
            let spread = try StyleSpread.measure(generator: generator, dataset: spreadData, maxLayouts: styleSpreadLayouts, seed: seed)
            print(spread.text)
            if let coded = generator as? any StyleCodedGenerator, coded.hasStyleEncoder {
                print(try StyleSpread.transfer(generator: coded, dataset: spreadData, maxLayouts: styleSpreadLayouts, seed: seed).text)
            }
        }
        guard let data else {
            if styleSpread == nil { throw ValidationError("give --data DIR (and/or --style-spread DIR)") }
            return
        }
        // The test layouts' own palette where they name a known one, so that data painted
        // in another palette is refused (GenerationEvaluation checks); else the evaluator's.
        let dataset = try (try? PairedDataset(directory: data, library: PaletteLibrary.bundled()))
            ?? PairedDataset(directory: data, palette: palette)

        // The generator at the largest size it will run (--size, else the largest of the pairs
        // it will score) beside the evaluator: refused before generating when it cannot fit.
        if dataset.count > 0, let memory = InferenceMemory.of(generator) {
            let (width, height) = try size?.pair ?? Self.largestLayout(dataset, count: count, memory: memory)
            try memory.check(width: width, height: height, also: InferenceMemory.of(segmenter))
        }
        var options = EvaluationOptions()
        options.count = count
        options.seed = seed
        options.diversitySeeds = diversitySeeds
        options.diversityLayouts = diversityLayouts
        options.smallClassThreshold = smallShare
        options.scoreBranches = branches
        options.layoutWidth = size?.width
        options.layoutHeight = size?.height
        options.modelName = modelSpec
        options.styleCode = styleFromReal ? .realImagePosterior : .prior
        options.evaluatorName = evaluatorPath
        var bar: ProgressBar?
        let report = try GenerationEvaluation.run(generator: generator, segmenter: segmenter, dataset: dataset,
                                                  options: options) { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "eval") }
            bar?.update(done: done)
        }
        bar?.finish(done: bar?.total ?? 0)
        print(report.table())
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(report), to: json)
            print("wrote \(json)")
        }
    }

    static func bundledEvaluator() throws -> String {
        guard let dir = ResourceLocator.standard().modelsDirectory,
              FileManager.default.fileExists(atPath: dir + "/" + defaultEvaluator) else {
            throw Failure("cannot find models/\(defaultEvaluator): pass --evaluator PATH (train one with 'scenepaint train segmenter')")
        }
        return dir + "/" + defaultEvaluator
    }

    /// The generator named by --model.
    static func loadGenerator(_ spec: String, palette: Palette, precision: ConvolutionPrecision) throws -> any SceneGenerator {
        if spec == "flat" { return PaletteColorGenerator(palette: palette) }
        if spec == "shaded" { return ShadedLayoutGenerator(palette: palette) }
        return try ModelLoader.load(path: spec, precision: precision)  // palettes are checked by GenerationEvaluation
    }
}
