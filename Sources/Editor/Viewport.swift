/// How the layout maps onto the canvas. The canvas is measured in "dots":
/// one terminal cell shows two dots stacked (an upper-half block), so a dot
/// is roughly square. The zoom is a scale from a fixed ladder: at scale
/// n/d one layout pixel spans n/d dots (below 1, a dot samples every
/// d/n-th pixel, nearest neighbour). `origin` is the layout pixel at the
/// top-left dot.
public struct Viewport: Equatable, Sendable {
    /// Dots per pixel as (numerator, denominator), smallest first.
    public static let scales: [(Int, Int)] = [
        (1, 8), (1, 6), (1, 5), (1, 4), (1, 3), (2, 5), (1, 2), (2, 3), (1, 1), (3, 2), (2, 1), (3, 1), (4, 1), (6, 1), (8, 1), (12, 1), (16, 1),
    ]
    public static let unitZoom = 8

    /// Index into `scales`.
    public private(set) var zoom: Int
    public var originX: Int
    public var originY: Int

    public init(zoom: Int = Viewport.unitZoom, originX: Int = 0, originY: Int = 0) {
        self.zoom = min(max(zoom, 0), Self.scales.count - 1)
        self.originX = originX
        self.originY = originY
    }

    /// The zoom index of a scale on the ladder (e.g. (2, 1) for 2x).
    public static func zoom(of scale: (Int, Int)) -> Int? {
        scales.firstIndex { $0 == scale }
    }

    private var num: Int { Self.scales[zoom].0 }
    private var den: Int { Self.scales[zoom].1 }

    /// "1x", "4x", "1/2x", "2/3x".
    public var zoomLabel: String { den == 1 ? "\(num)x" : "\(num)/\(den)x" }

    /// Layout pixel under a dot (may lie outside the layout).
    public func pixel(atDotX dx: Int, dotY dy: Int) -> PixelPoint {
        PixelPoint(originX + floorDiv(dx * den, num), originY + floorDiv(dy * den, num))
    }

    /// The first dot showing a layout pixel.
    public func dot(ofPixel p: PixelPoint) -> (x: Int, y: Int) {
        (ceilDiv((p.x - originX) * num, den), ceilDiv((p.y - originY) * num, den))
    }

    /// Layout pixels visible (at least partly) across `dots` dots.
    public func pixelsSpanned(byDots dots: Int) -> Int {
        ceilDiv(dots * den, num)
    }

    /// The largest zoom at which the whole layout fits the canvas, origin at 0.
    public static func fitting(layoutWidth: Int, layoutHeight: Int, dotsWide: Int, dotsHigh: Int) -> Viewport {
        var zoom = scales.count - 1
        while zoom > 0 {
            let (n, d) = scales[zoom]
            if layoutWidth * n <= dotsWide * d && layoutHeight * n <= dotsHigh * d { break }
            zoom -= 1
        }
        return Viewport(zoom: zoom)
    }

    /// Changes zoom keeping the layout pixel `anchor` under the same dot.
    public mutating func setZoom(_ newZoom: Int, keeping anchor: PixelPoint) {
        let d = dot(ofPixel: anchor)
        zoom = min(max(newZoom, 0), Self.scales.count - 1)
        originX = 0
        originY = 0
        let moved = pixel(atDotX: d.x, dotY: d.y)
        originX = anchor.x - moved.x
        originY = anchor.y - moved.y
    }

    /// Keeps the origin so the view never scrolls past the layout's edges
    /// (a layout smaller than the canvas sits at origin 0).
    public mutating func clamp(layoutWidth: Int, layoutHeight: Int, dotsWide: Int, dotsHigh: Int) {
        let visibleW = fullPixels(dotsWide), visibleH = fullPixels(dotsHigh)
        originX = max(0, min(originX, layoutWidth - visibleW))
        originY = max(0, min(originY, layoutHeight - visibleH))
    }

    /// Pans so `p` is visible, moving as little as possible.
    public mutating func reveal(_ p: PixelPoint, dotsWide: Int, dotsHigh: Int) {
        let visibleW = max(1, fullPixels(dotsWide)), visibleH = max(1, fullPixels(dotsHigh))
        if p.x < originX { originX = p.x } else if p.x >= originX + visibleW { originX = p.x - visibleW + 1 }
        if p.y < originY { originY = p.y } else if p.y >= originY + visibleH { originY = p.y - visibleH + 1 }
    }

    /// Whole pixels that fit across `dots` dots.
    private func fullPixels(_ dots: Int) -> Int { max(1, dots * den / num) }
}

@inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}

@inline(__always) func ceilDiv(_ a: Int, _ b: Int) -> Int {
    -floorDiv(-a, b)
}
