import Foundation
import Layouts
import Support
import Tensor

/// The metadata every GAN training checkpoint (LGGAN's, ECGAN's) holds beside
/// its tensors: format, architecture config, palette, options, the step and
/// both optimisers' step counts. One writer and one reader, one message each.
struct CheckpointHeader<Options: Codable> {
    var configJSON: String
    var palette: Palette
    var options: Options
    var step: Int
    var generatorSteps: Int
    var discriminatorSteps: Int

    static func failure(_ path: String, _ reason: String) -> Failure { Failure("\(path): cannot resume training: \(reason)") }

    func metadata(format: String, optionsJSON: String) -> [String: String] {
        [
            "format": format,
            "config": configJSON,
            "palette": String(data: palette.encodeJSON(), encoding: .utf8) ?? "",
            "options": optionsJSON,
            "step": String(step),
            "optG.steps": String(generatorSteps),
            "optD.steps": String(discriminatorSteps),
        ]
    }

    /// Reads the header of `file`; `model` names the kind in the message ("an LGGAN").
    init(file: SafeTensorsFile, path: String, format: String, model: String) throws {
        func fail(_ reason: String) -> Failure { Self.failure(path, reason) }
        guard file.metadata["format"] == format else { throw fail("not \(model) training checkpoint") }
        guard let configJSON = file.metadata["config"], let paletteJSON = file.metadata["palette"],
              let optionsJSON = file.metadata["options"], let step = file.metadata["step"].flatMap({ Int($0) }),
              let gSteps = file.metadata["optG.steps"].flatMap({ Int($0) }),
              let dSteps = file.metadata["optD.steps"].flatMap({ Int($0) }) else {
            throw fail("its metadata is incomplete")
        }
        self.configJSON = configJSON
        palette = try Palette.decode(json: Data(paletteJSON.utf8), source: path)
        do {
            options = try JSONDecoder().decode(Options.self, from: Data(optionsJSON.utf8))
        } catch {
            throw fail("its training options are unreadable")
        }
        self.step = step
        generatorSteps = gSteps
        discriminatorSteps = dSteps
    }

    init(configJSON: String, palette: Palette, options: Options, step: Int, generatorSteps: Int, discriminatorSteps: Int) {
        self.configJSON = configJSON
        self.palette = palette
        self.options = options
        self.step = step
        self.generatorSteps = generatorSteps
        self.discriminatorSteps = discriminatorSteps
    }
}

/// The networks and optimisers every GAN checkpoint holds, under the same
/// prefixes: G., D., optG., optD., and the style code's optimiser
/// (`StyleCodeOptimizers`). The trainers add what only they have.
struct GANCheckpointParts {
    let generator: Module
    let discriminator: Module
    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam
    let styleOptimizer: Adam?

    /// Writes the checkpoint: these parts, `extra` tensors, the header and `extraMetadata`.
    func write<Options: GANTrainingOptions>(to path: String, format: String, configJSON: String, palette: Palette, options: Options,
                                            step: Int, extra: [String: Tensor] = [:], extraMetadata: [String: String] = [:]) throws {
        var tensors = generator.stateDict(prefix: "G.")
        for part in [discriminator.stateDict(prefix: "D."), generatorOptimizer.stateDict(prefix: "optG."),
                     discriminatorOptimizer.stateDict(prefix: "optD."), extra] {
            tensors.merge(part, uniquingKeysWith: { a, _ in a })
        }
        var metadata = CheckpointHeader(configJSON: configJSON, palette: palette, options: options, step: step,
                                        generatorSteps: generatorOptimizer.stepCount,
                                        discriminatorSteps: discriminatorOptimizer.stepCount)
            .metadata(format: format, optionsJSON: options.encodedJSON())
        StyleCodeOptimizers.save(styleOptimizer, tensors: &tensors, metadata: &metadata)
        metadata.merge(extraMetadata, uniquingKeysWith: { a, _ in a })
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// Restores these parts from a checkpoint `write` made; a missing or misshapen tensor is one error naming the file.
    func restore<Options>(from file: SafeTensorsFile, header: CheckpointHeader<Options>, path: String) throws {
        func fail(_ reason: String) -> Failure { CheckpointHeader<Options>.failure(path, reason) }
        do {
            try generator.loadStateDict(file.tensors, prefix: "G.")
            try discriminator.loadStateDict(file.tensors, prefix: "D.")
            try generatorOptimizer.loadStateDict(file.tensors, prefix: "optG.", stepCount: header.generatorSteps)
            try discriminatorOptimizer.loadStateDict(file.tensors, prefix: "optD.", stepCount: header.discriminatorSteps)
            try StyleCodeOptimizers.load(styleOptimizer, from: file, fail: fail)
        } catch let error as ModuleStateError {
            throw fail(error.description)
        }
    }
}
