/// The painting tools. Shapes (line, rectangles, ellipses) take two points:
/// where the drag (or the first Space) started and where it ends.
public enum EditorTool: String, CaseIterable, Sendable {
    case brush
    case line
    case rectangle
    case filledRectangle = "filled-rectangle"
    case ellipse
    case filledEllipse = "filled-ellipse"
    case fill4 = "fill-4"
    case fill8 = "fill-8"
    case eyedropper

    /// True for tools that need a start and an end point.
    public var isShape: Bool {
        switch self {
        case .line, .rectangle, .filledRectangle, .ellipse, .filledEllipse: return true
        default: return false
        }
    }

    /// Short name for the status line.
    public var label: String {
        switch self {
        case .brush: return "brush"
        case .line: return "line"
        case .rectangle: return "rect"
        case .filledRectangle: return "rect (filled)"
        case .ellipse: return "ellipse"
        case .filledEllipse: return "ellipse (filled)"
        case .fill4: return "fill (4-conn)"
        case .fill8: return "fill (8-conn)"
        case .eyedropper: return "eyedropper"
        }
    }
}
