import Layouts

/// How many colours a terminal shows, and how an RGB colour is written (SGR)
/// and what it looks like there.
public enum ColorDepth: String, Sendable, CaseIterable {
    case truecolor, ansi256 = "256", ansi16 = "16", ansi8 = "8"

    public var colorCount: Int {
        switch self {
        case .truecolor: return 1 << 24
        case .ansi256: return 256
        case .ansi16: return 16
        case .ansi8: return 8
        }
    }

    /// From a terminfo colour count (`tput colors`).
    public init(terminfoColors: Int) {
        self = terminfoColors >= 1 << 24 ? .truecolor : terminfoColors >= 256 ? .ansi256 : terminfoColors >= 16 ? .ansi16 : .ansi8
    }

    /// The SGR sequence that sets `color` as foreground or background.
    public func sgr(_ color: RGBColor, foreground: Bool) -> String {
        switch self {
        case .truecolor:
            return "\u{1B}[\(foreground ? 38 : 48);2;\(color.r);\(color.g);\(color.b)m"
        case .ansi256:
            return "\u{1B}[\(foreground ? 38 : 48);5;\(Self.xterm256Index(color))m"
        case .ansi16, .ansi8:
            return Self.basicSGR(index: basicIndex(color), foreground: foreground)
        }
    }

    /// What the terminal shows for `color` (the nearest colour it has).
    public func shown(_ color: RGBColor) -> RGBColor {
        switch self {
        case .truecolor: return color
        case .ansi256: return Self.xterm256Color(Self.xterm256Index(color))
        case .ansi16, .ansi8: return Self.basicColors[basicIndex(color)]
        }
    }

    /// SGR for one of the 16 basic colours (30-37 / 90-97, 40-47 / 100-107).
    public static func basicSGR(index: Int, foreground: Bool) -> String {
        let base = index < 8 ? (foreground ? 30 : 40) : (foreground ? 90 : 100)
        return "\u{1B}[\(base + index % 8)m"
    }

    /// The basic colour (of the 8 or 16 this depth has) that names `c` best:
    /// greys by lightness, other colours by hue sector (red, yellow, green,
    /// cyan, blue, magenta), the bright variant for light ones. Nearest by
    /// RGB distance would turn most muted colours (grass, trees, rock) grey.
    public func basicIndex(_ c: RGBColor) -> Int {
        let bright = self != .ansi8
        let r = Int(c.r), g = Int(c.g), b = Int(c.b)
        let high = max(r, g, b), low = min(r, g, b), chroma = high - low
        if chroma < 40 || chroma * 5 < high {
            if !bright { return high < 128 ? 0 : 7 }
            return high < 64 ? 0 : high < 160 ? 8 : high < 235 ? 7 : 15
        }
        var hue: Double  // in sixths of a turn
        if high == r { hue = Double(g - b) / Double(chroma) } else if high == g { hue = 2 + Double(b - r) / Double(chroma) } else { hue = 4 + Double(r - g) / Double(chroma) }
        if hue < 0 { hue += 6 }
        // Sectors centred on red 0, yellow 1, green 2, cyan 3, blue 4, magenta 5.
        let sector = Int((hue + 0.5).rounded(.down)) % 6
        let index = [1, 3, 2, 6, 4, 5][sector]
        return bright && high > 240 ? index + 8 : index
    }

    /// xterm's default 16 colours.
    public static let basicColors: [RGBColor] = [
        RGBColor(0, 0, 0), RGBColor(205, 0, 0), RGBColor(0, 205, 0), RGBColor(205, 205, 0),
        RGBColor(0, 0, 238), RGBColor(205, 0, 205), RGBColor(0, 205, 205), RGBColor(229, 229, 229),
        RGBColor(127, 127, 127), RGBColor(255, 0, 0), RGBColor(0, 255, 0), RGBColor(255, 255, 0),
        RGBColor(92, 92, 255), RGBColor(255, 0, 255), RGBColor(0, 255, 255), RGBColor(255, 255, 255),
    ]

    /// Nearest xterm-256 colour: the 6x6x6 cube (16-231) or the grey ramp (232-255).
    public static func xterm256Index(_ c: RGBColor) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<6 where abs(levels[i] - Int(v)) < abs(levels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(c.r), nearestLevel(c.g), nearestLevel(c.b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let cubeDistance = sq(cube.0 - Int(c.r)) + sq(cube.1 - Int(c.g)) + sq(cube.2 - Int(c.b))
        let mean = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyIndex = max(0, min(23, (mean - 8 + 5) / 10))
        let grey = 8 + 10 * greyIndex
        let greyDistance = sq(grey - Int(c.r)) + sq(grey - Int(c.g)) + sq(grey - Int(c.b))
        return greyDistance < cubeDistance ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
    }

    /// The RGB colour of an xterm-256 index (0-15 are the basic colours).
    public static func xterm256Color(_ index: Int) -> RGBColor {
        if index < 16 { return basicColors[max(0, index)] }
        if index >= 232 {
            let v = UInt8(8 + 10 * (index - 232))
            return RGBColor(v, v, v)
        }
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        let i = index - 16
        return RGBColor(levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }

    private static func sq(_ v: Int) -> Int { v * v }
}
