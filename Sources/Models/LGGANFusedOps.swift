import Foundation
import Tensor

// Ops for LGGAN's exact sparse local generation and SPADE modulation. Each
// replaces a chain of generic ops (slice, crop, pad, multiply, add) that would
// walk full-resolution tensors several times with one pass over the window.
// They live with the model that needs them and are written with the engine's
// package-level op tools (Tensor.record, data, Parallel, check).

extension TensorOp {
    public static let maskedWindow = TensorOp("maskedWindow", group: "LGGAN (fused)", gradient: .node)
    public static let pasteWindows = TensorOp("pasteWindows", group: "LGGAN (fused)", gradient: .node)
    public static let modulate = TensorOp("modulate", group: "LGGAN (fused)", gradient: .node)
    public static let upsampleBilinear2x = TensorOp("upsampleBilinear2x", group: "LGGAN (fused)", gradient: .node)
}

extension OpCatalog {
    /// LGGAN's fused ops (docs/engine.md's "LGGAN (fused)" row).
    public static let lggan: [TensorOp] = [.maskedWindow, .pasteWindows, .modulate, .upsampleBilinear2x]
}

/// A window of one image's features multiplied by one mask channel, with zeros
/// where the window reaches outside the image.
///
/// Returns [1, C, height, width]: out[c, y, x] = x[n, c, top + y, left + x] *
/// mask[n, maskChannel, top + y, left + x] inside the image, 0 outside. `top`
/// and `left` may be negative and the window may end past the image, so a
/// convolution without padding over it equals a zero-padded convolution over
/// the whole masked image on the window's interior. The gradient flows to `x`
/// only; the mask is a constant (a one-hot layout).
public func maskedWindow(_ x: Tensor, mask: Tensor, batchIndex n: Int, maskChannel: Int,
                         top: Int, left: Int, height: Int, width: Int) -> Tensor {
    check(x.rank == 4 && mask.rank == 4 && mask.shape[0] == x.shape[0]
          && mask.shape[2] == x.shape[2] && mask.shape[3] == x.shape[3],
          "maskedWindow: features \(x.shape) with mask \(mask.shape)")
    check(n >= 0 && n < x.shape[0] && maskChannel >= 0 && maskChannel < mask.shape[1] && height > 0 && width > 0,
          "maskedWindow: image \(n), mask channel \(maskChannel), window \(height)x\(width) for \(x.shape) / \(mask.shape)")
    check(!mask.requiresGrad || !GradMode.isEnabled, "maskedWindow: the mask must be a constant")
    let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
    let plane = h * w
    let out = Tensor.zeros([1, c, height, width])
    // The part of the window inside the image, in window coordinates.
    let y0 = Swift.max(0, -top), y1 = Swift.min(height, h - top)
    let x0 = Swift.max(0, -left), x1 = Swift.min(width, w - left)
    guard y0 < y1 && x0 < x1 else { return out }
    let src = x.data + n * c * plane
    let m = mask.data + (n * mask.shape[1] + maskChannel) * plane
    let dst = out.data
    Parallel.forEach(c, costPerItem: (y1 - y0) * (x1 - x0), minimumWork: 1 << 16) { ch in
        let s = src + ch * plane, d = dst + ch * height * width
        for y in y0..<y1 {
            let row = (top + y) * w + left
            let dr = d + y * width
            for xx in x0..<x1 { dr[xx] = s[row + xx] * m[row + xx] }
        }
    }
    guard Tensor.needsGraph(x) else { return out }
    let shape = x.shape
    let maskAlive = mask.detach()
    return Tensor.record(out, op: .maskedWindow, inputs: [x]) { g in
        let m = maskAlive.data + (n * maskAlive.shape[1] + maskChannel) * plane
        let gx = Tensor.zeros(shape)
        let gs = g.data, gd = gx.data + n * c * plane
        for ch in 0..<c {
            let s = gs + ch * height * width, d = gd + ch * plane
            for y in y0..<y1 {
                let row = (top + y) * w + left
                let sr = s + y * width
                for xx in x0..<x1 { d[row + xx] = sr[xx] * m[row + xx] }
            }
        }
        return [gx]
    }
}

