import Foundation

/// Stride-1 convolutions with few output channels (the 64->3 image heads, the
/// per-class 7x7 heads of LGGAN). A GEMM with M = 3 rows runs at 5-20 GFLOP/s
/// in every BLAS, so the taps go into M instead:
///   Z[(co, a, b), pixel] = sum_c W[co, c, a, b] * x[c, pixel]   (M = Cout*kH*kW, K = Cin,
///                                                                no im2col: B is x itself)
///   out[co, y, x] = sum_(a, b) Z[(co, a, b), y + offY[a], x + offX[b]]   (a shift-add)
/// Zero or reflect padding is applied in the shift-add. Backward builds the
/// adjoint shift gZ once and gets both gradients from it with two GEMMs.
/// Measured against a register-blocked direct kernel (SIMD8, 4 output channels
/// per pass) on 64->3 at 256x256, one thread: forward 2.9 vs 8.6 ms (3x3) and
/// 9.9 vs 42 ms (7x7 reflect); backward 3-5x faster. So no direct kernel remains.
enum TapConvolution {
    static let maxOutputChannels = 8
    /// Floats of Z per band (plus the halo rows every band recomputes).
    static let bandBudget = 1 << 18

    static func applies(_ g: TapGeometry, outChannels: Int) -> Bool {
        outChannels <= maxOutputChannels && g.stride == 1 && !g.isIdentity
            && isConsecutive(g.offsetsY) && isConsecutive(g.offsetsX)
    }

    static func isConsecutive(_ offsets: [Int]) -> Bool {
        zip(offsets, offsets.dropFirst()).allSatisfy { $1 == $0 + 1 }
    }

    /// Weights as [(co, a, b), c]: the A operand of the tap GEMM.
    static func tapMajorWeights(_ weight: UnsafePointer<Float>, cout: Int, cin: Int, taps: Int) -> [Float] {
        var w = [Float](repeating: 0, count: cout * taps * cin)
        for co in 0..<cout {
            for c in 0..<cin {
                for t in 0..<taps { w[(co * taps + t) * cin + c] = weight[(co * cin + c) * taps + t] }
            }
        }
        return w
    }

    /// Output rows per band: at least 4 kernel heights (halo overhead <= 25%)
    /// and 512 GEMM columns, otherwise about `bandBudget` floats of Z.
    static func bandRows(_ g: TapGeometry, m: Int) -> Int {
        let fromBudget = bandBudget / Swift.max(1, m * g.inW)
        let fromHalo = 4 * (g.offsetsY.count - 1)
        let fromWidth = (ConvTuning.minimumColumns + g.inW - 1) / g.inW
        let rows = Swift.max(1, Swift.max(fromBudget, Swift.max(fromHalo, fromWidth)))
        let bands = (g.outH + Swift.min(rows, g.outH) - 1) / Swift.min(rows, g.outH)
        return (g.outH + bands - 1) / bands
    }

    /// Input rows read by output rows r0..<r1 (after mirroring), as a closed range.
    static func sourceRows(_ g: TapGeometry, _ r0: Int, _ r1: Int) -> (Int, Int)? {
        var lo = Int.max, hi = Int.min
        for iy in (r0 + g.offsetsY.first!)...(r1 - 1 + g.offsetsY.last!) {
            var y = iy
            if y < 0 || y >= g.inH {
                if !g.reflect { continue }
                y = g.mirror(y, g.inH)
            }
            lo = Swift.min(lo, y); hi = Swift.max(hi, y)
        }
        return lo <= hi ? (lo, hi) : nil
    }

    static func forward(_ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                        outChannels cout: Int, out: UnsafeMutablePointer<Float>) {
        let ty = g.offsetsY.count, tx = g.offsetsX.count, taps = ty * tx
        let cin = g.channels, m = cout * taps
        let w = tapMajorWeights(weight, cout: cout, cin: cin, taps: taps)
        let band = bandRows(g, m: m)
        let bandsPerImage = (g.outH + band - 1) / band
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        w.withUnsafeBufferPointer { wb in
            let wt = wb.baseAddress!
            Parallel.tasks(batch * bandsPerImage, workPerTask: 2 * m * cin * (band + ty - 1) * g.inW) { task, scratch in
                let i = task / bandsPerImage
                let r0 = (task % bandsPerImage) * band, r1 = Swift.min(g.outH, r0 + band)
                let outImage = out + i * cout * outPlane
                for co in 0..<cout { (outImage + co * outPlane + r0 * g.outW).update(repeating: 0, count: (r1 - r0) * g.outW) }
                guard let (lo, hi) = sourceRows(g, r0, r1) else { return }
                let rows = hi - lo + 1, n = rows * g.inW
                let z = scratch.floats(m * n)
                sgemm(m: m, n: n, k: cin, a: wt, lda: cin, b: x + i * cin * inPlane + lo * g.inW, ldb: inPlane, c: z, ldc: n)
                for co in 0..<cout {
                    for oy in r0..<r1 {
                        let dst = outImage + co * outPlane + oy * g.outW
                        for a in 0..<ty {
                            var iy = oy + g.offsetsY[a]
                            if iy < 0 || iy >= g.inH {
                                if !g.reflect { continue }
                                iy = g.mirror(iy, g.inH)
                            }
                            for b in 0..<tx {
                                let zrow = z + (co * taps + a * tx + b) * n + (iy - lo) * g.inW
                                shiftAdd(g, dst: dst, row: zrow, offset: g.offsetsX[b])
                            }
                        }
                    }
                }
            }
        }
    }

