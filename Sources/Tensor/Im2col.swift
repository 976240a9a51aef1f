import Foundation

/// Where each tap of a convolution reads its input: output position (oy, ox)
/// of tap (ty, tx) reads input (oy*stride + offsetsY[ty], ox*stride + offsetsX[tx]).
/// A plain convolution has offsets k - padding; the sub-convolutions of a
/// transposed convolution have their own offsets and stride 1. Reads outside the
/// input are zero or mirrored (reflect padding, the border row itself not repeated).
struct TapGeometry {
    let channels: Int
    let inH: Int, inW: Int
    let outH: Int, outW: Int
    let stride: Int
    let offsetsY: [Int]
    let offsetsX: [Int]
    let reflect: Bool

    var tapsPerChannel: Int { offsetsY.count * offsetsX.count }
    /// Rows of the column matrix (GEMM K): channels * taps, ordered (c, ty, tx).
    var rows: Int { channels * tapsPerChannel }

    static func convolution(channels: Int, inH: Int, inW: Int, kernelH: Int, kernelW: Int,
                            stride: Int, padding: Int, reflect: Bool) -> TapGeometry {
        let outH = (inH + 2 * padding - kernelH) / stride + 1
        let outW = (inW + 2 * padding - kernelW) / stride + 1
        return TapGeometry(channels: channels, inH: inH, inW: inW, outH: outH, outW: outW, stride: stride,
                           offsetsY: (0..<kernelH).map { $0 - padding }, offsetsX: (0..<kernelW).map { $0 - padding },
                           reflect: reflect)
    }

    /// True when the column matrix is the input itself (1x1, stride 1, no padding).
    var isIdentity: Bool {
        offsetsY == [0] && offsetsX == [0] && stride == 1 && outH == inH && outW == inW
    }

    /// Output rows per band so one band's columns take at most about `budget`
    /// floats, with the rows split evenly (no small leftover GEMM at the end).
    func bandRows(budget: Int, minimumColumns: Int = 1) -> Int {
        let fromBudget = budget / Swift.max(1, rows * outW)
        let fromWidth = (minimumColumns + outW - 1) / Swift.max(1, outW)
        let most = Swift.max(1, Swift.min(outH, Swift.max(fromBudget, fromWidth)))
        let bands = (outH + most - 1) / most
        return (outH + bands - 1) / bands
    }

    @inline(__always)
    func mirror(_ i: Int, _ n: Int) -> Int {
        i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)
    }

    /// Output columns [lo, hi) whose input column lies inside the image for offset `off`.
    @inline(__always)
    func validColumns(_ off: Int) -> (Int, Int) {
        let lo = off >= 0 ? 0 : (-off + stride - 1) / stride
        let last = inW - 1 - off
        let hi = last < 0 ? 0 : Swift.min(outW, last / stride + 1)
        return (Swift.min(lo, outW), Swift.max(hi, Swift.min(lo, outW)))
    }
}

/// Fills cols[K, T] (T = (rowEnd-rowStart)*outW) with the taps of output rows
/// rowStart..<rowEnd. `input` is one image [channels, inH, inW].
func im2col(_ g: TapGeometry, input: UnsafePointer<Float>, rowStart: Int, rowEnd: Int,
            cols: UnsafeMutablePointer<Float>, polyphase: PolyphaseRows? = nil) {
    let bandRows = rowEnd - rowStart
    let t = bandRows * g.outW
    let ty = g.offsetsY.count, tx = g.offsetsX.count
    let planeSize = g.inH * g.inW
    Parallel.forRanges(g.rows, costPerItem: t, minimumWork: 1 << 16) { kRange in
        for k in kRange {
            let c = k / (ty * tx)
            let a = (k / tx) % ty
            let b = k % tx
            let offY = g.offsetsY[a], offX = g.offsetsX[b]
            let (lo, hi) = g.validColumns(offX)
            let plane = input + c * planeSize
            var dst = cols + k * t
            for oy in rowStart..<rowEnd {
                var iy = oy * g.stride + offY
                if iy < 0 || iy >= g.inH {
                    if !g.reflect {
                        dst.update(repeating: 0, count: g.outW)
                        dst += g.outW
                        continue
                    }
                    iy = g.mirror(iy, g.inH)
                }
                let src = plane + iy * g.inW
                if g.reflect {
                    for ox in 0..<lo { dst[ox] = src[g.mirror(ox * g.stride + offX, g.inW)] }
                    for ox in hi..<g.outW { dst[ox] = src[g.mirror(ox * g.stride + offX, g.inW)] }
                } else {
                    for ox in 0..<lo { dst[ox] = 0 }
                    for ox in hi..<g.outW { dst[ox] = 0 }
                }
                if g.stride == 1 {
                    if hi > lo { (dst + lo).update(from: src + lo + offX, count: hi - lo) }
                } else if let polyphase, hi > lo {
                    // Input column s*ox + offX is column ox + shift of phase offX mod s: a plain copy.
                    let phase = ((offX % g.stride) + g.stride) % g.stride
                    let shift = (offX - phase) / g.stride
                    (dst + lo).update(from: polyphase.row(phase: phase, channel: c, row: iy) + lo + shift, count: hi - lo)
                } else {
                    let s = g.stride
                    for ox in lo..<hi { dst[ox] = src[ox * s + offX] }
                }
                dst += g.outW
            }
        }
    }
}

