/// Picks single pixels' channel vectors out of a feature map: the sampled
/// pixels of ECGAN's similarity and contrastive losses, where using every
/// pixel would make M x M matrices.

/// One pixel of one image of a [N, C, H, W] tensor.
public struct PixelIndex: Sendable, Equatable {
    public var image: Int
    /// Row-major position y * W + x.
    public var position: Int

    public init(image: Int, position: Int) {
        self.image = image
        self.position = position
    }
}

/// x [N, C, H, W] -> [K, C], row k = x[pixels[k].image, :, pixels[k].position].
/// A pixel may be picked more than once; the gradient of repeats adds up.
public func gatherPixels(_ x: Tensor, _ pixels: [PixelIndex]) -> Tensor {
    check(x.rank == 4, "gatherPixels: input \(x.shape) must be [N, C, H, W]")
    let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    for p in pixels {
        check(p.image >= 0 && p.image < n && p.position >= 0 && p.position < plane,
              "gatherPixels: pixel \(p) outside \(x.shape)")
    }
    let out = Tensor.uninitialized([pixels.count, c])
    let src = x.data, dst = out.data
    for (k, p) in pixels.enumerated() {
        let base = p.image * c * plane + p.position
        for ch in 0..<c { dst[k * c + ch] = src[base + ch * plane] }
    }
    guard Tensor.needsGraph(x) else { return out }
    let shape = x.shape
    return Tensor.record(out, op: .gatherPixels, inputs: [x]) { g in
        let gx = Tensor.zeros(shape)
        let gs = g.data, gd = gx.data
        for (k, p) in pixels.enumerated() {
            let base = p.image * c * plane + p.position
            for ch in 0..<c { gd[base + ch * plane] += gs[k * c + ch] }
        }
        return [gx]
    }
}

/// Each row of x [K, D] divided by its L2 norm (plus epsilon): the unit
/// embeddings of a contrastive loss.
public func l2NormalizedRows(_ x: Tensor, epsilon: Float = 1e-6) -> Tensor {
    check(x.rank == 2, "l2NormalizedRows: input \(x.shape) must be [K, D]")
    let norm = (x.squared().sum(axes: [1], keepDims: true) + epsilon).sqrt()
    return x / norm
}
