import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Layouts
import Models
import Support
import Tensor

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Change a trained model file.",
        subcommands: [FitStylePriorCommand.self])
}

/// `model fit-style-prior`: fits the seed path's style prior (`StylePrior`) to
/// the codes the model's style encoder gives training images and stores it in the model file.
struct FitStylePriorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-style-prior",
        abstract: "Fit the Gaussian a seed draws its style code from to the encoder's codes of training images.",
        discussion: """
            A model trained with --style-code N --style-encoder draws a seed's code from N(0, I), but the encoder \
            does not fill N(0, I): codes from its holes decode off the data. This encodes COUNT images of DIR \
            (evenly spaced, always the same), fits the Gaussian of their codes (the posterior means) and writes \
            the model with it; seeds then draw z = mean + L eps from it, \
            still bit-exact. --temperature T < 1 draws nearer the typical style (covariance times T^2): \
            less variety, higher fidelity. Run it again to refit; models without a fitted prior draw from N(0, I).
            """)

    @Option(name: .long, help: "Model file with a style encoder (LGGAN or ECGAN).") var model: String
    @Option(name: .long, help: "Data set directory whose images to encode (the model's training data).") var data: String
    @Option(name: .long, help: "Number of images to encode.") var count: Int = 2000
    @Option(name: .long, help: "Scale of the fitted spread (1: the codes' own; 0.5: half the standard deviation).")
    var temperature: Float = 1
    @Option(name: [.short, .long], help: "Output model file (default: the model file itself, rewritten atomically).") var output: String?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard count >= 2 else { throw ValidationError("--count must be at least 2, got \(count)") }
        guard temperature > 0, temperature.isFinite else {
            throw ValidationError("--temperature must be a positive number, got \(temperature)")
        }
    }

    func run() throws {
        threads.apply()
        let generator = try ModelLoader.load(path: model)
        guard let coded = generator as? any StyleCodedGenerator, coded.hasStyleEncoder else {
            throw Failure("\(model): has no style encoder, so there is no style prior to fit (train with --style-code N --style-encoder)")
        }
        let dataset = try PairedDataset(directory: data, palette: generator.palette)
        let indices = Self.evenlySpaced(count, of: dataset.count)
        let channels = coded.styleCodedNetwork.styleChannels
        var means: [Float] = []
        var bar = ProgressBar(total: indices.count, label: "encode")
        for (done, index) in indices.enumerated() {
            let path = dataset.imagePath(index)
            let posterior = try coded.styleReference(of: try dataset.source.readImage(path: path), source: path)
            means += posterior.mean
            bar.update(done: done + 1)
        }
        bar.finish(done: indices.count)
        let prior: FittedStylePrior
        do {
            prior = try FittedStylePrior.fit(means: means, channels: channels).scaled(by: temperature)
        } catch let error as StylePriorError {
            throw Failure("\(data): cannot fit a style prior: \(error.message)")
        }
        try report(prior, images: indices.count)
        let out = output ?? model
        let scale = temperature == 1 ? "" : ", temperature \(temperature)"
        try Self.write(.fitted(prior), into: model, to: out, note: "fitted to the posterior means of \(indices.count) images of \(data)\(scale)")
        print("wrote \(out)")
    }

    /// `count` indices spread evenly over `total` (a mixed set is often stored one part after the other).
    static func evenlySpaced(_ count: Int, of total: Int) -> [Int] {
        let n = Swift.min(count, total)
        return (0..<n).map { $0 * total / n }
    }

    /// Rewrites the model file with `prior`'s tensors, everything else (weights, dtypes, metadata) as it was.
    static func write(_ prior: StylePrior, into model: String, to out: String, note: String) throws {
        let file = try SafeTensors.read(model)
        var tensors = file.tensors.filter { !$0.key.hasPrefix("stylePrior.") }
        tensors.merge(prior.tensors) { old, _ in old }
        var metadata = file.metadata
        metadata["style-prior"] = note
        var dtypes = file.dtypes
        for name in prior.tensors.keys { dtypes[name] = .f32 }
        try SafeTensors.write(tensors, metadata: metadata, dtypes: dtypes, to: out)
    }

    /// Is the hypothesis true: how far is the codes' Gaussian from N(0, I)?
    func report(_ prior: FittedStylePrior, images: Int) throws {
        let c = prior.channels
        let norm = prior.mean.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        let values = try SymmetricEigen.decompose(prior.covariance, n: c, vectors: false).values.sorted(by: >)
        print("style codes (posterior means) of \(images) images, \(c) dimensions: |mean| \(String(format: "%.3f", norm)) (N(0, I): 0)")
        let scaled = temperature == 1 ? "" : " (times the temperature squared, \(temperature * temperature))"
        print("covariance eigenvalues\(scaled) (N(0, I): all 1): \(values.map { String(format: "%.3g", $0) }.joined(separator: " "))")
    }
}
