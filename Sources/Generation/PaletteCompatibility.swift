import Layouts
import Support

/// The one rule for "this layout (or dataset, or evaluator) speaks the model's
/// palette": the same classes, with the same ids and names, in the same order.
/// Colours may differ: the model reads ids, and colours are only how a file or
/// a screen shows them.
public enum PaletteCompatibility {
    public static func compatible(_ a: Palette, _ b: Palette) -> Bool {
        a.classes.count == b.classes.count && zip(a.classes, b.classes).allSatisfy { $0.id == $1.id && $0.name == $1.name }
    }

    /// Throws `PaletteMismatch` unless `palette` (of `subject`, e.g. "lake.png")
    /// is compatible with `reference` (the palette `judge`, e.g. "model m.safetensors", was trained on).
    public static func check(_ palette: Palette, of subject: String, against reference: Palette, of judge: String) throws {
        guard compatible(palette, reference) else {
            throw PaletteMismatch(subject: subject, palette: palette, judge: judge, reference: reference)
        }
    }
}

/// A palette that is not the one a model (or evaluator) was trained on.
public struct PaletteMismatch: UserFacingError, Equatable {
    public let subject: String
    public let palette: Palette
    public let judge: String
    public let reference: Palette

    public var description: String {
        var text = "\(subject) uses palette '\(palette.name)' (\(palette.count) classes) but \(judge) was trained on palette "
            + "'\(reference.name)' (\(reference.count) classes)"
        // Same name, different classes: say where they part.
        if palette.name == reference.name, let (a, b) = zip(palette.classes, reference.classes).first(where: { $0.id != $1.id || $0.name != $1.name }) {
            text += ": class \(a.id) '\(a.name)' here is \(b.id) '\(b.name)' there"
        }
        return text
    }
}
