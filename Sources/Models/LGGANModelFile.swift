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
        try ModelFileHeader.write(network.modelFileTensors, format: format, version: version, configJSON: network.config.encodedJSON(),
                                  palette: palette, metadata: extra, dtype: dtype, to: path)
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
        let (configJSON, palette) = try ModelFileHeader.validate(file, path: path, format: format)
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        let config: LGGANConfig
        do {
            config = try LGGANConfig.decode(json: configJSON, fileTensors: file.tensors)
        } catch let error as ModelConfigError {
            throw fail(error.message)
        }
        try ModelFileHeader.checkClassCount(of: palette, model: config.classCount, path: path)
        let network = try ModelFileHeader.loadWeights(of: file, into: LGGANNetwork(config: config), path: path)
        return (network, palette, file.metadata)
    }
}