/// Where one window goes in `pasteWindows`.
public struct WindowPlacement: Sendable, Equatable {
    public var batchIndex: Int
    public var channelOffset: Int
    public var top: Int
    public var left: Int

    public init(batchIndex: Int, channelOffset: Int, top: Int, left: Int) {
        self.batchIndex = batchIndex
        self.channelOffset = channelOffset
        self.top = top
        self.left = left
    }
}

/// Builds [batch, C, height, width] whose channel k is the constant
/// background[k] everywhere except where a window covers it: window j
/// ([1, Cw, h, w], lying inside the image) fills channels channelOffset ..<
/// channelOffset + Cw of image batchIndex at (top, left). Windows must not
/// overlap. Differentiable in the background (through the uncovered pixels)
/// and in every window.
public func pasteWindows(background: Tensor, batch: Int, height: Int, width: Int,
                         windows: [Tensor], placements: [WindowPlacement]) -> Tensor {
    let c = background.count
    check(windows.count == placements.count, "pasteWindows: \(windows.count) windows, \(placements.count) placements")
    let plane = height * width
    let out = Tensor.uninitialized([batch, c, height, width])
    let bg = background.data, dst = out.data
    Parallel.forEach(batch * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
        (dst + nc * plane).update(repeating: bg[nc % c], count: plane)
    }
    // Per (image, channel) plane: how many pixels windows cover (for the background gradient).
    var covered = [Int](repeating: 0, count: batch * c)
    for (win, p) in zip(windows, placements) {
        let (cw, wh, ww) = (win.shape[1], win.shape[2], win.shape[3])
        check(win.rank == 4 && win.shape[0] == 1 && p.batchIndex >= 0 && p.batchIndex < batch
              && p.channelOffset >= 0 && p.channelOffset + cw <= c && p.top >= 0 && p.left >= 0
              && p.top + wh <= height && p.left + ww <= width,
              "pasteWindows: window \(win.shape) at \(p) outside [\(batch), \(c), \(height), \(width)]")
        let s = win.data
        for k in 0..<cw {
            let nc = p.batchIndex * c + p.channelOffset + k
            covered[nc] += wh * ww
            let d = dst + nc * plane
            for y in 0..<wh {
                (d + (p.top + y) * width + p.left).update(from: s + (k * wh + y) * ww, count: ww)
            }
        }
    }
    let inputs = [background] + windows
    guard Tensor.needsGraph(inputs) else { return out }
    let backgroundShape = background.shape
    return Tensor.record(out, op: .pasteWindows, inputs: inputs) { g in
        let gp = g.data
        var grads: [Tensor?] = []
        if background.requiresGrad {
            // Sum of every plane minus the covered pixels' share.
            var sums = [Double](repeating: 0, count: batch * c)
            sums.withUnsafeMutableBufferPointer { sb in
                let base = sb.baseAddress!
                Parallel.forEach(batch * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
                    guard covered[nc] < plane else { return }
                    var total: Double = 0
                    let p = gp + nc * plane
                    var i = 0
                    while i < plane {
                        let end = Swift.min(plane, i + 4096)
                        var s: Float = 0
                        for j in i..<end { s += p[j] }
                        total += Double(s)
                        i = end
                    }
                    base[nc] = total
                }
            }
            for (win, pl) in zip(windows, placements) {
                let (cw, wh, ww) = (win.shape[1], win.shape[2], win.shape[3])
                for k in 0..<cw {
                    let nc = pl.batchIndex * c + pl.channelOffset + k
                    guard covered[nc] < plane else { continue }
                    let p = gp + nc * plane
                    var s: Double = 0
                    for y in 0..<wh {
                        let r = p + (pl.top + y) * width + pl.left
                        var rs: Float = 0
                        for xx in 0..<ww { rs += r[xx] }
                        s += Double(rs)
                    }
                    sums[nc] -= s
                }
            }
            var gb = [Float](repeating: 0, count: c)
            for nc in 0..<(batch * c) { gb[nc % c] += Float(sums[nc]) }
            grads.append(Tensor(shape: backgroundShape, values: gb))
        } else {
            grads.append(nil)
        }
        for (win, pl) in zip(windows, placements) {
            guard win.requiresGrad else { grads.append(nil); continue }
            let (cw, wh, ww) = (win.shape[1], win.shape[2], win.shape[3])
            let gw = Tensor.uninitialized(win.shape)
            let d = gw.data
            for k in 0..<cw {
                let p = gp + (pl.batchIndex * c + pl.channelOffset + k) * plane
                for y in 0..<wh {
                    (d + (k * wh + y) * ww).update(from: p + (pl.top + y) * width + pl.left, count: ww)
                }
            }
            grads.append(gw)
        }
        return grads
    }
}

