import Editor

/// What a key does in the editor's normal mode. The key map says which key
/// triggers which action; EditorApp+Keys performs them (an exhaustive switch,
/// so a new action cannot be left without a handler).
public enum EditorAction: Hashable, Sendable {
    case moveCursor(dx: Int, dy: Int)
    /// Paint, fill or pick at the cursor; with a shape tool: start, then finish.
    case applyAtCursor
    case togglePen
    /// Cancel a shape, lift the pen.
    case cancel
    case selectTool(EditorTool)
    case changeBrushSize(by: Int)
    case cycleClass(by: Int)
    case replaceClassEverywhere
    case clearLayout
    case undo
    case redo
    /// The view with this number key (1-9) in the current model's view list.
    case showView(number: Int)
    case nextView
    case switchModel
    case showClassTable
    case newSeed
    case previousSeed
    case chooseStyleImage
    case zoom(by: Int)
    case zoomToFit
    case pan(dx: Int, dy: Int)
    case redraw
    case save
    case saveAs
    case open
    case newLayout
    case exportView
    case exportAllViews
    case quit
    case showHelp
}
