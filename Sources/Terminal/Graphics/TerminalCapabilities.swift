import Foundation

/// What a terminal can show, found by asking it (kitty query, XTVERSION,
/// DECRQSS, XTGETTCAP, CSI 16 t, DA1) and reading the environment. Probing
/// needs a terminal on both stdin and stdout.
public struct TerminalCapabilities: Sendable, Equatable {
    /// DA1 reply listed attribute 4 (sixel graphics).
    public var sixel: Bool
    /// The terminal answered the kitty graphics query with OK.
    public var kitty: Bool
    /// The terminal's name when it is one that shows iTerm2 inline images.
    public var itermProgram: String?
    /// Colours for text cells, and what said so (`doctor`).
    public var colorDepth: ColorDepth
    public var colorDepthSource: String
    /// Size in cells.
    public var columns: Int
    public var rows: Int
    /// Size of one cell in pixels (from TIOCGWINSZ or CSI 16 t); nil when unknown.
    public var cellWidth: Int?
    public var cellHeight: Int?
    /// The raw replies, for `doctor`.
    public var da1Reply: String?
    public var version: String?

    public init(sixel: Bool = false, truecolor: Bool = false, kitty: Bool = false, itermProgram: String? = nil,
                columns: Int = 80, rows: Int = 24, cellWidth: Int? = nil, cellHeight: Int? = nil, da1Reply: String? = nil) {
        self.sixel = sixel
        self.kitty = kitty
        self.itermProgram = itermProgram
        self.colorDepth = truecolor ? .truecolor : .ansi256
        self.colorDepthSource = truecolor ? "given" : "assumed"
        self.columns = columns
        self.rows = rows
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.da1Reply = da1Reply
    }

    public var truecolor: Bool { colorDepth == .truecolor }

    /// Whether COLORTERM announces 24-bit colour.
    public static func truecolorFromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let value = (env["COLORTERM"] ?? "").lowercased()
        return value == "truecolor" || value == "24bit"
    }

    /// Terminals known to show iTerm2 inline images, by TERM_PROGRAM or XTVERSION.
    public static func itermProgram(environment env: [String: String], version: String?) -> String? {
        let names = ["iTerm2": "iTerm2", "iTerm.app": "iTerm2", "WezTerm": "WezTerm", "mintty": "mintty"]
        for (key, name) in names {
            if env["TERM_PROGRAM"] == key || version?.contains(key) == true { return name }
        }
        return nil
    }

    /// Parses a DA1 reply such as "\u{1B}[?63;1;2;4;6c": attribute 4 means sixel.
    public static func parseDA1(_ reply: String) -> (found: Bool, sixel: Bool) {
        guard let start = reply.range(of: "\u{1B}[?") else { return (false, false) }
        let rest = reply[start.upperBound...]
        guard let end = rest.firstIndex(of: "c") else { return (false, false) }
        let params = rest[..<end].split(separator: ";").compactMap { Int($0) }
        // The first parameter is the terminal class; attributes follow.
        return (true, params.dropFirst().contains(4))
    }

    /// Parses a "CSI 6 ; height ; width t" reply to CSI 16 t (cell size in pixels).
    public static func parseCellSize(_ reply: String) -> (width: Int, height: Int)? {
        guard let start = reply.range(of: "\u{1B}[6;") else { return nil }
        let rest = reply[start.upperBound...]
        guard let end = rest.firstIndex(of: "t") else { return nil }
        let parts = rest[..<end].split(separator: ";").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
        return (parts[1], parts[0])
    }

    /// The XTVERSION reply "DCS > | name ESC \" (e.g. "XTerm(379)", "kitty(0.26.5)").
    public static func parseVersion(_ reply: String) -> String? {
        guard let start = reply.range(of: "\u{1B}P>|"), let end = reply[start.upperBound...].range(of: "\u{1B}\\") else { return nil }
        return String(reply[start.upperBound..<end.lowerBound])
    }

    /// True when the DECRQSS reply to "what is the SGR now?" still holds the
    /// 24-bit colour 1,2,3 set just before (xterm answers this even with TERM=xterm).
    public static func echoesDirectColor(_ reply: String) -> Bool {
        guard let start = reply.range(of: "\u{1B}P1$r"), let end = reply[start.upperBound...].range(of: "\u{1B}\\") else { return false }
        let sgr = reply[start.upperBound..<end.lowerBound]
        return sgr.contains("48:2::1:2:3") || sgr.contains("48:2:1:2:3") || sgr.contains("48;2;1;2;3")
    }

    /// True when an XTGETTCAP reply says the terminal has the RGB or Tc capability.
    public static func advertisesRGB(_ reply: String) -> Bool {
        reply.contains("\u{1B}P1+r524742") || reply.contains("\u{1B}P1+r5463")
    }
}