/// SPADE followed by LeakyReLU: leakyRelu(modulate(instanceNorm(x), gammaBeta)).
/// In channels-last inference one kernel does all three in the norm's last pass
/// (`ChannelsLast.instanceNormModulateLeakyRelu`, bit-identical to the three ops).
public func normalizeModulateLeakyRelu(_ x: Tensor, gammaBeta: Tensor, slope: Float) -> Tensor {
    if x.rank == 4 && gammaBeta.rank == 4 && gammaBeta.shape == [x.shape[0], 2 * x.shape[1], x.shape[2], x.shape[3]]
        && ChannelsLast.applies(x, gammaBeta) {
        return OpProfile.measure("instance norm + modulate + leakyRelu \(x.shape[1])ch @\(x.shape[2])x\(x.shape[3]) NHWC") {
            ChannelsLast.instanceNormModulateLeakyRelu(x, gammaBeta: gammaBeta, slope: slope)
        }
    }
    return modulate(instanceNorm(x), gammaBeta: gammaBeta).leakyRelu(slope: slope)
}

/// SPADE's modulation in one pass: x * (1 + gamma) + beta, where gammaBeta is
/// [N, 2C, H, W] holding gamma in its first C channels and beta in the rest
/// (one convolution produces both).
public func modulate(_ x: Tensor, gammaBeta: Tensor) -> Tensor {
    check(x.rank == 4 && gammaBeta.rank == 4 && gammaBeta.shape[0] == x.shape[0]
          && gammaBeta.shape[1] == 2 * x.shape[1] && gammaBeta.shape[2] == x.shape[2] && gammaBeta.shape[3] == x.shape[3],
          "modulate: x \(x.shape) with gamma/beta \(gammaBeta.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    let plane = x.shape[2] * x.shape[3]
    if ChannelsLast.applies(x, gammaBeta) {
        return OpProfile.measure("modulate \(c)ch @\(x.shape[2])x\(x.shape[3]) NHWC") {
            ChannelsLast.modulate(x, gammaBeta: gammaBeta)
        }
    }
    let out = Tensor.uninitialized(x.shape)
    let xp = x.data, mp = gammaBeta.data, dst = out.data
    OpProfile.measure("modulate \(c)ch @\(x.shape[2])x\(x.shape[3]) NCHW") {
    Parallel.forEach(n * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
        let (b, ch) = (nc / c, nc % c)
        let s = xp + nc * plane, d = dst + nc * plane
        let gamma = mp + (b * 2 * c + ch) * plane, beta = mp + (b * 2 * c + c + ch) * plane
        for i in 0..<plane { d[i] = s[i] * (1 + gamma[i]) + beta[i] }
    }
    }
    guard Tensor.needsGraph(x, gammaBeta) else { return out }
    let xs = x.detach(), ms = gammaBeta.detach()
    return Tensor.record(out, op: .modulate, inputs: [x, gammaBeta]) { g in
        let gp = g.data
        var gx: Tensor?, gm: Tensor?
        if x.requiresGrad {
            let t = Tensor.uninitialized(x.shape)
            let d = t.data, m = ms.data
            Parallel.forEach(n * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
                let (b, ch) = (nc / c, nc % c)
                let gr = gp + nc * plane, dr = d + nc * plane, gamma = m + (b * 2 * c + ch) * plane
                for i in 0..<plane { dr[i] = gr[i] * (1 + gamma[i]) }
            }
            gx = t
        }
        if gammaBeta.requiresGrad {
            let t = Tensor.uninitialized(gammaBeta.shape)
            let d = t.data, xv = xs.data
            Parallel.forEach(n * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
                let (b, ch) = (nc / c, nc % c)
                let gr = gp + nc * plane, xr = xv + nc * plane
                let dg = d + (b * 2 * c + ch) * plane, db = d + (b * 2 * c + c + ch) * plane
                for i in 0..<plane { dg[i] = gr[i] * xr[i]; db[i] = gr[i] }
            }
            gm = t
        }
        return [gx, gm]
    }
}

/// Bilinear x2 upsampling of x [N, C, H, W] (PyTorch's `align_corners=False`):
/// each output pixel mixes its source pixel (3/4) with the next one towards it
/// (1/4) along each axis, the border repeated. Unlike nearest upsampling it
/// leaves no 2x2 blocks for later layers to smooth away.
public func upsampleBilinear2x(_ x: Tensor) -> Tensor {
    check(x.rank == 4, "upsampleBilinear2x: input \(x.shape) must be 4-D")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let out = Tensor.uninitialized([n, c, 2 * h, 2 * w])
    let src = x.data, dst = out.data
    Parallel.forEach(n * c, costPerItem: 8 * h * w, minimumWork: 1 << 15) { p in
        let s = src + p * h * w, d = dst + p * 4 * h * w
        for oy in 0..<(2 * h) {
            let y = oy / 2
            let y2 = oy % 2 == 0 ? Swift.max(0, y - 1) : Swift.min(h - 1, y + 1)
            let r1 = s + y * w, r2 = s + y2 * w
            let dr = d + oy * 2 * w
            for xx in 0..<w {
                let a = 0.75 * r1[xx] + 0.25 * r2[xx]
                let left = 0.75 * r1[Swift.max(0, xx - 1)] + 0.25 * r2[Swift.max(0, xx - 1)]
                let right = 0.75 * r1[Swift.min(w - 1, xx + 1)] + 0.25 * r2[Swift.min(w - 1, xx + 1)]
                dr[2 * xx] = 0.75 * a + 0.25 * left
                dr[2 * xx + 1] = 0.75 * a + 0.25 * right
            }
        }
    }
    guard Tensor.needsGraph(x) else { return out }
    return Tensor.record(out, op: .upsampleBilinear2x, inputs: [x]) { g in
        let gx = Tensor.zeros(x.shape)
        let gs = g.data, gd = gx.data
        Parallel.forEach(n * c, costPerItem: 8 * h * w, minimumWork: 1 << 15) { p in
            let s = gs + p * 4 * h * w, d = gd + p * h * w
            // Adjoint of the column pass into a row-interpolated buffer, then of the row pass.
            var rows = [Float](repeating: 0, count: 2 * h * w)
            for oy in 0..<(2 * h) {
                let sr = s + oy * 2 * w
                let base = oy * w
                for xx in 0..<w {
                    let even = sr[2 * xx], odd = sr[2 * xx + 1]
                    rows[base + xx] += 0.75 * (even + odd)
                    rows[base + Swift.max(0, xx - 1)] += 0.25 * even
                    rows[base + Swift.min(w - 1, xx + 1)] += 0.25 * odd
                }
            }
            for oy in 0..<(2 * h) {
                let y = oy / 2
                let y2 = oy % 2 == 0 ? Swift.max(0, y - 1) : Swift.min(h - 1, y + 1)
                let base = oy * w
                for xx in 0..<w {
                    d[y * w + xx] += 0.75 * rows[base + xx]
                    d[y2 * w + xx] += 0.25 * rows[base + xx]
                }
            }
        }
        return [gx]
    }
}
