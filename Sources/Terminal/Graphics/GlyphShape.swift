/// Which part of a cell a block-drawing character inks: space, full block,
/// half blocks, eighth blocks, quadrants (U+2596-259F) and sextants
/// (U+1FB00-1FB3B). Used to decode text-cell renderings back to pixels.
public struct GlyphShape: Sendable {
    /// Inks the point (x, y) of the cell, both in 0..<1, y downwards.
    public let covers: @Sendable (Double, Double) -> Bool

    public init?(_ c: Unicode.Scalar) {
        let v = c.value
        switch v {
        case 0x20: covers = { _, _ in false }
        case 0x2588: covers = { _, _ in true }
        case 0x2580: covers = { _, y in y < 0.5 }
        case 0x2594: covers = { _, y in y < 1.0 / 8 }
        case 0x2581...0x2587:  // lower 1/8 ... 7/8
            let f = Double(v - 0x2580) / 8
            covers = { _, y in y >= 1 - f }
        case 0x2589...0x258F:  // left 7/8 ... 1/8
            let f = Double(0x2590 - v) / 8
            covers = { x, _ in x < f }
        case 0x2590: covers = { x, _ in x >= 0.5 }
        case 0x2595: covers = { x, _ in x >= 7.0 / 8 }
        case 0x2596...0x259F:
            // Quadrant bits: 1 upper left, 2 upper right, 4 lower left, 8 lower right.
            let table: [Int] = [4, 8, 1, 1 | 4 | 8, 1 | 8, 1 | 2 | 4, 1 | 2 | 8, 2, 2 | 4, 2 | 4 | 8]
            let bits = table[Int(v - 0x2596)]
            covers = { x, y in bits & (1 << ((y < 0.5 ? 0 : 2) + (x < 0.5 ? 0 : 1))) != 0 }
        case 0x1FB00...0x1FB3B:
            // Sextants: pattern bits 1,2 top row, 4,8 middle, 16,32 bottom; the
            // patterns that are half blocks (21, 42) and full/empty are skipped.
            var p = Int(v - 0x1FB00) + 1
            if p >= 21 { p += 1 }
            if p >= 42 { p += 1 }
            let bits = p
            covers = { x, y in bits & (1 << (2 * min(2, Int(y * 3)) + (x < 0.5 ? 0 : 1))) != 0 }
        default: return nil
        }
    }
}
