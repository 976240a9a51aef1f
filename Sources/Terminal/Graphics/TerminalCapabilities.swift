import Foundation

/// What a terminal can show, found by asking it (DA1, XTWINOPS) and reading the
/// environment. Probing needs a terminal on both stdin and stdout.
public struct TerminalCapabilities: Sendable, Equatable {
    /// DA1 reply listed attribute 4 (sixel graphics).
    public var sixel: Bool
    /// COLORTERM says truecolor/24bit.
    public var truecolor: Bool
    /// Size in cells.
    public var columns: Int
    public var rows: Int
    /// Size of one cell in pixels (from TIOCGWINSZ or CSI 16 t); nil when unknown.
    public var cellWidth: Int?
    public var cellHeight: Int?
    /// The raw DA1 reply, for `doctor`.
    public var da1Reply: String?

    public init(sixel: Bool = false, truecolor: Bool = false, columns: Int = 80, rows: Int = 24,
                cellWidth: Int? = nil, cellHeight: Int? = nil, da1Reply: String? = nil) {
        self.sixel = sixel
        self.truecolor = truecolor
        self.columns = columns
        self.rows = rows
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.da1Reply = da1Reply
    }

    /// Whether COLORTERM announces 24-bit colour.
    public static func truecolorFromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let value = (env["COLORTERM"] ?? "").lowercased()
        return value == "truecolor" || value == "24bit"
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
}
