import Layouts

/// The shape of an evaluator segmenter: which classes it predicts (a palette,
/// so any palette works), the image size it looks at, and its widths.
///
/// Every image is resampled to `inputWidth` x `inputHeight` before it is
/// segmented, so real and generated images of any size are judged alike.
public struct SegmenterConfiguration: Sendable, Equatable {
    public var palette: Palette
    public var inputWidth: Int
    public var inputHeight: Int
    /// Channels of the full-resolution level; each deeper level doubles them, up to 8x.
    public var baseWidth: Int
    /// Number of stride-2 downsamplings (the input sides must be multiples of 2^depth).
    public var depth: Int

    public init(palette: Palette, inputWidth: Int = 128, inputHeight: Int = 128, baseWidth: Int = 16, depth: Int = 4) {
        self.palette = palette
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.baseWidth = baseWidth
        self.depth = depth
    }

    /// Number of output classes: positions 0..<count in `palette.classes`.
    public var classCount: Int { palette.count }

    /// Channels of each level, from full resolution down to the bottleneck.
    public var levelWidths: [Int] { (0...depth).map { baseWidth << Swift.min($0, 3) } }

    /// Length of the pooled feature vector (global average of the bottleneck).
    public var featureDimension: Int { levelWidths.last! }

    /// Checks sizes; the message names the offending value.
    public func validate() throws {
        let multiple = 1 << depth
        guard depth >= 1 && depth <= 6 else { throw SegmenterError("segmenter depth \(depth) is outside 1...6") }
        guard baseWidth >= 2 && baseWidth <= 256 else { throw SegmenterError("segmenter base width \(baseWidth) is outside 2...256") }
        guard classCount <= 255 else { throw SegmenterError("palette \(palette.name) has \(classCount) classes; the segmenter handles at most 255") }
        guard inputWidth >= multiple, inputHeight >= multiple, inputWidth % multiple == 0, inputHeight % multiple == 0,
              inputWidth <= 4096, inputHeight <= 4096 else {
            throw SegmenterError("segmenter input \(inputWidth)x\(inputHeight) must be positive multiples of \(multiple) (2^depth), at most 4096")
        }
    }
}
