/// How the layout maps onto the canvas. The canvas is measured in "dots":
/// one terminal cell shows two dots stacked (an upper-half block), so a dot
/// is roughly square. At zoom level z one layout pixel spans 2^z dots
/// (z < 0: one dot samples every 2^-z-th pixel). `origin` is the layout pixel
/// shown at the top-left dot.
public struct Viewport: Equatable, Sendable {
    public static let zoomLevels = -3...4

    public private(set) var zoom: Int
    public var originX: Int
    public var originY: Int

    public init(zoom: Int = 0, originX: Int = 0, originY: Int = 0) {
        self.zoom = min(max(zoom, Self.zoomLevels.lowerBound), Self.zoomLevels.upperBound)
        self.originX = originX
        self.originY = originY
    }

    /// "1x", "4x", "1/2x".
    public var zoomLabel: String { zoom >= 0 ? "\(1 << zoom)x" : "1/\(1 << -zoom)x" }

    /// Layout pixel under a dot (may lie outside the layout).
    public func pixel(atDotX dx: Int, dotY dy: Int) -> PixelPoint {
        if zoom >= 0 {
            return PixelPoint(originX + floorDiv(dx, 1 << zoom), originY + floorDiv(dy, 1 << zoom))
        }
        return PixelPoint(originX + (dx << -zoom), originY + (dy << -zoom))
    }

    /// The dot where a layout pixel's top-left corner lands.
    public func dot(ofPixel p: PixelPoint) -> (x: Int, y: Int) {
        if zoom >= 0 { return ((p.x - originX) << zoom, (p.y - originY) << zoom) }
        return (floorDiv(p.x - originX, 1 << -zoom), floorDiv(p.y - originY, 1 << -zoom))
    }

    /// Layout pixels visible across `dots` dots.
    public func pixelsSpanned(byDots dots: Int) -> Int {
        zoom >= 0 ? (dots + (1 << zoom) - 1) >> zoom : dots << -zoom
    }

    /// The largest zoom at which a layout fits the canvas, origin at 0.
    public static func fitting(layoutWidth: Int, layoutHeight: Int, dotsWide: Int, dotsHigh: Int) -> Viewport {
        var zoom = zoomLevels.upperBound
        while zoom > zoomLevels.lowerBound {
            let v = Viewport(zoom: zoom)
            if v.pixelsSpanned(byDots: dotsWide) >= layoutWidth && v.pixelsSpanned(byDots: dotsHigh) >= layoutHeight
                && (zoom <= 0 || (layoutWidth << zoom <= dotsWide && layoutHeight << zoom <= dotsHigh)) {
                break
            }
            zoom -= 1
        }
        return Viewport(zoom: zoom)
    }

    /// Changes zoom keeping the layout pixel `anchor` under the same dot.
    public mutating func setZoom(_ newZoom: Int, keeping anchor: PixelPoint) {
        let clamped = min(max(newZoom, Self.zoomLevels.lowerBound), Self.zoomLevels.upperBound)
        let d = dot(ofPixel: anchor)
        zoom = clamped
        let moved = pixel(atDotX: d.x, dotY: d.y)
        originX += anchor.x - moved.x
        originY += anchor.y - moved.y
    }

    /// Keeps the origin so the view never scrolls past the layout's edges
    /// (a layout smaller than the canvas sits at origin 0).
    public mutating func clamp(layoutWidth: Int, layoutHeight: Int, dotsWide: Int, dotsHigh: Int) {
        let visibleW = pixelsSpanned(byDots: dotsWide), visibleH = pixelsSpanned(byDots: dotsHigh)
        originX = max(0, min(originX, layoutWidth - visibleW))
        originY = max(0, min(originY, layoutHeight - visibleH))
    }

    /// Pans so `p` is visible, moving as little as possible.
    public mutating func reveal(_ p: PixelPoint, dotsWide: Int, dotsHigh: Int) {
        let visibleW = max(1, pixelsSpanned(byDots: dotsWide) - (zoom >= 0 ? 1 : 0))
        let visibleH = max(1, pixelsSpanned(byDots: dotsHigh) - (zoom >= 0 ? 1 : 0))
        if p.x < originX { originX = p.x } else if p.x >= originX + visibleW { originX = p.x - visibleW + 1 }
        if p.y < originY { originY = p.y } else if p.y >= originY + visibleH { originY = p.y - visibleH + 1 }
    }
}

@inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}
