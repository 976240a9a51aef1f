import Editor
import Foundation

/// Every key of the editor, as data: the help popup, `scenepaint keys` (the
/// README's table) and the dispatch are all read from `entries`.
public enum EditorKeyMap {
    /// The help popup's sections, in order.
    public enum Group: String, CaseIterable, Sendable {
        case paint = "Paint"
        case view = "View"
        case files = "Files"
        case mouse = "Mouse"
    }

    /// One key and what it does.
    public struct Binding: Sendable {
        public let key: EditorKey
        public let action: EditorAction
        /// False for an alternative key the help mentions only in its text (ctrl-z beside u).
        public let shown: Bool
    }

    /// One help line: its keys and text, and the bindings it describes.
    public struct Entry: Sendable {
        public let group: Group
        /// How the keys are written in the help ("b l r R e E", "arrows").
        public let keys: [String]
        public let help: String
        public let bindings: [Binding]

        /// The keys column names the shown keys, unless `label` says it shorter ("arrows", "1-7").
        init(_ group: Group, _ bindings: [Binding], label: [String]? = nil, _ help: String) {
            self.group = group
            self.bindings = bindings
            self.keys = label ?? bindings.filter(\.shown).map(\.key.name)
            self.help = help
        }
    }

    private static func bind(_ key: EditorKey, _ action: EditorAction, shown: Bool = true) -> Binding {
        Binding(key: key, action: action, shown: shown)
    }

    private static func char(_ c: Character, _ action: EditorAction, shown: Bool = true) -> Binding {
        Binding(key: .character(c), action: action, shown: shown)
    }

