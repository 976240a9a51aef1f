import Foundation

/// Asks the terminal on stdin/stdout what it supports. Sends CSI 16 t (cell
/// pixel size) first and DA1 (CSI c) last: every terminal answers DA1, so its
/// reply marks the end of the answers.
public enum TerminalProbe {
    /// Size in cells and pixels from TIOCGWINSZ.
    public static func windowSize(fd: Int32 = STDOUT_FILENO) -> (columns: Int, rows: Int, xPixels: Int, yPixels: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_col), Int(ws.ws_row), Int(ws.ws_xpixel), Int(ws.ws_ypixel))
    }

    /// Probes the terminal. Without a terminal on stdin and stdout, returns what
    /// the environment says (no sixel) without writing anything.
    public static func probe(timeout: Double = 0.5) -> TerminalCapabilities {
        var caps = TerminalCapabilities(truecolor: TerminalCapabilities.truecolorFromEnvironment())
        if let size = windowSize() {
            caps.columns = size.columns
            caps.rows = size.rows
            if size.xPixels > 0 && size.yPixels > 0 {
                caps.cellWidth = size.xPixels / size.columns
                caps.cellHeight = size.yPixels / size.rows
            }
        }
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return caps }
        let reply = query("\u{1B}[16t\u{1B}[c", until: { TerminalCapabilities.parseDA1($0).found }, timeout: timeout)
        caps.da1Reply = reply
        caps.sixel = TerminalCapabilities.parseDA1(reply).sixel
        if caps.cellWidth == nil, let cell = TerminalCapabilities.parseCellSize(reply) {
            caps.cellWidth = cell.width
            caps.cellHeight = cell.height
        }
        return caps
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
