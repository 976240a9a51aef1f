/// Bresenham's line: every pixel from `start` to `end` inclusive, each step
/// moving one pixel along the major axis, 8-connected without gaps.
public enum LineRaster {
    public static func pixels(from start: PixelPoint, to end: PixelPoint) -> [PixelPoint] {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        var result: [PixelPoint] = []
        result.reserveCapacity(max(dx, -dy) + 1)
        while true {
            result.append(PixelPoint(x, y))
            if x == end.x && y == end.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
        return result
    }
}
