import CNCurses
import Foundation
import Layouts

/// The few ncurses calls the editor uses, with the macros Swift cannot import
/// spelled out. Colours are xterm-256 indices (or the 8 basic colours on a
/// terminal without 256); colour pairs come from ncurses' `alloc_pair` cache.
struct EditorCurses {
    // attr_t bits (NCURSES_BITS(1, 10) and friends).
    static let attrReverse: attr_t = 0x40000
    static let attrBold: attr_t = 0x200000

    // mmask_t bits for NCURSES_MOUSE_VERSION 2.
    static let button1Pressed: mmask_t = 0x2
    static let button1Released: mmask_t = 0x1
    static let button1Clicked: mmask_t = 0x4
    static let button3Pressed: mmask_t = 0x800
    static let button3Clicked: mmask_t = 0x1000
    static let button4Pressed: mmask_t = 0x10000
    static let button5Pressed: mmask_t = 0x200000
    static let reportPosition: mmask_t = 0x10000000
    static let allEvents: mmask_t = 0xfffffff

    let colorCount: Int

    /// The user's locale, with UTF-8 characters even where LANG is unset or "C"
    /// (a bare ssh or CI shell): ncursesw then draws the box lines, half blocks
    /// and brush marks instead of mangled bytes. Every terminal this editor
    /// supports decodes UTF-8 whatever the locale says.
    static func useUTF8Characters() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        guard codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" else { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil { return }
    }

    /// Takes over the terminal: raw keys, no echo, keypad and mouse, no
    /// scrolling, hidden cursor, colours.
    static func start() -> EditorCurses {
        useUTF8Characters()
        initscr()
        raw()
        noecho()
        nonl()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        scrollok(stdscr, false)
        idlok(stdscr, false)
        leaveok(stdscr, true)
        set_escdelay(25)
        curs_set(0)
        mouseinterval(0)
        mousemask(allEvents | reportPosition, nil)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        return EditorCurses(colorCount: has_colors() ? Int(COLORS) : 0)
    }

    static func stop() {
        mousemask(0, nil)
        endwin()
    }

    var size: (columns: Int, rows: Int) { (Int(getmaxx(stdscr)), Int(getmaxy(stdscr))) }

    /// The terminal colour index nearest to an RGB colour.
    func colorIndex(_ c: RGBColor) -> Int32 {
        if colorCount >= 256 { return Int32(ColorDepth.xterm256Index(c)) }
        if colorCount >= 8 {
            let r = c.r > 127 ? 1 : 0, g = c.g > 127 ? 1 : 0, b = c.b > 127 ? 1 : 0
            return Int32(r | g << 1 | b << 2)
        }
        return -1
    }

    /// A colour pair for foreground/background indices (-1 = terminal default).
    func pair(_ fg: Int32, _ bg: Int32) -> Int32 {
        guard colorCount > 0 else { return 0 }
        let p = alloc_pair(fg, bg)
        return p < 0 ? 0 : p
    }

    /// One cell with a character, pair and attributes.
    func put(_ scalar: Unicode.Scalar, row: Int, column: Int, pair: Int32, attributes: attr_t = 0) {
        var cell = cchar_t()
        var text: [wchar_t] = [wchar_t(scalar.value), 0]
        var extendedPair = pair
        setcchar(&cell, &text, attributes, Int16(truncatingIfNeeded: min(pair, 32767)), &extendedPair)
        mvwadd_wch(stdscr, Int32(row), Int32(column), &cell)
    }

    /// Text at a position, clipped to `width` columns (padded with spaces when `pad`).
    func text(_ string: String, row: Int, column: Int, width: Int, pair: Int32 = 0, attributes: attr_t = 0, pad: Bool = true) {
        guard width > 0 else { return }
        var shown = String(string.prefix(width))
        if pad && shown.count < width { shown += String(repeating: " ", count: width - shown.count) }
        var extendedPair = pair
        wattr_set(stdscr, attributes, Int16(truncatingIfNeeded: min(pair, 32767)), &extendedPair)
        mvwaddstr(stdscr, Int32(row), Int32(column), shown)
        wattr_set(stdscr, 0, 0, nil)
    }
}
