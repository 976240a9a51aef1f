import CNCurses
import Foundation
import Support

/// Whether $TERM names a terminal the full-screen editor can draw on, asked
/// before ncurses' initscr, which on an unknown TERM prints its own message and
/// exits the process, and on a terminal that cannot move the cursor (dumb,
/// hardcopy) draws garbage.
public enum FullScreenTerminal {
    public struct Unusable: UserFacingError, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// Throws `Unusable` naming TERM and what to do when the editor cannot run on it.
    public static func check(term: String?) throws {
        let hint = "set TERM to your terminal's type (e.g. xterm-256color); other commands such as `scenepaint show` need no TERM"
        guard let term, !term.isEmpty else {
            throw Unusable(message: "TERM is not set, so the editor cannot tell how to draw on this terminal: \(hint)")
        }
        var error: Int32 = 0
        let devnull = open("/dev/null", O_WRONLY)
        defer { if devnull >= 0 { close(devnull) } }
        guard setupterm(term, devnull, &error) == OK else {
            throw Unusable(message: error == 1
                ? "TERM=\(term) is a hardcopy terminal; the editor needs one that can move the cursor: \(hint)"
                : "TERM=\(term): this system has no terminfo entry for that terminal type: \(hint)")
        }
        // tigetstr answers nil for an absent capability and -1 for a name that is not a string one.
        let cursorAddress = tigetstr("cup")
        let canMoveTheCursor = cursorAddress != nil && Int(bitPattern: cursorAddress) != -1
        // The probe's TERMINAL (on /dev/null, closed below) must not outlive it: initscr makes its
        // own, and a second one left as cur_term crashed the editor at exit (heap corruption).
        sp_release_probe_terminal()
        guard canMoveTheCursor else {
            throw Unusable(message: "TERM=\(term) cannot move the cursor, and the editor draws a full screen: \(hint)")
        }
    }
}
