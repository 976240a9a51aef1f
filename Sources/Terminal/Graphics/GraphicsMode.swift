/// How images reach the terminal.
public enum GraphicsMode: String, CaseIterable, Sendable {
    /// DEC sixel graphics (libsixel), at the terminal's pixel resolution.
    case sixel
    /// Upper-half-block characters with 24-bit colours: one cell shows two pixels.
    case truecolor
    /// Upper-half blocks with the xterm 256-colour palette.
    case ansi256 = "256"

    /// The best mode the probed terminal supports.
    public static func best(for capabilities: TerminalCapabilities) -> GraphicsMode {
        if capabilities.sixel { return .sixel }
        if capabilities.truecolor { return .truecolor }
        return .ansi256
    }
}