/// The adjoint of im2col: adds cols[K, T] of output rows rowStart..<rowEnd back
/// into `input` [channels, inH, inW] (reflected taps add into their mirror).
func col2im(_ g: TapGeometry, cols: UnsafePointer<Float>, rowStart: Int, rowEnd: Int,
            input: UnsafeMutablePointer<Float>) {
    let bandRows = rowEnd - rowStart
    let t = bandRows * g.outW
    let ty = g.offsetsY.count, tx = g.offsetsX.count
    let planeSize = g.inH * g.inW
    // Split by channel: each thread owns whole input planes, so no two add to one place.
    Parallel.forRanges(g.channels, costPerItem: t * ty * tx, minimumWork: 1 << 16) { cRange in
        for c in cRange {
            let plane = input + c * planeSize
            for a in 0..<ty {
                for b in 0..<tx {
                    let k = (c * ty + a) * tx + b
                    let offY = g.offsetsY[a], offX = g.offsetsX[b]
                    let (lo, hi) = g.validColumns(offX)
                    var src = cols + k * t
                    for oy in rowStart..<rowEnd {
                        var iy = oy * g.stride + offY
                        if iy < 0 || iy >= g.inH {
                            if !g.reflect { src += g.outW; continue }
                            iy = g.mirror(iy, g.inH)
                        }
                        let dst = plane + iy * g.inW
                        if g.reflect {
                            for ox in 0..<lo { dst[g.mirror(ox * g.stride + offX, g.inW)] += src[ox] }
                            for ox in hi..<g.outW { dst[g.mirror(ox * g.stride + offX, g.inW)] += src[ox] }
                        }
                        if g.stride == 1 {
                            let d = dst + offX
                            for ox in lo..<hi { d[ox] += src[ox] }
                        } else {
                            let s = g.stride
                            for ox in lo..<hi { dst[ox * s + offX] += src[ox] }
                        }
                        src += g.outW
                    }
                }
            }
        }
    }
}

/// One image's rows split by column phase for a strided convolution: phase p
/// holds columns p, p + s, p + 2s, ... of every row, so each tap's strided
/// gather in im2col becomes a contiguous copy. Built once per image (one
/// gather per input value instead of one per tap).
struct PolyphaseRows {
    let base: UnsafeMutablePointer<Float>
    let stride: Int
    let channels: Int, height: Int
    /// Floats per phase row (columns of phase 0, the widest).
    let width: Int

    static func floats(_ g: TapGeometry) -> Int {
        g.stride * g.channels * g.inH * ((g.inW + g.stride - 1) / g.stride)
    }

    /// Splits `image` [channels, inH, inW] into `buffer` (at least `floats(g)` long).
    init(_ g: TapGeometry, image: UnsafePointer<Float>, buffer: UnsafeMutablePointer<Float>) {
        base = buffer
        stride = g.stride
        channels = g.channels
        height = g.inH
        width = (g.inW + g.stride - 1) / g.stride
        let (s, w, inW, rows) = (stride, width, g.inW, g.channels * g.inH)
        let phaseFloats = rows * w
        Parallel.forRanges(rows, costPerItem: inW, minimumWork: Parallel.memoryBoundMinimum) { range in
            for r in range {
                let src = image + r * inW
                for p in 0..<s {
                    let dst = buffer + p * phaseFloats + r * w
                    let count = (inW - p + s - 1) / s
                    for j in 0..<count { dst[j] = src[s * j + p] }
                }
            }
        }
    }

    @inline(__always)
    func row(phase: Int, channel: Int, row: Int) -> UnsafePointer<Float> {
        UnsafePointer(base + ((phase * channels + channel) * height + row) * width)
    }
}
