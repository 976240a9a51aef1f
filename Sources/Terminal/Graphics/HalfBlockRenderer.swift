import Layouts

/// Draws an image with the upper-half-block character: the foreground colour
/// paints the top pixel of a cell, the background the bottom one, so a cell
/// shows two vertically stacked pixels. Used where sixel is not available.
public struct HalfBlockRenderer: Sendable {
    public enum Palette: Sendable { case truecolor, ansi256 }
    public let palette: Palette

    public init(palette: Palette) { self.palette = palette }

    /// Escape sequences for the image, one text line per two pixel rows,
    /// each line ending with an SGR reset (no newline after the last one
    /// unless `trailingNewline`). The image height is padded to even with black.
    public func lines(_ image: RGBImage) -> [String] {
        var result: [String] = []
        result.reserveCapacity((image.height + 1) / 2)
        var y = 0
        while y < image.height {
            var line = ""
            line.reserveCapacity(image.width * 24)
            var lastFG = "", lastBG = ""
            for x in 0..<image.width {
                let top = image[x, y]
                let bottom = y + 1 < image.height ? image[x, y + 1] : RGBColor(0, 0, 0)
                let fg = code(top, foreground: true)
                let bg = code(bottom, foreground: false)
                if fg != lastFG { line += fg; lastFG = fg }
                if bg != lastBG { line += bg; lastBG = bg }
                line += "\u{2580}"
            }
            line += "\u{1B}[0m"
            result.append(line)
            y += 2
        }
        return result
    }

    private func code(_ c: RGBColor, foreground: Bool) -> String {
        switch palette {
        case .truecolor:
            return "\u{1B}[\(foreground ? 38 : 48);2;\(c.r);\(c.g);\(c.b)m"
        case .ansi256:
            return "\u{1B}[\(foreground ? 38 : 48);5;\(Self.xterm256Index(c))m"
        }
    }

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

    /// The RGB colour of an xterm-256 index (16-255).
    public static func xterm256Color(_ index: Int) -> RGBColor {
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