    public static let entries: [Entry] = [
        Entry(.paint, [bind(.left, .moveCursor(dx: -1, dy: 0)), bind(.right, .moveCursor(dx: 1, dy: 0)),
                       bind(.up, .moveCursor(dx: 0, dy: -1)), bind(.down, .moveCursor(dx: 0, dy: 1))],
              label: ["arrows"], "move the brush cursor (1 pixel)"),
        Entry(.paint, [bind(.space, .applyAtCursor)], "paint / fill / pick at the cursor; shapes: start, then finish"),
        Entry(.paint, [bind(.enter, .togglePen)], "pen down/up: arrows paint while down"),
        Entry(.paint, [char("b", .selectTool(.brush)), char("l", .selectTool(.line)), char("r", .selectTool(.rectangle)),
                       char("R", .selectTool(.filledRectangle)), char("e", .selectTool(.ellipse)),
                       char("E", .selectTool(.filledEllipse))],
              "brush, line, rect, filled rect, ellipse, filled ellipse"),
        Entry(.paint, [char("f", .selectTool(.fill4)), char("F", .selectTool(.fill8)), char("i", .selectTool(.eyedropper))],
              "fill 4-connected, fill 8-connected, eyedropper"),
        Entry(.paint, [char("[", .changeBrushSize(by: -1)), char("]", .changeBrushSize(by: 1))], "brush size -/+ (1-32)"),
        Entry(.paint, [char(",", .cycleClass(by: -1)), char(".", .cycleClass(by: 1)),
                       char("<", .cycleClass(by: -1), shown: false), char(">", .cycleClass(by: 1), shown: false)],
              "previous / next class"),
        Entry(.paint, [char("g", .replaceClassEverywhere)], "replace the class under the cursor everywhere"),
        Entry(.paint, [char("C", .clearLayout)], "clear: fill the whole layout with the class"),
        Entry(.paint, [char("u", .undo), char("U", .redo), bind(.control("z"), .undo, shown: false),
                       bind(.control("y"), .redo, shown: false), bind(.control("r"), .redo, shown: false)],
              "undo, redo (also ctrl-z, ctrl-y)"),
        Entry(.paint, [bind(.escape, .cancel)], "cancel a shape, close a popup"),

        Entry(.view, (1...9).map { char(Character("\($0)"), .showView(number: $0)) } + [char("v", .nextView)],
              label: ["1-7", "v"], "fused, global, local, global weight, local weight, class, layout|fused; next"),
        Entry(.view, [char("m", .switchModel)],
              "next loaded model (LGGAN -> styles -> ECGAN: 1-6 I'', I', edge, attention, class, layout|fused)"),
        Entry(.view, [char("t", .showClassTable)], "per-class table (share, mean local weight)"),
        Entry(.view, [char("n", .newSeed), char("p", .previousSeed)], "new random seed, previous seed (models with a noise input)"),
        Entry(.view, [char("P", .chooseStyleImage)], "style from a reference image (prompt; empty clears)"),
        Entry(.view, [char("+", .zoom(by: 1)), char("-", .zoom(by: -1)), char("0", .zoomToFit),
                      char("=", .zoom(by: 1), shown: false)],
              "zoom in, zoom out, fit"),
        Entry(.view, [char("H", .pan(dx: -1, dy: 0)), char("J", .pan(dx: 0, dy: 1)), char("K", .pan(dx: 0, dy: -1)),
                      char("L", .pan(dx: 1, dy: 0)),
                      bind(.shiftLeft, .pan(dx: -1, dy: 0), shown: false), bind(.shiftDown, .pan(dx: 0, dy: 1), shown: false),
                      bind(.shiftUp, .pan(dx: 0, dy: -1), shown: false), bind(.shiftRight, .pan(dx: 1, dy: 0), shown: false)],
              "pan left, down, up, right (also shift-arrows)"),
        Entry(.view, [bind(.control("l"), .redraw)], "redraw the screen"),

        Entry(.files, [char("s", .save), char("S", .saveAs), bind(.control("s"), .save, shown: false)],
              "save, save as (indexed PNG)"),
        Entry(.files, [char("o", .open), char("N", .newLayout)], "open a layout, new layout (size, palette)"),
        Entry(.files, [char("x", .exportView), char("X", .exportAllViews)], "export the view, export all views (PNG)"),
        Entry(.files, [char("q", .quit), bind(.control("q"), .quit, shown: false)], "quit (asks when there are unsaved changes)"),
        Entry(.files, [char("?", .showHelp)], "this help"),

        // The mouse is read by EditorApp+Keys' handleMouse; these lines only document it.
        Entry(.mouse, [], label: ["left"], "click and drag to paint with the tool; click a class to pick it"),
        Entry(.mouse, [], label: ["right"], "eyedropper"),
        Entry(.mouse, [], label: ["wheel"], "brush size"),
    ]

    private static let actions: [EditorKey: EditorAction] = {
        var table: [EditorKey: EditorAction] = [:]
        for entry in entries {
            for binding in entry.bindings { table[binding.key] = binding.action }
        }
        return table
    }()

    /// What `key` does in normal mode (nil: nothing).
    public static func action(for key: EditorKey) -> EditorAction? { actions[key] }

    /// The help as lines: a section title, then "  KEYS        text" lines (the popup pages these).
    public static var helpLines: [String] {
        var lines: [String] = []
        for group in Group.allCases {
            lines.append(group.rawValue)
            for entry in entries where entry.group == group {
                lines.append("  " + entry.keys.joined(separator: " ").padding(toLength: 12, withPad: " ", startingAt: 0) + entry.help)
            }
        }
        return lines
    }

    /// The README's key table (`scenepaint keys --markdown`): a test checks README.md holds exactly this.
    public static var markdownTable: String {
        var lines = ["| group | keys | action |", "| --- | --- | --- |"]
        for group in Group.allCases {
            for (index, entry) in entries.filter({ $0.group == group }).enumerated() {
                let keys = entry.keys.map { "`\($0)`" }.joined(separator: " ")
                let help = entry.help.replacingOccurrences(of: "|", with: "\\|")
                lines.append((index == 0 ? "| \(group.rawValue) |" : "| |") + " \(keys) | \(help) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
