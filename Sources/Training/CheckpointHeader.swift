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
