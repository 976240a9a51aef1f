/// How images reach the terminal: an image protocol (pixels) or text cells.
public enum GraphicsMode: String, CaseIterable, Sendable {
    /// The kitty graphics protocol (kitty, Ghostty, WezTerm, Konsole): raw pixels, ids replace in place.
    case kitty
    /// DEC sixel graphics (libsixel), at the terminal's pixel resolution.
    case sixel
    /// iTerm2 inline images (OSC 1337, a PNG): iTerm2, WezTerm, mintty.
    case iterm
    /// Text cells drawn by libchafa (half blocks, quadrants, sextants) at the detected colour depth.
    case symbols
    /// Upper-half-block characters with 24-bit colours: one cell shows two pixels.
    case truecolor
    /// Upper-half blocks with the xterm 256-colour palette.
    case ansi256 = "256"
    /// The 16 (or 8) basic colours: classes get a glyph where their colours collide.
    case ansi16 = "16"

    /// True for the modes that draw pixels rather than text cells.
    public var isImage: Bool {
        switch self {
        case .kitty, .sixel, .iterm: return true
        case .symbols, .truecolor, .ansi256, .ansi16: return false
        }
    }

    /// The colour depth text cells use in this mode (`detected` for image and symbol modes).
    public func colorDepth(detected: ColorDepth) -> ColorDepth {
        switch self {
        case .truecolor: return .truecolor
        case .ansi256: return .ansi256
        case .ansi16: return detected == .ansi8 ? .ansi8 : .ansi16
        case .kitty, .sixel, .iterm, .symbols: return detected
        }
    }

    /// The best mode the probed terminal supports, and why, in words (`doctor`).
    public static func choose(for caps: TerminalCapabilities) -> (mode: GraphicsMode, reason: String) {
        if caps.kitty { return (.kitty, "the terminal answered the kitty graphics query (a=q)") }
        if let program = caps.itermProgram { return (.iterm, "\(program) shows iTerm2 inline images") }
        if caps.sixel { return (.sixel, "DA1 lists attribute 4 (sixel)") }
        let noImages = "no image protocol: no kitty reply, DA1 without 4, not iTerm2/WezTerm/mintty"
        switch caps.colorDepth {
        case .truecolor: return (textCells, "\(noImages); 24-bit colour (\(caps.colorDepthSource))")
        case .ansi256: return (.ansi256, "\(noImages); 256 colours (\(caps.colorDepthSource))")
        case .ansi16, .ansi8: return (.ansi16, "\(noImages); \(caps.colorDepth.colorCount) colours (\(caps.colorDepthSource))")
        }
    }

    public static func best(for caps: TerminalCapabilities) -> GraphicsMode { choose(for: caps).mode }

    /// The text-cell renderer for truecolor terminals without images: libchafa's
    /// symbols measured closer to the source than half blocks (docs/benchmarks.md#text-cells).
    public static let textCells: GraphicsMode = .symbols
}
