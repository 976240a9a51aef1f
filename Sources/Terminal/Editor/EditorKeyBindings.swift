/// Every key of the editor, grouped as the help overlay and docs/editor.md show them.
public enum EditorKeyBindings {
    public struct Binding: Sendable {
        public let keys: String
        public let action: String
    }

    public static let sections: [(title: String, bindings: [Binding])] = [
        ("Paint", [
            Binding(keys: "arrows", action: "move the brush cursor (1 pixel)"),
            Binding(keys: "space", action: "paint / fill / pick at the cursor; shapes: start, then finish"),
            Binding(keys: "enter", action: "pen down/up: arrows paint while down"),
            Binding(keys: "b l r R e E", action: "brush, line, rect, filled rect, ellipse, filled ellipse"),
            Binding(keys: "f F i", action: "fill 4-connected, fill 8-connected, eyedropper"),
            Binding(keys: "[ ]", action: "brush size -/+ (1-32)"),
            Binding(keys: ", .", action: "previous / next class"),
            Binding(keys: "g", action: "replace the class under the cursor everywhere"),
            Binding(keys: "C", action: "clear: fill the whole layout with the class"),
            Binding(keys: "u U", action: "undo, redo (also ctrl-z, ctrl-y)"),
            Binding(keys: "esc", action: "cancel a shape, close a popup"),
        ]),
        ("View", [
            Binding(keys: "1-7 v", action: "fused, global, local, global weight, local weight, class, layout|fused; next"),
            Binding(keys: "m", action: "next loaded model (LGGAN <-> ECGAN: 1-6 I'', I', edge, attention, class, layout|fused)"),
            Binding(keys: "t", action: "per-class table (share, mean local weight)"),
            Binding(keys: "n p", action: "new random seed, previous seed (models with a noise input)"),
            Binding(keys: "P", action: "style from a reference image (prompt; empty clears)"),
            Binding(keys: "+ - 0", action: "zoom in, zoom out, fit"),
            Binding(keys: "H J K L", action: "pan left, down, up, right (also shift-arrows)"),
            Binding(keys: "ctrl-l", action: "redraw the screen"),
        ]),
        ("Files", [
            Binding(keys: "s S", action: "save, save as (indexed PNG)"),
            Binding(keys: "o N", action: "open a layout, new layout (size, palette)"),
            Binding(keys: "x X", action: "export the view, export all views (PNG)"),
            Binding(keys: "q", action: "quit (asks when there are unsaved changes)"),
            Binding(keys: "?", action: "this help"),
        ]),
        ("Mouse", [
            Binding(keys: "left", action: "click and drag to paint with the tool; click a class to pick it"),
            Binding(keys: "right", action: "eyedropper"),
            Binding(keys: "wheel", action: "brush size"),
        ]),
    ]
}
