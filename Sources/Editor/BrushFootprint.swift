/// The pixels a round brush of a given size covers, as offsets from the pixel
/// under the cursor.
///
/// Exact rule: the brush is a disc of diameter `size` pixels. For an odd size
/// its centre is the centre of the cursor pixel; for an even size it is the
/// top-left corner of the cursor pixel (so a 2-brush covers the cursor pixel
/// and its left, upper and upper-left neighbours). A pixel is covered when its
/// centre lies within the disc (distance <= size/2). Sizes 1, 2 and 3 are thus
/// full squares (1, 4, 9 pixels); 4 is a 4x4 square without its corners.
public struct BrushFootprint: Equatable, Sendable {
    public static let sizes = 1...32

    public let size: Int
    /// Offsets (dx, dy), row by row from the top.
    public let offsets: [PixelPoint]

    public init(size requested: Int) {
        let size = min(max(requested, Self.sizes.lowerBound), Self.sizes.upperBound)
        self.size = size
        let low = -(size / 2)
        let high = low + size - 1
        // Doubled coordinates keep the test exact in integers: a pixel centre
        // at offset d sits at 2d+1 (odd size: 2d) half-pixels from the centre.
        let even = size % 2 == 0
        let limit = size * size  // (2 * size/2)^2 in half-pixel units
        var result: [PixelPoint] = []
        for dy in low...high {
            for dx in low...high {
                let hx = even ? 2 * dx + 1 : 2 * dx
                let hy = even ? 2 * dy + 1 : 2 * dy
                if hx * hx + hy * hy <= limit { result.append(PixelPoint(dx, dy)) }
            }
        }
        self.offsets = result
    }
}
