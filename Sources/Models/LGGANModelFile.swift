import Foundation
import Layouts
import Support
import Tensor

/// A model file that cannot be used, and why (one line naming the file).
public struct ModelFileError: UserFacingError, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): not a usable scenepaint model: \(reason)" }
}

/// The inference model file: a safetensors file holding the generator's
/// tensors by name, and in `__metadata__` the format tag, the architecture
/// config (JSON) and the palette (JSON) it was trained on.
public enum LGGANModelFile {
    public static let format = "scenepaint-lggan"
    public static let version = "1"

    /// Writes the generator (F16 halves the file; the tensors are read back as F32).
    public static func write(_ network: LGGANNetwork, palette: Palette, to path: String, dtype: SafeTensorsDType = .f32,
                             metadata extra: [String: String] = [:]) throws {
        var metadata = extra
        metadata["format"] = format
        metadata["version"] = version
        metadata["config"] = network.config.encodedJSON()
        metadata["palette"] = String(data: palette.encodeJSON(), encoding: .utf8) ?? ""
        try SafeTensors.write(network.stateDict(), metadata: metadata, dtype: dtype, to: path)
    }

    /// Reads and validates a model file: every problem becomes one `ModelFileError`
    /// (or the reader's own `SafeTensorsError`) naming the file.
    public static func read(path: String) throws -> (network: LGGANNetwork, palette: Palette, metadata: [String: String]) {
        try validate(try SafeTensors.read(path), path: path)
    }

    /// Validates model file bytes; `path` names them in errors (the fuzzers call this).
    public static func decode(_ data: Data, path: String) throws -> (network: LGGANNetwork, palette: Palette, metadata: [String: String]) {
        try validate(try SafeTensors.decode(data, source: path), path: path)
    }

    private static func validate(_ file: SafeTensorsFile, path: String) throws -> (network: LGGANNetwork, palette: Palette, metadata: [String: String]) {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        guard file.metadata["format"] == format else {
            throw fail("its metadata has format \(file.metadata["format"].map { "'\($0)'" } ?? "(none)"), expected '\(format)'")
        }
        guard let configJSON = file.metadata["config"] else { throw fail("its metadata has no model config") }
        let config: LGGANConfig
        do {
            config = try LGGANConfig.decode(json: configJSON, fileTensors: file.tensors)
        } catch let error as ModelConfigError {
            throw fail(error.message)
        }
        guard let paletteJSON = file.metadata["palette"] else { throw fail("its metadata has no palette") }
        let palette: Palette
        do {
            palette = try Palette.decode(json: Data(paletteJSON.utf8), source: "palette")
        } catch let error as PaletteError {
            throw fail("its palette is invalid (\(error.message))")
        }
        guard palette.count == config.classCount else {
            throw fail("its palette has \(palette.count) classes but the model \(config.classCount)")
        }
        for (name, tensor) in file.tensors {
            let finite = tensor.withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } }
            guard finite else { throw fail("tensor '\(name)' holds NaN or infinite values") }
        }
        let network = try LGGANNetwork(config: config)
        do {
            try network.loadStateDict(file.tensors)
        } catch let error as ModuleStateError {
            throw fail(error.description)
        }
        network.eval()
        return (network, palette, file.metadata)
    }
}
