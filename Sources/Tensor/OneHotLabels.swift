/// The class map behind a one-hot tensor [N, classes, H, W]: which channel is 1
/// at each pixel (-1: none, an all-zero pixel). `Tensor.oneHot` attaches it to
/// its result and a nearest resize of such a tensor to its own, so a convolution
/// of the layout can read the classes instead of multiplying zeros
/// (`OneHotConvolution`). It lives on the tensor's memory with that memory's
/// write count (`Tensor.writeCount`) and counts only while no in-place write
/// came since, so it never describes values it no longer matches.
struct OneHotLabels: Sendable {
    let batch: Int
    let classes: Int
    let height: Int
    let width: Int
    /// Row-major per image; -1 where the pixel has no class.
    let indices: [Int32]

    init(batch: Int, classes: Int, height: Int, width: Int, indices: [Int32]) {
        check(indices.count == batch * height * width, "OneHotLabels: \(indices.count) labels for \(batch)x\(height)x\(width)")
        self.batch = batch
        self.classes = classes
        self.height = height
        self.width = width
        self.indices = indices
    }

    /// The labels of `Tensor.oneHot(labels:...)`: ids outside 0..<classes are no class.
    init(labels: [Int], batch: Int, height: Int, width: Int, classes: Int) {
        self.init(batch: batch, classes: classes, height: height, width: width,
                  indices: labels.map { $0 >= 0 && $0 < classes ? Int32($0) : -1 })
    }

    /// True when a tensor of `shape` is the one-hot map of these labels.
    func describes(_ shape: [Int]) -> Bool { shape == [batch, classes, height, width] }

    /// The labels of `resizeNearest(oneHot, height:, width:)`: the same source
    /// pixel rule (floor(dst * in / out)), so the resized map stays one-hot.
    func resized(height toHeight: Int, width toWidth: Int) -> OneHotLabels {
        let rows = (0..<toHeight).map { Swift.min(height - 1, $0 * height / toHeight) }
        let cols = (0..<toWidth).map { Swift.min(width - 1, $0 * width / toWidth) }
        var out = [Int32](repeating: -1, count: batch * toHeight * toWidth)
        for n in 0..<batch {
            for y in 0..<toHeight {
                let source = (n * height + rows[y]) * width, target = (n * toHeight + y) * toWidth
                for x in 0..<toWidth { out[target + x] = indices[source + cols[x]] }
            }
        }
        return OneHotLabels(batch: batch, classes: classes, height: toHeight, width: toWidth, indices: out)
    }
}
