import Support

/// An 8-bit RGB image, row-major, interleaved.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: RGBColor = RGBColor(0, 0, 0)) {
        invariant(width > 0 && height > 0, "image needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
        var p = [UInt8](repeating: 0, count: width * height * 3)
        if fill != RGBColor(0, 0, 0) {
            for i in 0..<(width * height) {
                p[3 * i] = fill.r
                p[3 * i + 1] = fill.g
                p[3 * i + 2] = fill.b
            }
        }
        self.pixels = p
    }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        invariant(width > 0 && height > 0 && pixels.count == width * height * 3, "image \(width)x\(height) given \(pixels.count) bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    @inline(__always) public subscript(x: Int, y: Int) -> RGBColor {
        get {
            let i = 3 * (y * width + x)
            return RGBColor(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = 3 * (y * width + x)
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }

    /// Copies `other` into this image with its top-left corner at (x0, y0), clipped.
    public mutating func paste(_ other: RGBImage, x x0: Int, y y0: Int) {
        for y in 0..<other.height {
            let ty = y0 + y
            guard ty >= 0 && ty < height else { continue }
            for x in 0..<other.width {
                let tx = x0 + x
                guard tx >= 0 && tx < width else { continue }
                let s = 3 * (y * other.width + x)
                let d = 3 * (ty * width + tx)
                pixels[d] = other.pixels[s]
                pixels[d + 1] = other.pixels[s + 1]
                pixels[d + 2] = other.pixels[s + 2]
            }
        }
    }

    /// Box-filtered (downscale) or nearest (upscale) resize; good enough for previews.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        if newWidth == width && newHeight == height { return self }
        var out = RGBImage(width: newWidth, height: newHeight)
        for y in 0..<newHeight {
            let y0 = (y * height) / newHeight
            let y1 = max(y0 + 1, ((y + 1) * height) / newHeight)
            for x in 0..<newWidth {
                let x0 = (x * width) / newWidth
                let x1 = max(x0 + 1, ((x + 1) * width) / newWidth)
                var sum = (0, 0, 0)
                for sy in y0..<min(y1, height) {
                    for sx in x0..<min(x1, width) {
                        let i = 3 * (sy * width + sx)
                        sum.0 += Int(pixels[i]); sum.1 += Int(pixels[i + 1]); sum.2 += Int(pixels[i + 2])
                    }
                }
                let n = max(1, (min(y1, height) - y0) * (min(x1, width) - x0))
                let d = 3 * (y * newWidth + x)
                out.pixels[d] = UInt8(sum.0 / n)
                out.pixels[d + 1] = UInt8(sum.1 / n)
                out.pixels[d + 2] = UInt8(sum.2 / n)
            }
        }
        return out
    }
}
