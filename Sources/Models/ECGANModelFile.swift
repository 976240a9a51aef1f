import Foundation
import Layouts
import Support
import Tensor

/// The ECGAN inference model file: like LGGAN's (`LGGANModelFile`), a
/// safetensors file with the generator's tensors and, in `__metadata__`, the
/// format tag, the architecture config (JSON) and the palette (JSON).
public enum ECGANModelFile {
    public static let format = "scenepaint-ecgan"
    public static let version = "1"

    public static func write(_ network: ECGANNetwork, palette: Palette, to path: String, dtype: SafeTensorsDType = .f32,
                             metadata extra: [String: String] = [:]) throws {
        try ModelFileHeader.write(network.modelFileTensors, format: format, version: version, configJSON: network.config.encodedJSON(),
                                  palette: palette, metadata: extra, dtype: dtype, to: path)
    }

    /// Reads and validates a model file; every problem is one `ModelFileError` naming the file.
    public static func read(path: String) throws -> (network: ECGANNetwork, palette: Palette, metadata: [String: String]) {
        let file = try SafeTensors.read(path)
        let (configJSON, palette) = try ModelFileHeader.validate(file, path: path, format: format)
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        let config: ECGANConfig
        do {
            config = try ECGANConfig.decode(json: configJSON)
            try config.validate()
        } catch let error as ModelConfigError {
            throw fail(error.message)
        }
        try ModelFileHeader.checkClassCount(of: palette, model: config.classCount, path: path)
        let network = try ModelFileHeader.loadWeights(of: file, into: ECGANNetwork(config: config), path: path)
        return (network, palette, file.metadata)
    }
}

/// The checks every scenepaint model file passes before its config is read:
/// the format tag, a config, a valid palette, finite tensors.
public enum ModelFileHeader {
    /// The model kind a file's metadata names (nil when it names none).
    public static func format(ofFileAt path: String) throws -> String? {
        try SafeTensors.read(path).metadata["format"]
    }

    /// Writes a model file: the tensors, the format tag and version, config and palette (plus `extra` metadata).
    public static func write(_ tensors: [String: Tensor], format: String, version: String, configJSON: String, palette: Palette,
                             metadata extra: [String: String], dtype: SafeTensorsDType, to path: String) throws {
        var metadata = extra
        metadata["format"] = format
        metadata["version"] = version
        metadata["config"] = configJSON
        metadata["palette"] = String(data: palette.encodeJSON(), encoding: .utf8) ?? ""
        try SafeTensors.write(tensors, metadata: metadata, dtype: dtype, dtypes: dtypes(tensors), to: path)
    }

    /// Returns the config JSON and the palette, or throws one `ModelFileError`.
    public static func validate(_ file: SafeTensorsFile, path: String, format: String) throws -> (config: String, palette: Palette) {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        guard file.metadata["format"] == format else {
            throw fail("its metadata has format \(file.metadata["format"].map { "'\($0)'" } ?? "(none)"), expected '\(format)'")
        }
        guard let configJSON = file.metadata["config"] else { throw fail("its metadata has no model config") }
        guard let paletteJSON = file.metadata["palette"] else { throw fail("its metadata has no palette") }
        let palette: Palette
        do {
            palette = try Palette.decode(json: Data(paletteJSON.utf8), source: "palette")
        } catch let error as PaletteError {
            throw fail("its palette is invalid (\(error.message))")
        }
        for (name, tensor) in file.tensors {
            let finite = tensor.withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } }
            guard finite else { throw fail("tensor '\(name)' holds NaN or infinite values") }
        }
        return (configJSON, palette)
    }

    /// Refuses a palette whose class count differs from the model's config.
    public static func checkClassCount(of palette: Palette, model classCount: Int, path: String) throws {
        guard palette.count == classCount else {
            throw ModelFileError(path: path, reason: "its palette has \(palette.count) classes but the model \(classCount)")
        }
    }

    /// Loads the file's tensors into `network` and switches it to inference; a missing
    /// or misshapen tensor is one `ModelFileError`.
    /// A fitted style prior's tensors (`StylePrior`) are checked and set on the network.
    public static func loadWeights<Network: StyleCodedNetwork>(of file: SafeTensorsFile, into network: Network, path: String) throws -> Network {
        let (weights, prior) = try StylePrior.split(file.tensors, channels: network.styleChannels, path: path)
        do {
            try network.loadStateDict(weights)
        } catch let error as ModuleStateError {
            throw ModelFileError(path: path, reason: error.description)
        }
        network.stylePrior = prior
        network.eval()
        return network
    }

    /// Writes a model file's prior tensors as F32 whatever `dtype` the weights use (an F16 Cholesky factor would round the covariance).
    static func dtypes(_ tensors: [String: Tensor]) -> [String: SafeTensorsDType] {
        tensors.keys.filter { $0.hasPrefix("stylePrior.") }.reduce(into: [:]) { $0[$1] = .f32 }
    }
}