    /// dst[ox] += row[ox + offset] over the output row, mirrored or skipped past the edges.
    @inline(__always)
    static func shiftAdd(_ g: TapGeometry, dst: UnsafeMutablePointer<Float>, row: UnsafePointer<Float>, offset: Int) {
        let (lo, hi) = g.validColumns(offset)
        let shifted = row + offset
        for ox in lo..<hi { dst[ox] += shifted[ox] }
        if g.reflect {
            for ox in 0..<lo { dst[ox] += row[g.mirror(ox + offset, g.inW)] }
            for ox in hi..<g.outW { dst[ox] += row[g.mirror(ox + offset, g.inW)] }
        }
    }

    /// Both gradients from one adjoint shift per band of input rows. gradInput,
    /// when given, is fully written; gradWeight, when given, is accumulated into.
    static func backward(_ gOut: UnsafePointer<Float>, x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry,
                         weight: UnsafePointer<Float>?, outChannels cout: Int,
                         gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?) {
        let ty = g.offsetsY.count, tx = g.offsetsX.count, taps = ty * tx
        let cin = g.channels, m = cout * taps
        check(gradInput == nil || weight != nil, "TapConvolution.backward: the input gradient needs the weights")
        let w = weight.map { tapMajorWeights($0, cout: cout, cin: cin, taps: taps) } ?? [0]
        // Bands of input rows this time: every input row's gradient comes from one band.
        let rowsPerBand = Swift.max(1, Swift.min(g.inH, Swift.max(bandBudget / Swift.max(1, m * g.inW),
                                                                    (ConvTuning.minimumColumns + g.inW - 1) / g.inW)))
        let bandsPerImage = (g.inH + rowsPerBand - 1) / rowsPerBand
        let tasks = batch * bandsPerImage
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let workers = Parallel.workers(tasks, workPerItem: 4 * m * cin * rowsPerBand * g.inW)
        let partials = ScratchBuffer()
        let partialBase = partials.floats(workers * m * cin)
        partialBase.update(repeating: 0, count: workers * m * cin)
        w.withUnsafeBufferPointer { wb in
            let wt = wb.baseAddress!
            Parallel.workerRanges(tasks, workers: workers) { worker, range in
                let scratch = ScratchBuffer()
                for task in range {
                    let i = task / bandsPerImage
                    let y0 = (task % bandsPerImage) * rowsPerBand, y1 = Swift.min(g.inH, y0 + rowsPerBand)
                    let n = (y1 - y0) * g.inW
                    let gz = scratch.floats(m * n)
                    gz.update(repeating: 0, count: m * n)
                    for co in 0..<cout {
                        let gImage = gOut + (i * cout + co) * outPlane
                        for a in 0..<ty {
                            for oy in 0..<g.outH {
                                var iy = oy + g.offsetsY[a]
                                if iy < 0 || iy >= g.inH {
                                    if !g.reflect { continue }
                                    iy = g.mirror(iy, g.inH)
                                }
                                guard iy >= y0 && iy < y1 else { continue }
                                let grow = gImage + oy * g.outW
                                for b in 0..<tx {
                                    let zrow = gz + (co * taps + a * tx + b) * n + (iy - y0) * g.inW
                                    let off = g.offsetsX[b]
                                    let (lo, hi) = g.validColumns(off)
                                    let shifted = zrow + off
                                    for ox in lo..<hi { shifted[ox] += grow[ox] }
                                    if g.reflect {
                                        for ox in 0..<lo { zrow[g.mirror(ox + off, g.inW)] += grow[ox] }
                                        for ox in hi..<g.outW { zrow[g.mirror(ox + off, g.inW)] += grow[ox] }
                                    }
                                }
                            }
                        }
                    }
                    if let gradInput {
                        sgemm(transA: true, m: cin, n: n, k: m, a: wt, lda: cin, b: gz, ldb: n,
                              c: gradInput + i * cin * inPlane + y0 * g.inW, ldc: inPlane)
                    }
                    if gradWeight != nil {
                        sgemm(transB: true, m: m, n: cin, k: n, a: gz, lda: n, b: x + i * cin * inPlane + y0 * g.inW,
                              ldb: inPlane, beta: 1, c: partialBase + worker * m * cin, ldc: cin)
                    }
                }
            }
        }
        if let gradWeight {
            for worker in 0..<workers {
                let p = partialBase + worker * m * cin
                for co in 0..<cout {
                    for c in 0..<cin {
                        for t in 0..<taps { gradWeight[(co * cin + c) * taps + t] += p[(co * taps + t) * cin + c] }
                    }
                }
            }
        }
    }
}
