import Foundation
import Layouts
import Tensor

/// Saving and loading segmenters as safetensors. The configuration (palette as
/// JSON, input size, widths) travels in the file's metadata, so a file is
/// self-describing: `load` rebuilds the network before reading the weights.
public enum SegmenterCheckpoint {
    public static let kind = "segmenter"

    enum Key {
        static let model = "scenepaint.model"
        static let palette = "segmenter.palette"
        static let classes = "segmenter.classes"
        static let inputWidth = "segmenter.input_width"
        static let inputHeight = "segmenter.input_height"
        static let baseWidth = "segmenter.base_width"
        static let depth = "segmenter.depth"
    }

    /// The metadata that describes `configuration`.
    public static func metadata(for configuration: SegmenterConfiguration) -> [String: String] {
        [
            Key.model: kind,
            Key.palette: String(decoding: configuration.palette.encodeJSON(), as: UTF8.self),
            Key.classes: String(configuration.classCount),
            Key.inputWidth: String(configuration.inputWidth),
            Key.inputHeight: String(configuration.inputHeight),
            Key.baseWidth: String(configuration.baseWidth),
            Key.depth: String(configuration.depth),
        ]
    }

    /// Reads a configuration back from metadata; `path` names the file in errors.
    public static func configuration(from metadata: [String: String], path: String) throws -> SegmenterConfiguration {
        guard metadata[Key.model] == kind else {
            throw SegmenterError("\(path): not a segmenter checkpoint (metadata \(Key.model) is \(metadata[Key.model].map { "\"\($0)\"" } ?? "missing"))")
        }
        func integer(_ key: String) throws -> Int {
            guard let text = metadata[key], let value = Int(text) else {
                throw SegmenterError("\(path): metadata \(key) is missing or not a number")
            }
            return value
        }
        guard let paletteJSON = metadata[Key.palette] else { throw SegmenterError("\(path): metadata \(Key.palette) is missing") }
        let palette = try Palette.decode(json: Data(paletteJSON.utf8), source: "\(path) (metadata \(Key.palette))")
        let configuration = SegmenterConfiguration(palette: palette, inputWidth: try integer(Key.inputWidth),
                                                   inputHeight: try integer(Key.inputHeight),
                                                   baseWidth: try integer(Key.baseWidth), depth: try integer(Key.depth))
        if let classes = metadata[Key.classes], Int(classes) != palette.count {
            throw SegmenterError("\(path): metadata says \(classes) classes but its palette has \(palette.count)")
        }
        do {
            try configuration.validate()
        } catch let error as SegmenterError {
            throw SegmenterError("\(path): \(error.message)")
        }
        return configuration
    }

    /// Writes the model's weights and buffers (plus `extra` tensors and metadata,
    /// e.g. optimiser state for resuming) atomically.
    public static func save(_ model: Segmenter, to path: String, dtype: SafeTensorsDType = .f32,
                            extraTensors: [String: Tensor] = [:], extraMetadata: [String: String] = [:]) throws {
        var tensors = model.stateDict()
        for (name, tensor) in extraTensors { tensors[name] = tensor }
        let metadata = metadata(for: model.configuration).merging(extraMetadata) { mine, _ in mine }
        // Optimiser moments stay F32 even in an F16 file: they are not shipped.
        var dtypes: [String: SafeTensorsDType] = [:]
        for name in extraTensors.keys { dtypes[name] = .f32 }
        try SafeTensors.write(tensors, metadata: metadata, dtype: dtype, dtypes: dtypes, to: path)
    }

    /// A loaded segmenter with the file's metadata and every tensor the model
    /// does not own (optimiser state).
    public struct Loaded {
        public let model: Segmenter
        public let metadata: [String: String]
        public let extraTensors: [String: Tensor]
    }

    public static func load(path: String) throws -> Loaded {
        let file = try SafeTensors.read(path)
        let configuration = try configuration(from: file.metadata, path: path)
        let model = try Segmenter(configuration)
        let own = Set(model.stateDict().keys)
        var mine: [String: Tensor] = [:], extra: [String: Tensor] = [:]
        for (name, tensor) in file.tensors {
            if own.contains(name) { mine[name] = tensor } else { extra[name] = tensor }
        }
        do {
            try model.loadStateDict(mine)
        } catch let error as ModuleStateError {
            throw SegmenterError("\(path): \(error.description)")
        }
        model.eval()
        return Loaded(model: model, metadata: file.metadata, extraTensors: extra)
    }
}
