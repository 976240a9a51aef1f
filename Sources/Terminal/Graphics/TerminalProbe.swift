import CNCurses
import Foundation

/// Asks the terminal on stdin/stdout what it supports. Sends the cell-size,
/// kitty, XTVERSION and colour queries first and DA1 (CSI c) last: every
/// terminal answers DA1, so its reply marks the end of the answers.
public enum TerminalProbe {
    /// Size in cells and pixels from TIOCGWINSZ.
    public static func windowSize(fd: Int32 = STDOUT_FILENO) -> (columns: Int, rows: Int, xPixels: Int, yPixels: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_col), Int(ws.ws_row), Int(ws.ws_xpixel), Int(ws.ws_ypixel))
    }

    /// The queries, in order. The colour probe sets a 24-bit background, asks
    /// for the SGR state (DECRQSS) and resets it; XTGETTCAP asks for RGB and Tc.
    static let queries = "\u{1B}[16t" + KittyGraphics.query + "\u{1B}[>0q"
        + "\u{1B}[48;2;1;2;3m\u{1B}P$qm\u{1B}\\\u{1B}[0m" + "\u{1B}P+q524742;5463\u{1B}\\" + "\u{1B}[c"

    /// Probes the terminal (the timeout only runs out on a terminal that never
    /// answers DA1; kitty with software GL can take a second to answer at start).
    /// Without a terminal on stdin and stdout, returns what
    /// the environment says (no images) without writing anything.
    public static func probe(timeout: Double = 2, environment env: [String: String] = ProcessInfo.processInfo.environment) -> TerminalCapabilities {
        var caps = TerminalCapabilities()
        caps.itermProgram = TerminalCapabilities.itermProgram(environment: env, version: nil)
        if let size = windowSize() {
            caps.columns = size.columns
            caps.rows = size.rows
            if size.xPixels > 0 && size.yPixels > 0 {
                caps.cellWidth = size.xPixels / size.columns
                caps.cellHeight = size.yPixels / size.rows
            }
        }
        var reply = ""
        if isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 {
            reply = query(queries, until: { TerminalCapabilities.parseDA1($0).found }, timeout: timeout)
            caps.da1Reply = reply
            caps.sixel = TerminalCapabilities.parseDA1(reply).sixel
            caps.kitty = KittyGraphics.answeredOK(reply)
            caps.version = TerminalCapabilities.parseVersion(reply)
            caps.itermProgram = TerminalCapabilities.itermProgram(environment: env, version: caps.version)
            if caps.cellWidth == nil, let cell = TerminalCapabilities.parseCellSize(reply) {
                caps.cellWidth = cell.width
                caps.cellHeight = cell.height
            }
        }
        (caps.colorDepth, caps.colorDepthSource) = colorDepth(reply: reply, environment: env)
        return caps
    }

    /// The terminal's own answers first, then COLORTERM, then terminfo.
    static func colorDepth(reply: String, environment env: [String: String]) -> (ColorDepth, String) {
        if TerminalCapabilities.echoesDirectColor(reply) { return (.truecolor, "the terminal kept a 24-bit SGR colour (DECRQSS)") }
        if TerminalCapabilities.advertisesRGB(reply) { return (.truecolor, "XTGETTCAP lists RGB/Tc") }
        if TerminalCapabilities.truecolorFromEnvironment(env) { return (.truecolor, "COLORTERM=\(env["COLORTERM"] ?? "")") }
        let term = env["TERM"] ?? ""
        let colors = terminfoColors(term: term)
        if let colors { return (ColorDepth(terminfoColors: colors), "terminfo for TERM=\(term): \(colors) colours") }
        return (term.contains("256") ? .ansi256 : .ansi8, "TERM=\(term), no terminfo entry")
    }

    /// The `colors` capability of a terminfo entry, without touching the terminal.
    static func terminfoColors(term: String) -> Int? {
        guard !term.isEmpty else { return nil }
        var error: Int32 = 0
        let devnull = open("/dev/null", O_WRONLY)
        defer { if devnull >= 0 { close(devnull) } }
        guard setupterm(term, devnull, &error) == OK else { return nil }
        let n = tigetnum("colors")
        return n > 0 ? Int(n) : nil
    }

    /// Writes `request` with the terminal in raw mode and collects the reply
    /// until `done` says it is complete or the timeout passes.
    static func query(_ request: String, until done: (String) -> Bool, timeout: Double) -> String {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return "" }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &original) }

        _ = request.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
        var collected = [UInt8]()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 256)
        while Date() < deadline {
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&fds, 1, remaining) > 0 else { break }
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n <= 0 { break }
            collected.append(contentsOf: buffer[0..<n])
            if done(String(decoding: collected, as: UTF8.self)) { break }
        }
        return String(decoding: collected, as: UTF8.self)
    }
}
