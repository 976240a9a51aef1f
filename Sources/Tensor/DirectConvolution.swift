import Foundation

/// Convolutions with very few output channels (the 64->3 image heads) reach only
/// a few GFLOP/s through GEMM (M = 3). This kernel instead keeps the 1-4 output
/// rows in registers and streams padded input rows: stride 1, any padding mode.
enum DirectConvolution {
    static let maxOutputChannels = 4
    /// Floats of padded input per band.
    static let bandBudget = 1 << 17

    static func applies(_ g: TapGeometry, outChannels: Int) -> Bool {
        outChannels <= maxOutputChannels && g.stride == 1 && !g.isIdentity
            && isConsecutive(g.offsetsY) && isConsecutive(g.offsetsX)
    }

    static func isConsecutive(_ offsets: [Int]) -> Bool {
        zip(offsets, offsets.dropFirst()).allSatisfy { $1 == $0 + 1 }
    }

    /// Copies rows y0..<y1 of the virtually padded plane (input row y + offsetsY[0],
    /// column x + offsetsX[0]) into dst with row length paddedW.
    @inline(__always)
    static func padRows(_ g: TapGeometry, plane: UnsafePointer<Float>, y0: Int, y1: Int, paddedW: Int,
                        dst: UnsafeMutablePointer<Float>) {
        let oy = g.offsetsY[0], ox = g.offsetsX[0]
        let lo = Swift.min(paddedW, Swift.max(0, -ox))
        let hi = Swift.max(lo, Swift.min(paddedW, g.inW - ox))
        for y in y0..<y1 {
            let d = dst + (y - y0) * paddedW
            var iy = y + oy
            if iy < 0 || iy >= g.inH {
                if !g.reflect { d.update(repeating: 0, count: paddedW); continue }
                iy = g.mirror(iy, g.inH)
            }
            let src = plane + iy * g.inW
            if g.reflect {
                for x in 0..<lo { d[x] = src[g.mirror(x + ox, g.inW)] }
                for x in hi..<paddedW { d[x] = src[g.mirror(x + ox, g.inW)] }
            } else {
                for x in 0..<lo { d[x] = 0 }
                for x in hi..<paddedW { d[x] = 0 }
            }
            if hi > lo { (d + lo).update(from: src + lo + ox, count: hi - lo) }
        }
    }

