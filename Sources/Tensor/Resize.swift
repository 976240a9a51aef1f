/// Nearest-neighbour resizing, padding and cropping of NCHW tensors, and one-hot maps.

/// Nearest resize of x [N, C, H, W] to [N, C, height, width] with PyTorch's
/// 'nearest' rule: source index floor(dst * in / out). Differentiable (the
/// gradient adds back into the source pixel each output copied).
public func resizeNearest(_ x: Tensor, height: Int, width: Int) -> Tensor {
    check(x.rank == 4 && height > 0 && width > 0, "resizeNearest: \(x.shape) to \(height)x\(width)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let rows = (0..<height).map { Swift.min(h - 1, $0 * h / height) }
    let cols = (0..<width).map { Swift.min(w - 1, $0 * w / width) }
    let out = Tensor.uninitialized([n, c, height, width])
    let src = x.data, dst = out.data
    let upsampleBy2 = height == 2 * h && width == 2 * w
    Parallel.forEach(n * c, costPerItem: height * width, minimumWork: 1 << 16) { p in
        let s = src + p * h * w, d = dst + p * height * width
        if upsampleBy2 {
            for y in 0..<h {
                let r0 = d + 2 * y * width, sr = s + y * w
                for xx in 0..<w { let v = sr[xx]; r0[2 * xx] = v; r0[2 * xx + 1] = v }
                (r0 + width).update(from: r0, count: width)
            }
        } else {
            for y in 0..<height {
                let sr = s + rows[y] * w, dr = d + y * width
                for xx in 0..<width { dr[xx] = sr[cols[xx]] }
            }
        }
    }
    // A one-hot map stays one: its convolutions may read the resized classes (`OneHotConvolution`).
    out.attachOneHotLabels(x.oneHotLabels?.resized(height: height, width: width))
    return Tensor.record(out, op: .resizeNearest, inputs: [x]) { g in
        let gx = Tensor.zeros(x.shape)
        let gs = g.data, gd = gx.data
        Parallel.forEach(n * c, costPerItem: height * width, minimumWork: 1 << 16) { p in
            let s = gs + p * height * width, d = gd + p * h * w
            for y in 0..<height {
                let dr = d + rows[y] * w, sr = s + y * width
                for xx in 0..<width { dr[cols[xx]] += sr[xx] }
            }
        }
        return [gx]
    }
}

/// Nearest upsampling by an integer factor (SPADE's x2).
public func upsampleNearest(_ x: Tensor, factor: Int = 2) -> Tensor {
    if ChannelsLast.applies(x) {
        return OpProfile.measure("upsample x\(factor) \(x.shape[1])ch @\(x.shape[2])x\(x.shape[3]) NHWC") {
            ChannelsLast.upsampleNearest(x, factor: factor)
        }
    }
    return resizeNearest(x, height: x.shape[2] * factor, width: x.shape[3] * factor)
}

/// Pads H and W of x [N, C, H, W]: zeros, a constant, or reflection.
public func pad2d(_ x: Tensor, top: Int, bottom: Int, left: Int, right: Int,
                  mode: PaddingMode = .zeros, value: Float = 0) -> Tensor {
    check(x.rank == 4 && top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "pad2d: \(x.shape) by \(top),\(bottom),\(left),\(right)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    if mode == .reflect {
        check(Swift.max(top, bottom) < h && Swift.max(left, right) < w, "pad2d: reflect padding larger than input \(x.shape)")
    }
    let oh = h + top + bottom, ow = w + left + right
    let out = Tensor.uninitialized([n, c, oh, ow])
    @inline(__always) func source(_ i: Int, _ size: Int) -> Int {
        i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i)
    }
    let src = x.data, dst = out.data
    Parallel.forEach(n * c, costPerItem: oh * ow, minimumWork: 1 << 16) { p in
        let s = src + p * h * w, d = dst + p * oh * ow
        for y in 0..<oh {
            let iy = y - top
            let dr = d + y * ow
            if mode != .reflect && (iy < 0 || iy >= h) { dr.update(repeating: value, count: ow); continue }
            let sr = s + source(iy, h) * w
            for xx in 0..<ow {
                let ix = xx - left
                if ix >= 0 && ix < w { dr[xx] = sr[ix] } else { dr[xx] = mode == .reflect ? sr[source(ix, w)] : value }
            }
        }
    }
    return Tensor.record(out, op: .pad2d, inputs: [x]) { g in
        let gx = Tensor.zeros(x.shape)
        let gs = g.data, gd = gx.data
        Parallel.forEach(n * c, costPerItem: oh * ow, minimumWork: 1 << 16) { p in
            let s = gs + p * oh * ow, d = gd + p * h * w
            for y in 0..<oh {
                let iy = y - top
                if mode != .reflect && (iy < 0 || iy >= h) { continue }
                let dr = d + source(iy, h) * w, sr = s + y * ow
                for xx in 0..<ow {
                    let ix = xx - left
                    if ix >= 0 && ix < w { dr[ix] += sr[xx] } else if mode == .reflect { dr[source(ix, w)] += sr[xx] }
                }
            }
        }
        return [gx]
    }
}

/// The window rows top..<top+height, columns left..<left+width of x [N, C, H, W]
/// (sparse per-class generation on a bounding box).
public func crop2d(_ x: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    check(x.rank == 4 && top >= 0 && left >= 0 && height > 0 && width > 0
          && top + height <= x.shape[2] && left + width <= x.shape[3],
          "crop2d: window (\(top), \(left), \(height)x\(width)) outside \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let out = Tensor.uninitialized([n, c, height, width])
    let src = x.data, dst = out.data
    Parallel.forEach(n * c, costPerItem: height * width, minimumWork: 1 << 16) { p in
        for y in 0..<height {
            (dst + (p * height + y) * width).update(from: src + p * h * w + (top + y) * w + left, count: width)
        }
    }
    return Tensor.record(out, op: .crop2d, inputs: [x]) { g in
        [pad2d(g, top: top, bottom: h - top - height, left: left, right: w - left - width)]
    }
}

extension Tensor {
    /// One-hot maps [N, classes, H, W] from class ids (row-major N*H*W values).
    /// Ids outside 0..<classes give an all-zero pixel (e.g. "don't care").
    public static func oneHot(labels: [Int], batch: Int, height: Int, width: Int, classes: Int) -> Tensor {
        check(labels.count == batch * height * width, "oneHot: \(labels.count) labels for \(batch)x\(height)x\(width)")
        let out = Tensor.zeros([batch, classes, height, width])
        let plane = height * width
        for n in 0..<batch {
            for i in 0..<plane {
                let k = labels[n * plane + i]
                if k >= 0 && k < classes { out.data[(n * classes + k) * plane + i] = 1 }
            }
        }
        out.attachOneHotLabels(OneHotLabels(labels: labels, batch: batch, height: height, width: width, classes: classes))
        return out
    }

    /// Nearest resize of a label map (row-major, one image) to another size.
    public static func resizeLabels(_ labels: [Int], height: Int, width: Int, toHeight: Int, toWidth: Int) -> [Int] {
        check(labels.count == height * width, "resizeLabels: \(labels.count) labels for \(height)x\(width)")
        var out = [Int](repeating: 0, count: toHeight * toWidth)
        for y in 0..<toHeight {
            let sy = Swift.min(height - 1, y * height / toHeight)
            for x in 0..<toWidth { out[y * toWidth + x] = labels[sy * width + Swift.min(width - 1, x * width / toWidth)] }
        }
        return out
    }
}
