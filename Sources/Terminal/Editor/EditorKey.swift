import CNCurses

/// One key (or terminal event) as the editor sees it, decoded once from
/// ncurses' codes so that nothing else compares raw control codes.
public enum EditorKey: Hashable, Sendable {
    /// A printable ASCII character as typed (`b` and `B` differ).
    case character(Character)
    /// Ctrl with a letter (lower case: `.control("z")` is ctrl-z).
    case control(Character)
    case space, enter, escape
    case left, right, up, down
    case shiftLeft, shiftRight, shiftUp, shiftDown
    /// The terminal changed size.
    case resize
    /// A mouse event is waiting (read it with getmouse).
    case mouse

    /// The name shown in the help and the README.
    public var name: String {
        switch self {
        case .character(let c): return String(c)
        case .control(let c): return "ctrl-\(c)"
        case .space: return "space"
        case .enter: return "enter"
        case .escape: return "esc"
        case .left: return "left"
        case .right: return "right"
        case .up: return "up"
        case .down: return "down"
        case .shiftLeft: return "shift-left"
        case .shiftRight: return "shift-right"
        case .shiftUp: return "shift-up"
        case .shiftDown: return "shift-down"
        case .resize: return "resize"
        case .mouse: return "mouse"
        }
    }

    /// Decodes a `wgetch` result; nil for codes the editor has no use for.
    public init?(cursesCode code: Int32) {
        switch code {
        case 10, 13, KEY_ENTER: self = .enter  // ctrl-j and ctrl-m are enter too
        case 27: self = .escape
        case 32: self = .space
        case 1...26: self = .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        case 33...126: self = .character(Character(Unicode.Scalar(UInt8(code))))
        case KEY_LEFT: self = .left
        case KEY_RIGHT: self = .right
        case KEY_UP: self = .up
        case KEY_DOWN: self = .down
        case KEY_SLEFT: self = .shiftLeft
        case KEY_SRIGHT: self = .shiftRight
        case KEY_SR: self = .shiftUp  // "scroll reverse": what shift-up sends
        case KEY_SF: self = .shiftDown  // "scroll forward": shift-down
        case KEY_RESIZE: self = .resize
        case KEY_MOUSE: self = .mouse
        default: return nil
        }
    }
}
