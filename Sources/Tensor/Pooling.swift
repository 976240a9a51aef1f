/// Average pooling and global average pooling (plain and masked).

/// Average pooling with a k x k window over x [N, C, H, W]. With
/// `countIncludePadding` false (SPADE's discriminator downsampling), border
/// windows divide by the number of real pixels they cover.
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int = 0, countIncludePadding: Bool = true) -> Tensor {
    check(x.rank == 4, "avgPool2d: input \(x.shape) must be 4-D")
    check(kernel >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernel, "avgPool2d: kernel \(kernel), stride \(stride), padding \(padding)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let outH = (h + 2 * padding - kernel) / stride + 1
    let outW = (w + 2 * padding - kernel) / stride + 1
    check(outH > 0 && outW > 0, "avgPool2d: empty output for \(x.shape)")
    // The divisor of each output position, shared by all planes.
    var divisor = [Float](repeating: 0, count: outH * outW)
    for oy in 0..<outH {
        for ox in 0..<outW {
            let y0 = oy * stride - padding, x0 = ox * stride - padding
            let y1 = Swift.min(y0 + kernel, h + padding), x1 = Swift.min(x0 + kernel, w + padding)
            let area = countIncludePadding ? (y1 - y0) * (x1 - x0)
                : (Swift.min(y1, h) - Swift.max(y0, 0)) * (Swift.min(x1, w) - Swift.max(x0, 0))
            divisor[oy * outW + ox] = 1 / Float(Swift.max(area, 1))
        }
    }
    // The input rows and columns each output position's window covers (inside
    // the image), shared by the forward and the backward pass.
    let windowRows = (0..<outH).map { Swift.max(0, $0 * stride - padding)..<Swift.min(h, $0 * stride - padding + kernel) }
    let windowCols = (0..<outW).map { Swift.max(0, $0 * stride - padding)..<Swift.min(w, $0 * stride - padding + kernel) }
    let out = Tensor.uninitialized([n, c, outH, outW])
    let src = x.data, dst = out.data
    Parallel.forEach(n * c, costPerItem: outH * outW * kernel * kernel, minimumWork: 1 << 16) { p in
        let s = src + p * h * w, d = dst + p * outH * outW
        for oy in 0..<outH {
            for ox in 0..<outW {
                var total: Float = 0
                for y in windowRows[oy] { for xx in windowCols[ox] { total += s[y * w + xx] } }
                d[oy * outW + ox] = total * divisor[oy * outW + ox]
            }
        }
    }
    return Tensor.record(out, op: .avgPool2d, inputs: [x]) { g in
        let gx = Tensor.zeros(x.shape)
        let gs = g.data, gd = gx.data
        Parallel.forEach(n * c, costPerItem: outH * outW * kernel * kernel, minimumWork: 1 << 16) { p in
            let s = gs + p * outH * outW, d = gd + p * h * w
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let v = s[oy * outW + ox] * divisor[oy * outW + ox]
                    for y in windowRows[oy] { for xx in windowCols[ox] { d[y * w + xx] += v } }
                }
            }
        }
        return [gx]
    }
}

/// Mean over H and W: [N, C, H, W] -> [N, C, 1, 1].
public func globalAvgPool(_ x: Tensor) -> Tensor {
    check(x.rank == 4, "globalAvgPool: input \(x.shape) must be 4-D")
    return x.mean(axes: [2, 3], keepDims: true)
}

/// Average of x over the pixels where mask is set: sum(x * m) / (sum(m) + eps)
/// per (image, channel). mask is [N, 1, H, W] (or [N, C, H, W]); result [N, C, 1, 1].
/// (LGGAN's class-discriminative pooling divides by the whole image instead:
/// that is `globalAvgPool(x * mask)`.)
public func maskedGlobalAvgPool(_ x: Tensor, mask: Tensor, epsilon: Float = 1e-6) -> Tensor {
    check(x.rank == 4 && mask.rank == 4, "maskedGlobalAvgPool: \(x.shape) with mask \(mask.shape)")
    let weighted = (x * mask).sum(axes: [2, 3], keepDims: true)
    let area = mask.sum(axes: [2, 3], keepDims: true) + epsilon
    return weighted / area
}
