import Layouts
import Support
import Tensor

/// A batch of layouts ready for the network: class indices (palette positions,
/// -1 for "don't care"), the one-hot map [N, c, H, W] that is both the input and
/// the class masks M_i of Eq. 1, and each image's present classes with the
/// bounding boxes the sparse local generation needs.
public struct SemanticInput {
    /// A class's pixels in one image: rows top..<bottom, columns left..<right.
    public struct ClassRegion: Sendable, Equatable {
        public var classIndex: Int
        public var top: Int, bottom: Int, left: Int, right: Int
        public var pixelCount: Int
    }

    public let batch: Int
    public let height: Int
    public let width: Int
    public let classCount: Int
    /// Palette positions, row-major per image; -1 where no class applies.
    public let indices: [Int]
    public let oneHot: Tensor
    /// Per image, the classes present (ascending class index).
    public let regions: [[ClassRegion]]

    public init(indices: [Int], batch: Int, height: Int, width: Int, classCount: Int) {
        invariant(indices.count == batch * height * width, "SemanticInput: \(indices.count) indices for \(batch)x\(height)x\(width)")
        self.batch = batch
        self.height = height
        self.width = width
        self.classCount = classCount
        self.indices = indices
        oneHot = Tensor.oneHot(labels: indices, batch: batch, height: height, width: width, classes: classCount)
        var all: [[ClassRegion]] = []
        let plane = height * width
        for n in 0..<batch {
            var boxes = [ClassRegion?](repeating: nil, count: classCount)
            for y in 0..<height {
                for x in 0..<width {
                    let k = indices[n * plane + y * width + x]
                    guard k >= 0 && k < classCount else { continue }
                    if var r = boxes[k] {
                        r.top = Swift.min(r.top, y); r.bottom = Swift.max(r.bottom, y + 1)
                        r.left = Swift.min(r.left, x); r.right = Swift.max(r.right, x + 1)
                        r.pixelCount += 1
                        boxes[k] = r
                    } else {
                        boxes[k] = ClassRegion(classIndex: k, top: y, bottom: y + 1, left: x, right: x + 1, pixelCount: 1)
                    }
                }
            }
            all.append(boxes.compactMap { $0 })
        }
        regions = all
    }

    /// One layout; ids outside the palette are an error, the palette's ignore id maps to -1.
    public init(labels: LabelMap, palette: Palette) throws {
        self.init(indices: try SemanticInput.indices(of: labels, palette: palette), batch: 1,
                  height: labels.height, width: labels.width, classCount: palette.count)
    }

    /// One layout for a generator: its palette positions (row-major, unpadded) and
    /// the input padded to multiples of `multiple` by repeating the last row and column.
    public static func padded(_ labels: LabelMap, palette: Palette, multiple: Int) throws -> (input: SemanticInput, indices: [Int]) {
        let indices = try SemanticInput.indices(of: labels, palette: palette)
        let paddedW = (labels.width + multiple - 1) / multiple * multiple
        let paddedH = (labels.height + multiple - 1) / multiple * multiple
        let padded = LGGANGenerator.padByRepeatingEdges(indices, width: labels.width, height: labels.height,
                                                        toWidth: paddedW, toHeight: paddedH)
        return (SemanticInput(indices: padded, batch: 1, height: paddedH, width: paddedW, classCount: palette.count), indices)
    }

    /// Palette positions of a label map's ids.
    public static func indices(of labels: LabelMap, palette: Palette) throws -> [Int] {
        var table = [Int](repeating: -2, count: 256)
        for (position, cls) in palette.classes.enumerated() { table[cls.id] = position }
        if let ignore = palette.ignoreID, table[ignore] == -2 { table[ignore] = -1 }
        var out = [Int](repeating: 0, count: labels.ids.count)
        for (i, id) in labels.ids.enumerated() {
            let k = table[Int(id)]
            if k == -2 {
                throw LayoutMismatchError(message: "pixel (\(i % labels.width), \(i / labels.width)) has class id \(id), which palette \(palette.name) does not have")
            }
            out[i] = k
        }
        return out
    }

    /// Nearest-neighbour one-hot maps at 1/factor resolution (SPADE's per-level layout).
    public func oneHot(downsampledBy factor: Int) -> Tensor {
        factor == 1 ? oneHot : resizeNearest(oneHot, height: height / factor, width: width / factor)
    }

    /// Class presence per image (the void-class indicator H of Eq. 5).
    public func presence(image n: Int) -> [Bool] {
        var present = [Bool](repeating: false, count: classCount)
        for r in regions[n] { present[r.classIndex] = true }
        return present
    }
}

/// A layout that does not fit a model (palette, ids).
public struct LayoutMismatchError: UserFacingError, Equatable {
    public let message: String
    public var description: String { message }
}
