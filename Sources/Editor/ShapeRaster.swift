/// Rectangles and ellipses spanned by two corner pixels (in any order), as
/// pixel lists. Outlines are one pixel thick; the editor stamps the brush on
/// each outline pixel.
public enum ShapeRaster {
    /// The inclusive box spanned by two corners.
    public static func box(_ a: PixelPoint, _ b: PixelPoint) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        (min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))
    }

    public static func filledRectangle(_ a: PixelPoint, _ b: PixelPoint) -> [PixelPoint] {
        let r = box(a, b)
        var result: [PixelPoint] = []
        for y in r.y0...r.y1 { for x in r.x0...r.x1 { result.append(PixelPoint(x, y)) } }
        return result
    }

    /// The border pixels of the box, each once, row by row.
    public static func rectangleOutline(_ a: PixelPoint, _ b: PixelPoint) -> [PixelPoint] {
        let r = box(a, b)
        var result: [PixelPoint] = []
        for y in r.y0...r.y1 {
            if y == r.y0 || y == r.y1 {
                for x in r.x0...r.x1 { result.append(PixelPoint(x, y)) }
            } else {
                result.append(PixelPoint(r.x0, y))
                if r.x1 != r.x0 { result.append(PixelPoint(r.x1, y)) }
            }
        }
        return result
    }

    /// Pixels whose centres lie inside the ellipse inscribed in the box: with
    /// box width w and height h (in pixels), centre c and semi-axes w/2, h/2,
    /// a pixel is in when ((x+0.5-cx)/(w/2))^2 + ((y+0.5-cy)/(h/2))^2 <= 1.
    public static func filledEllipse(_ a: PixelPoint, _ b: PixelPoint) -> [PixelPoint] {
        let r = box(a, b)
        var result: [PixelPoint] = []
        for y in r.y0...r.y1 {
            for x in r.x0...r.x1 where insideEllipse(x, y, r) { result.append(PixelPoint(x, y)) }
        }
        return result
    }

    /// Pixels of the filled ellipse that have a 4-neighbour outside it.
    public static func ellipseOutline(_ a: PixelPoint, _ b: PixelPoint) -> [PixelPoint] {
        let r = box(a, b)
        return filledEllipse(a, b).filter { p in
            !insideEllipse(p.x - 1, p.y, r) || !insideEllipse(p.x + 1, p.y, r)
                || !insideEllipse(p.x, p.y - 1, r) || !insideEllipse(p.x, p.y + 1, r)
        }
    }

    private static func insideEllipse(_ x: Int, _ y: Int, _ r: (x0: Int, y0: Int, x1: Int, y1: Int)) -> Bool {
        guard x >= r.x0, x <= r.x1, y >= r.y0, y <= r.y1 else { return false }
        // In doubled units (integers): 2*(x+0.5) - (x0+x1+1) over the full width.
        let w = r.x1 - r.x0 + 1, h = r.y1 - r.y0 + 1
        let u = 2 * x + 1 - (r.x0 + r.x1 + 1)
        let v = 2 * y + 1 - (r.y0 + r.y1 + 1)
        // (u/w)^2 + (v/h)^2 <= 1  <=>  u^2 h^2 + v^2 w^2 <= w^2 h^2
        return u * u * h * h + v * v * w * w <= w * w * h * h
    }
}
