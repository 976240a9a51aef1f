import Foundation

// Signal handlers are plain C functions and cannot capture context, so the
// little they need lives here, set once before the handlers are installed:
// the bytes that put the terminal back, the termios to restore and the write
// end of the self-pipe. Nothing here is touched after setup except by the
// handlers themselves (which only read).
private var guardRestoreBytes: UnsafeMutablePointer<UInt8>?
private var guardRestoreCount = 0
private var guardTermios = termios()
private var guardHasTermios = false
private var guardPipeWrite: Int32 = -1

private func guardRestoreTerminal() {
    if let bytes = guardRestoreBytes { _ = write(STDOUT_FILENO, bytes, guardRestoreCount) }
    if guardHasTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, &guardTermios) }
}

/// Crash: put the terminal back, then die of the same signal (core dumps and
/// exit statuses stay what they would have been).
private func guardCrashHandler(_ signal: Int32) {
    guardRestoreTerminal()
    Foundation.signal(signal, SIG_DFL)
    raise(signal)
}

/// Termination request: let the main loop save the recovery file and exit.
private func guardTerminationHandler(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    if guardPipeWrite >= 0 { _ = write(guardPipeWrite, &byte, 1) }
}

/// Makes sure the terminal is usable again however the editor ends: normal
/// quit, SIGINT/SIGTERM/SIGHUP (handled by the main loop through a pipe,
/// after autosaving), or a crash signal (restored in the handler, then
/// re-raised).
enum EditorTerminalGuard {
    /// Leaves the alternate screen, shows the cursor, turns mouse reporting
    /// and attributes off.
    static let restoreSequence = "\u{1B}[0m\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\u{1B}[?25h\u{1B}[?1049l\r\n"
    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// Call before ncurses starts (so the saved termios is the user's).
    /// Returns the read end of the pipe on which termination signals arrive.
    static func install() -> Int32 {
        let bytes = Array(restoreSequence.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        guardRestoreBytes = buffer
        guardRestoreCount = bytes.count
        guardHasTermios = tcgetattr(STDIN_FILENO, &guardTermios) == 0
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
            guardPipeWrite = fds[1]
        }
        for s in terminationSignals { signal(s, guardTerminationHandler) }
        for s in crashSignals { signal(s, guardCrashHandler) }
        return fds[0]
    }

    /// The pending termination signal, if one arrived.
    static func pendingSignal(_ readFD: Int32) -> Int32? {
        var byte: UInt8 = 0
        var last: Int32?
        while read(readFD, &byte, 1) == 1 { last = Int32(byte) }
        return last
    }

    /// Back to the shell's defaults (after endwin on a normal exit).
    static func uninstall() {
        for s in terminationSignals + crashSignals { signal(s, SIG_DFL) }
    }
}
