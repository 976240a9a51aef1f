import Layouts
import Models
import Support

/// Where `scenepaint edit --model M` gets its generator: a trained LGGAN model
/// file, validated by `Models.ModelLoader` (a malformed file is one clear error
/// naming it).
public enum GeneratorLoader {
    public static func load(modelPath: String) throws -> SceneGenerator {
        try ModelLoader.load(path: modelPath)
    }

    /// Refuses a layout whose palette is not the one the model was trained on.
    public static func checkPalette(model: Palette, modelPath: String, layout: Palette, layoutPath: String?) throws {
        guard model.classes != layout.classes else { return }
        let source = layoutPath ?? "the new layout"
        throw Failure("\(source) uses palette \"\(layout.name)\" but model \(modelPath) was trained on palette \"\(model.name)\": open a layout painted with \"\(model.name)\" or choose another model")
    }
}