    static func forward(_ x: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                        outChannels cout: Int, out: UnsafeMutablePointer<Float>) {
        let ty = g.offsetsY.count, tx = g.offsetsX.count
        let cin = g.channels
        let paddedW = g.outW + tx - 1
        // Weights packed as [ci][a][b][4] so each tap loads one SIMD4 of output-channel weights.
        let taps = cin * ty * tx
        var packed = [Float](repeating: 0, count: taps * 4)
        for co in 0..<cout {
            for t in 0..<taps { packed[t * 4 + co] = weight[co * taps + t] }
        }
        let bandRows = Swift.max(1, Swift.min(g.outH, bandBudget / Swift.max(1, cin * paddedW) - (ty - 1)))
        let bandsPerImage = (g.outH + bandRows - 1) / bandRows
        let inPlane = cin * g.inH * g.inW
        let outPlane = g.outH * g.outW
        packed.withUnsafeBufferPointer { wp in
            let wBase = wp.baseAddress!
            Parallel.forRanges(batch * bandsPerImage, costPerItem: taps * bandRows * g.outW * cout, minimumWork: 1 << 16) { tasks in
                let scratch = ScratchBuffer()
                let padded = scratch.floats(cin * (bandRows + ty - 1) * paddedW)
                for task in tasks {
                    let n = task / bandsPerImage
                    let r0 = (task % bandsPerImage) * bandRows
                    let r1 = Swift.min(g.outH, r0 + bandRows)
                    let rowsIn = r1 - r0 + ty - 1
                    let chStride = rowsIn * paddedW
                    for c in 0..<cin {
                        padRows(g, plane: x + n * inPlane + c * g.inH * g.inW, y0: r0, y1: r0 + rowsIn,
                                paddedW: paddedW, dst: padded + c * chStride)
                    }
                    let outBase = out + n * cout * outPlane
                    for oy in r0..<r1 {
                        let rowBase = padded + (oy - r0) * paddedW
                        var ox = 0
                        while ox + 8 <= g.outW {
                            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                            var wt = wBase
                            for c in 0..<cin {
                                let chBase = rowBase + c * chStride + ox
                                for a in 0..<ty {
                                    let r = chBase + a * paddedW
                                    for b in 0..<tx {
                                        let p = UnsafeRawPointer(r + b).loadUnaligned(as: SIMD8<Float>.self)
                                        a0 += wt[0] * p; a1 += wt[1] * p; a2 += wt[2] * p; a3 += wt[3] * p
                                        wt += 4
                                    }
                                }
                            }
                            let o = outBase + oy * g.outW + ox
                            store8(a0, o)
                            if cout > 1 { store8(a1, o + outPlane) }
                            if cout > 2 { store8(a2, o + 2 * outPlane) }
                            if cout > 3 { store8(a3, o + 3 * outPlane) }
                            ox += 8
                        }
                        while ox < g.outW {
                            var acc: (Float, Float, Float, Float) = (0, 0, 0, 0)
                            var wt = wBase
                            for c in 0..<cin {
                                for a in 0..<ty {
                                    let r = rowBase + c * chStride + a * paddedW + ox
                                    for b in 0..<tx {
                                        let p = r[b]
                                        acc.0 += wt[0] * p; acc.1 += wt[1] * p; acc.2 += wt[2] * p; acc.3 += wt[3] * p
                                        wt += 4
                                    }
                                }
                            }
                            let o = outBase + oy * g.outW + ox
                            o[0] = acc.0
                            if cout > 1 { o[outPlane] = acc.1 }
                            if cout > 2 { o[2 * outPlane] = acc.2 }
                            if cout > 3 { o[3 * outPlane] = acc.3 }
                            ox += 1
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// gradInput += adjoint of forward: each input channel's padded-plane gradient
    /// is a full correlation of the few gradient planes with the flipped kernel,
    /// then folded back (cropped for zeros, mirrored for reflect).
    static func backwardData(_ gOut: UnsafePointer<Float>, batch: Int, _ g: TapGeometry, weight: UnsafePointer<Float>,
                             outChannels cout: Int, gradInput: UnsafeMutablePointer<Float>) {
        let ty = g.offsetsY.count, tx = g.offsetsX.count
        let cin = g.channels
        let paddedH = g.outH + ty - 1, paddedW = g.outW + tx - 1
        let gpH = g.outH + 2 * (ty - 1), gpW = g.outW + 2 * (tx - 1)
        let outPlane = g.outH * g.outW
        let taps = ty * tx
        for n in 0..<batch {
            // Zero-bordered copies of the gradient planes, so every tap reads in range.
            let gp = [Float](unsafeUninitializedCapacity: cout * gpH * gpW) { buf, count in
                buf.initialize(repeating: 0)
                for co in 0..<cout {
                    for y in 0..<g.outH {
                        let src = gOut + (n * cout + co) * outPlane + y * g.outW
                        let dst = buf.baseAddress! + co * gpH * gpW + (y + ty - 1) * gpW + (tx - 1)
                        dst.update(from: src, count: g.outW)
                    }
                }
                count = cout * gpH * gpW
            }
            gp.withUnsafeBufferPointer { gpb in
                let gpBase = gpb.baseAddress!
                Parallel.forRanges(cin, costPerItem: cout * taps * paddedH * paddedW, minimumWork: 1 << 16) { cRange in
                    let scratch = ScratchBuffer()
                    let plane = scratch.floats(paddedH * paddedW)
                    for c in cRange {
                        for py in 0..<paddedH {
                            var px = 0
                            while px < paddedW {
                                let width = Swift.min(8, paddedW - px)
                                if width == 8 {
                                    var acc = SIMD8<Float>()
                                    for co in 0..<cout {
                                        let wc = weight + (co * cin + c) * taps
                                        let planeG = gpBase + co * gpH * gpW
                                        for a in 0..<ty {
                                            let row = planeG + (py - a + ty - 1) * gpW + px + tx - 1
                                            for b in 0..<tx {
                                                acc += wc[a * tx + b] * UnsafeRawPointer(row - b).loadUnaligned(as: SIMD8<Float>.self)
                                            }
                                        }
                                    }
                                    store8(acc, plane + py * paddedW + px)
                                } else {
                                    for x in px..<paddedW {
                                        var acc: Float = 0
                                        for co in 0..<cout {
                                            let wc = weight + (co * cin + c) * taps
                                            let planeG = gpBase + co * gpH * gpW
                                            for a in 0..<ty {
                                                let row = planeG + (py - a + ty - 1) * gpW + x + tx - 1
                                                for b in 0..<tx { acc += wc[a * tx + b] * row[-b] }
                                            }
                                        }
                                        plane[py * paddedW + x] = acc
                                    }
                                }
                                px += width
                            }
                        }
                        fold(g, padded: plane, paddedH: paddedH, paddedW: paddedW,
                             into: gradInput + (n * cin + c) * g.inH * g.inW)
                    }
                }
            }
        }
    }

    /// Adds a padded-plane gradient into the input plane it was read from.
    static func fold(_ g: TapGeometry, padded: UnsafePointer<Float>, paddedH: Int, paddedW: Int,
                     into plane: UnsafeMutablePointer<Float>) {
        let oy = g.offsetsY[0], ox = g.offsetsX[0]
        for y in 0..<paddedH {
            var iy = y + oy
            if iy < 0 || iy >= g.inH {
                if !g.reflect { continue }
                iy = g.mirror(iy, g.inH)
            }
            let src = padded + y * paddedW
            let dst = plane + iy * g.inW
            for x in 0..<paddedW {
                var ix = x + ox
                if ix < 0 || ix >= g.inW {
                    if !g.reflect { continue }
                    ix = g.mirror(ix, g.inW)
                }
                dst[ix] += src[x]
            }
        }
    }

    /// gradWeight[co, c, a, b] += sum over images and pixels of gradOut[co] times
    /// the padded input of channel c shifted by (a, b). Threads own input channels.
    static func backwardWeight(_ x: UnsafePointer<Float>, gradOutput gOut: UnsafePointer<Float>, batch: Int,
                               _ g: TapGeometry, outChannels cout: Int, gradWeight: UnsafeMutablePointer<Float>) {
        let ty = g.offsetsY.count, tx = g.offsetsX.count
        let cin = g.channels
        let paddedH = g.outH + ty - 1, paddedW = g.outW + tx - 1
        let outPlane = g.outH * g.outW
        let taps = ty * tx
        Parallel.forRanges(cin, costPerItem: batch * cout * taps * outPlane, minimumWork: 1 << 16) { cRange in
            let scratch = ScratchBuffer()
            let plane = scratch.floats(paddedH * paddedW)
            var sums = [Double](repeating: 0, count: cout * taps)
            for c in cRange {
                for i in sums.indices { sums[i] = 0 }
                for n in 0..<batch {
                    padRows(g, plane: x + (n * cin + c) * g.inH * g.inW, y0: 0, y1: paddedH, paddedW: paddedW, dst: plane)
                    for co in 0..<cout {
                        let gPlane = gOut + (n * cout + co) * outPlane
                        for a in 0..<ty {
                            for b in 0..<tx {
                                var total: Float = 0
                                for oy in 0..<g.outH {
                                    let gr = gPlane + oy * g.outW
                                    let pr = plane + (oy + a) * paddedW + b
                                    var acc = SIMD8<Float>()
                                    var ox = 0
                                    while ox + 8 <= g.outW {
                                        acc += UnsafeRawPointer(gr + ox).loadUnaligned(as: SIMD8<Float>.self)
                                            * UnsafeRawPointer(pr + ox).loadUnaligned(as: SIMD8<Float>.self)
                                        ox += 8
                                    }
                                    var rowSum = acc.sum()
                                    while ox < g.outW { rowSum += gr[ox] * pr[ox]; ox += 1 }
                                    total += rowSum
                                }
                                sums[co * taps + a * tx + b] += Double(total)
                            }
                        }
                    }
                }
                for co in 0..<cout {
                    for t in 0..<taps { gradWeight[(co * cin + c) * taps + t] += Float(sums[co * taps + t]) }
                }
            }
        }
    }
}
