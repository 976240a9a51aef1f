import Layouts
import Models
import Support

/// Where `scenepaint edit --model M` gets its generator. The trained-model
/// loader arrives with the LGGAN issue: its engineer replaces the body of
/// `load` (read the checkpoint, build the model, return it). Until then any
/// `--model` is refused with one clear line and the editor runs the
/// `ShadedLayoutGenerator` stand-in.
public enum GeneratorLoader {
    public static func load(modelPath: String) throws -> SceneGenerator {
        throw Failure("\(modelPath): loading trained models is not available yet (it comes with the LGGAN model); run without --model to paint with the stand-in generator")
    }

    /// Refuses a layout whose palette is not the one the model was trained on.
    public static func checkPalette(model: Palette, modelPath: String, layout: Palette, layoutPath: String?) throws {
        guard model.classes != layout.classes else { return }
        let source = layoutPath ?? "the new layout"
        throw Failure("\(source) uses palette \"\(layout.name)\" but model \(modelPath) was trained on palette \"\(model.name)\": open a layout painted with \"\(model.name)\" or choose another model")
    }
}
