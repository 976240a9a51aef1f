import Foundation
import Generation
import Layouts
import Support
import Tensor

/// Opens model files for the editor and the CLI.
public enum ModelLoader {
    /// The shipped model's file name under models/.
    public static let defaultModelName = "landscape-lggan.safetensors"
    /// The shipped models the editor loads beside the default one, in `m`'s
    /// order: the LGGAN with a style code (so `n` re-rolls), then the ECGAN.
    public static let companionModelNames = ["landscape-lggan-styles.safetensors", "landscape-ecgan.safetensors"]

    /// The companion models that exist where the resource locator finds models/.
    public static func bundledCompanionPaths(locator: ResourceLocator = .standard()) -> [String] {
        guard let directory = locator.modelsDirectory else { return [] }
        return companionModelNames.map { directory + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// models/landscape-lggan.safetensors where the resource locator finds models/, if it exists.
    public static func defaultModelPath(locator: ResourceLocator = .standard()) -> String? {
        guard let directory = locator.modelsDirectory else { return nil }
        let path = directory + "/" + defaultModelName
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Loads and validates a model file; a malformed file gives one clear error naming it.
    /// LGGAN or ECGAN, as the file's metadata says. `precision`: the number
    /// format its inference convolutions run in.
    public static func load(path: String, precision: ConvolutionPrecision = .f32) throws -> any SceneGenerator {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelFileError(path: path, reason: "no such file")
        }
        let metadata = try SafeTensors.read(path).metadata
        if metadata["format"] == ECGANModelFile.format { return try loadECGAN(path: path, precision: precision) }
        if metadata["format"] == nil, metadata[SegmenterCheckpoint.Key.model] == SegmenterCheckpoint.kind {
            throw ModelFileError(path: path, reason: "this is a segmenter (the evaluator, it labels images), not a generator: "
                + "give it to eval --evaluator, and give --model an LGGAN or ECGAN model file")
        }
        return try loadLGGAN(path: path, precision: precision)
    }

    public static func loadECGAN(path: String, precision: ConvolutionPrecision = .f32) throws -> ECGANGenerator {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelFileError(path: path, reason: "no such file")
        }
        let (network, palette, _) = try ECGANModelFile.read(path: path)
        return try ECGANGenerator(network: network, palette: palette, source: path, precision: precision)
    }

    /// The concrete LGGAN (for tools that need its network or config).
    public static func loadLGGAN(path: String, precision: ConvolutionPrecision = .f32) throws -> LGGANGenerator {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelFileError(path: path, reason: "no such file")
        }
        let (network, palette, _) = try LGGANModelFile.read(path: path)
        return try LGGANGenerator(network: network, palette: palette, source: path, precision: precision)
    }

    /// The default model, or an error saying where it was looked for.
    public static func loadDefault(locator: ResourceLocator = .standard()) throws -> any SceneGenerator {
        guard let path = defaultModelPath(locator: locator) else {
            throw Failure("cannot find models/\(defaultModelName) (looked under \(locator.roots.joined(separator: ", ")); pass --model or set SCENEPAINT_HOME)")
        }
        return try load(path: path)
    }
}
