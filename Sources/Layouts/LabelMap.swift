import Support

/// A grid of class ids, row-major, one byte per pixel.
public struct LabelMap: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var ids: [UInt8]

    public init(width: Int, height: Int, fill: UInt8 = 0) {
        invariant(width > 0 && height > 0, "label map needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
        self.ids = [UInt8](repeating: fill, count: width * height)
    }

    public init(width: Int, height: Int, ids: [UInt8]) {
        invariant(width > 0 && height > 0 && ids.count == width * height, "label map \(width)x\(height) given \(ids.count) ids")
        self.width = width
        self.height = height
        self.ids = ids
    }

    @inline(__always) public subscript(x: Int, y: Int) -> UInt8 {
        get { ids[y * width + x] }
        set { ids[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Pixel count per id (256 entries).
    public func histogram() -> [Int] {
        var counts = [Int](repeating: 0, count: 256)
        ids.withUnsafeBufferPointer { buffer in
            for v in buffer { counts[Int(v)] += 1 }
        }
        return counts
    }

    /// Ids that occur, ascending.
    public var idsPresent: [Int] {
        histogram().enumerated().filter { $0.element > 0 }.map(\.offset)
    }

    /// Nearest-neighbour resize (label maps must never be interpolated).
    public func resized(width newWidth: Int, height newHeight: Int) -> LabelMap {
        if newWidth == width && newHeight == height { return self }
        var out = LabelMap(width: newWidth, height: newHeight)
        for y in 0..<newHeight {
            let sy = min(height - 1, (y * height) / newHeight)
            for x in 0..<newWidth {
                let sx = min(width - 1, (x * width) / newWidth)
                out.ids[y * newWidth + x] = ids[sy * width + sx]
            }
        }
        return out
    }

    /// Colours each pixel with its class colour.
    public func colorized(with palette: Palette) -> RGBImage {
        let table = palette.colorTable
        var image = RGBImage(width: width, height: height)
        image.pixels.withUnsafeMutableBufferPointer { out in
            for i in 0..<ids.count {
                let c = table[Int(ids[i])]
                out[3 * i] = c.r
                out[3 * i + 1] = c.g
                out[3 * i + 2] = c.b
            }
        }
        return image
    }
}
