import Foundation

/// Transposed 2-D convolution (PyTorch ConvTranspose2d) of x [N, Cin, H, W] with
/// weight [Cin, Cout, kH, kW], optional bias [Cout]. Output size
/// (H - 1) * stride - 2 * padding + kH + outputPadding.
///
/// Computed without zero-stuffing: output pixels with the same position modulo
/// the stride form one phase, and each phase is an ordinary stride-1 convolution
/// of x with the kernel taps that land on it (for k3 s2 p1: 1, 2, 2 and 4 taps),
/// so no multiply-by-zero is ever done.
public func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0) -> Tensor {
    check(x.rank == 4 && weight.rank == 4, "convTranspose2d: input \(x.shape), weight \(weight.shape) must be 4-D")
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (wcin, cout, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    check(wcin == cin, "convTranspose2d: weight \(weight.shape) expects \(wcin) input channels, input \(x.shape) has \(cin)")
    check(stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
          "convTranspose2d: stride \(stride), padding \(padding), output padding \(outputPadding) (must be < stride)")
    let outH = (h - 1) * stride - 2 * padding + kh + outputPadding
    let outW = (w - 1) * stride - 2 * padding + kw + outputPadding
    check(outH > 0 && outW > 0, "convTranspose2d: empty output for input \(x.shape) and weight \(weight.shape)")
    if let bias { check(bias.count == cout, "convTranspose2d: bias \(bias.shape) for \(cout) output channels") }
    let out = Tensor.uninitialized([n, cout, outH, outW])
    transposedConvolutionForward(x.data, batch: n, inChannels: cin, inH: h, inW: w, weight: weight.data,
                                 outChannels: cout, kernelH: kh, kernelW: kw, stride: stride, padding: padding,
                                 outH: outH, outW: outW, bias: bias?.data, out: out.data)
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    guard Tensor.needsGraph(inputs) else { return out }
    let xs = x.detach(), ws = weight.detach()
    // The adjoint geometry: an ordinary convolution over the output grid back to H x W.
    let adjoint = TapGeometry(channels: cout, inH: outH, inW: outW, outH: h, outW: w, stride: stride,
                              offsetsY: (0..<kh).map { $0 - padding }, offsetsX: (0..<kw).map { $0 - padding },
                              reflect: false)
    return Tensor.record(out, op: .convTranspose2d, inputs: inputs) { g in
        var grads: [Tensor?] = [nil, nil]
        // (On oneDNN the two gradients are separate kernels, each faster than the shared columns.)
        if x.requiresGrad && weight.requiresGrad && !adjoint.isIdentity
            && !TapConvolution.applies(adjoint, outChannels: cin)
            && OneDNNConvolution.plan(adjoint, batch: n, outChannels: cin) == nil {
            // Both gradients read the same columns of the output gradient: build them once.
            let gx = Tensor.uninitialized(x.shape)
            let gw = Tensor.zeros(weight.shape)
            convolutionForwardAndWeightGradient(g.data, batch: n, adjoint, weight: ws.data, outChannels: cin,
                                                out: gx.data, gradOutput: xs.data, gradWeight: gw.data)
            grads = [gx, gw]
        } else if x.requiresGrad {
            // d/dx is the plain convolution of the output gradient with the same weights.
            let gx = Tensor.uninitialized(x.shape)
            convolutionForward(g.data, batch: n, adjoint, weight: ws.data, outChannels: cin, out: gx.data)
            grads[0] = gx
        }
        if weight.requiresGrad && grads[1] == nil {
            // weight is [Cin, Cout*k*k]: x[n] [Cin, HW] times columns(gradOut[n])^T.
            let gw = Tensor.zeros(weight.shape)
            convolutionBackwardWeight(g.data, gradOutput: xs.data, batch: n, adjoint, outChannels: cin,
                                      gradWeight: gw.data)
            grads[1] = gw
        }
        if let bias {
            grads.append(bias.requiresGrad ? channelSums(g.data, batch: n, channels: cout, planeSize: outH * outW) : nil)
        }
        return grads
    }
}

/// The phase decomposition: for output rows o = stride*m + phase, tap k lands
/// when (phase + padding - k) is a multiple of the stride, reading input row
/// m + (phase + padding - k) / stride.
struct TransposedPhase {
    let taps: [Int]
    let offsets: [Int]
    let count: Int

    init(phase: Int, stride: Int, padding: Int, kernel: Int, outSize: Int) {
        var taps: [Int] = [], offsets: [Int] = []
        // Descending k gives ascending input offsets (consecutive when stride divides evenly).
        for k in stride_k(kernel) where (phase + padding - k) % stride == 0 {
            taps.append(k)
            offsets.append((phase + padding - k) / stride)
        }
        self.taps = taps
        self.offsets = offsets
        count = outSize > phase ? (outSize - phase + stride - 1) / stride : 0
    }
}

private func stride_k(_ kernel: Int) -> [Int] { Array((0..<kernel).reversed()) }

func transposedConvolutionForward(_ x: UnsafePointer<Float>, batch: Int, inChannels cin: Int, inH: Int, inW: Int,
                                  weight: UnsafePointer<Float>, outChannels cout: Int, kernelH kh: Int, kernelW kw: Int,
                                  stride: Int, padding: Int, outH: Int, outW: Int, bias: UnsafePointer<Float>?,
                                  out: UnsafeMutablePointer<Float>) {
    let outPlane = outH * outW
    let inPlane = cin * inH * inW
    // Outputs no tap reaches (possible when padding exceeds the kernel's reach) stay at the bias.
    var coversAll = true
    for py in 0..<stride where stride > 1 {
        let rowPhase = TransposedPhase(phase: py, stride: stride, padding: padding, kernel: kh, outSize: outH)
        for px in 0..<stride {
            let colPhase = TransposedPhase(phase: px, stride: stride, padding: padding, kernel: kw, outSize: outW)
            if rowPhase.count > 0 && colPhase.count > 0 && (rowPhase.taps.isEmpty || colPhase.taps.isEmpty) { coversAll = false }
        }
    }
    if coversAll && stride > 1,
       transposedConvolutionOnOneDNN(x, batch: batch, inChannels: cin, inH: inH, inW: inW, weight: weight,
                                     outChannels: cout, kernelH: kh, kernelW: kw, stride: stride, padding: padding,
                                     outH: outH, outW: outW, bias: bias, out: out) {
        return
    }
    if !coversAll {
        for i in 0..<(batch * cout) { (out + i * outPlane).update(repeating: bias?[i % cout] ?? 0, count: outPlane) }
    }
    // Work items: (image, row phase, band of that phase's rows). Each computes
    // every column phase's GEMM for its band into task-local buffers and then
    // writes the band's whole output rows, interleaving the phases, while
    // everything is still in cache.
    struct RowPhasePlan {
        let py: Int
        let rows: Int
        let band: Int
        let columnPhases: [Int]
        let geometries: [TapGeometry]
        let kernels: [[Float]]
    }
    let colPhases = (0..<stride).map { TransposedPhase(phase: $0, stride: stride, padding: padding, kernel: kw, outSize: outW) }
    var plans: [RowPhasePlan] = []
    for py in 0..<stride {
        let rowPhase = TransposedPhase(phase: py, stride: stride, padding: padding, kernel: kh, outSize: outH)
        guard rowPhase.count > 0, !rowPhase.taps.isEmpty else { continue }
        let usable = (0..<stride).filter { colPhases[$0].count > 0 && !colPhases[$0].taps.isEmpty }
        guard !usable.isEmpty else { continue }
        let ty = rowPhase.taps.count
        // Sub-kernels [Cout, Cin * ty * tx] in the (c, ty, tx) order of the columns.
        let kernels: [[Float]] = usable.map { px in
            let colPhase = colPhases[px]
            let tx = colPhase.taps.count
            let k = cin * ty * tx
            var sub = [Float](repeating: 0, count: cout * k)
            for co in 0..<cout {
                for ci in 0..<cin {
                    for (a, ky) in rowPhase.taps.enumerated() {
                        for (b, kx) in colPhase.taps.enumerated() {
                            sub[co * k + (ci * ty + a) * tx + b] = weight[((ci * cout + co) * kh + ky) * kw + kx]
                        }
                    }
                }
            }
            return sub
        }
        let geometries = usable.map { px in
            TapGeometry(channels: cin, inH: inH, inW: inW, outH: rowPhase.count, outW: colPhases[px].count,
                        stride: 1, offsetsY: rowPhase.offsets, offsetsX: colPhases[px].offsets, reflect: false)
        }
        let widest = geometries.map { $0.rows * $0.outW }.max()!
        let narrowest = geometries.map { $0.outW }.min()!
        let band = Swift.max(1, Swift.min(rowPhase.count, Swift.max(ConvTuning.cacheBudget / Swift.max(1, widest),
                                                                     (ConvTuning.minimumColumns + narrowest - 1) / narrowest)))
        plans.append(RowPhasePlan(py: py, rows: rowPhase.count, band: band, columnPhases: usable,
                                  geometries: geometries, kernels: kernels))
    }
    var taskStarts: [Int] = [0]
    for plan in plans { taskStarts.append(taskStarts.last! + batch * ((plan.rows + plan.band - 1) / plan.band)) }
    let workPerTask = plans.map { plan in plan.geometries.map { 2 * cout * $0.rows * plan.band * $0.outW }.reduce(0, +) }.max() ?? 0
    Parallel.tasks(taskStarts.last!, workPerTask: workPerTask) { task, scratch in
        var p = 0
        while task >= taskStarts[p + 1] { p += 1 }
        let plan = plans[p]
        let bands = (plan.rows + plan.band - 1) / plan.band
        let local = task - taskStarts[p]
        let i = local / bands
        let m0 = (local % bands) * plan.band
        let m1 = Swift.min(plan.rows, m0 + plan.band)
        let image = x + i * inPlane
        // Scratch: columns for the widest phase, then one output block per column phase.
        let colsFloats = plan.geometries.map { $0.rows * plan.band * $0.outW }.max()!
        let blockFloats = plan.geometries.map { cout * plan.band * $0.outW }
        let base = scratch.floats(colsFloats + blockFloats.reduce(0, +))
        var blocks: [UnsafeMutablePointer<Float>] = []
        var offset = colsFloats
        for f in blockFloats { blocks.append(base + offset); offset += f }
        for (j, g) in plan.geometries.enumerated() {
            let t = (m1 - m0) * g.outW
            plan.kernels[j].withUnsafeBufferPointer { w in
                if g.isIdentity {
                    sgemm(m: cout, n: t, k: g.rows, a: w.baseAddress!, lda: g.rows, b: image + m0 * inW, ldb: inH * inW,
                          c: blocks[j], ldc: t)
                } else {
                    im2col(g, input: image, rowStart: m0, rowEnd: m1, cols: base)
                    sgemm(m: cout, n: t, k: g.rows, a: w.baseAddress!, lda: g.rows, b: base, ldb: t, c: blocks[j], ldc: t)
                }
            }
        }
        let dstImage = out + i * cout * outPlane
        let widths = plan.geometries.map { $0.outW }
        let pair = stride == 2 && plan.columnPhases == [0, 1]
        for co in 0..<cout {
            let b = bias?[co] ?? 0
            for m in m0..<m1 {
                let d = dstImage + co * outPlane + (m * stride + plan.py) * outW
                if pair {
                    let s0 = blocks[0] + (co * (m1 - m0) + m - m0) * widths[0]
                    let s1 = blocks[1] + (co * (m1 - m0) + m - m0) * widths[1]
                    let n1 = widths[1]
                    for q in 0..<n1 { d[2 * q] = s0[q] + b; d[2 * q + 1] = s1[q] + b }
                    if widths[0] > n1 { d[2 * n1] = s0[n1] + b }
                } else {
                    for (j, px) in plan.columnPhases.enumerated() {
                        let s = blocks[j] + (co * (m1 - m0) + m - m0) * widths[j]
                        for q in 0..<widths[j] { d[q * stride + px] = s[q] + b }
                    }
                }
            }
        }
    }
}

/// The same phase split on oneDNN: each (row phase, column phase) is a
/// stride-1 convolution with its own sub-kernel and asymmetric padding, run
/// batched into a phase buffer, then interleaved into the output (a pixel
/// shuffle) with the bias. oneDNN's own transposed convolution is slower
/// (measured, docs/benchmarks.md). False, with nothing written, when oneDNN
/// refuses any phase.
private func transposedConvolutionOnOneDNN(
    _ x: UnsafePointer<Float>, batch: Int, inChannels cin: Int, inH: Int, inW: Int, weight: UnsafePointer<Float>,
    outChannels cout: Int, kernelH kh: Int, kernelW kw: Int, stride: Int, padding: Int, outH: Int, outW: Int,
    bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>
) -> Bool {
    let rowPhases = (0..<stride).map { TransposedPhase(phase: $0, stride: stride, padding: padding, kernel: kh, outSize: outH) }
    let colPhases = (0..<stride).map { TransposedPhase(phase: $0, stride: stride, padding: padding, kernel: kw, outSize: outW) }
    struct Phase { let py, px: Int; let plan: OneDNNConvolution.Plan; let kernel: [Float] }
    var phases: [Phase] = []
    for (py, rowPhase) in rowPhases.enumerated() where rowPhase.count > 0 {
        for (px, colPhase) in colPhases.enumerated() where colPhase.count > 0 {
            let g = TapGeometry(channels: cin, inH: inH, inW: inW, outH: rowPhase.count, outW: colPhase.count,
                                stride: 1, offsetsY: rowPhase.offsets, offsetsX: colPhase.offsets, reflect: false)
            guard let plan = OneDNNConvolution.plan(g, batch: batch, outChannels: cout) else { return false }
            let (ty, tx) = (rowPhase.taps.count, colPhase.taps.count)
            // Sub-kernel [Cout, Cin, ty, tx] (OIHW) of the taps landing on this phase.
            var sub = [Float](repeating: 0, count: cout * cin * ty * tx)
            for co in 0..<cout {
                for ci in 0..<cin {
                    for (a, ky) in rowPhase.taps.enumerated() {
                        for (b, kx) in colPhase.taps.enumerated() {
                            sub[((co * cin + ci) * ty + a) * tx + b] = weight[((ci * cout + co) * kh + ky) * kw + kx]
                        }
                    }
                }
            }
            phases.append(Phase(py: py, px: px, plan: plan, kernel: sub))
        }
    }
    let sizes = phases.map { batch * cout * rowPhases[$0.py].count * colPhases[$0.px].count }
    let scratch = ScratchBuffer()
    let base = scratch.floats(sizes.reduce(0, +))
    var offset = 0
    var buffers: [UnsafeMutablePointer<Float>] = []
    for (phase, size) in zip(phases, sizes) {
        let buffer = base + offset
        offset += size
        let done = phase.kernel.withUnsafeBufferPointer {
            OneDNNConvolution.forward(phase.plan, x: x, weight: $0.baseAddress!, bias: nil, out: buffer, training: false)
        }
        guard done else { return false }
        buffers.append(buffer)
    }
    Parallel.forEach(batch * cout, costPerItem: outH * outW, minimumWork: Parallel.memoryBoundMinimum) { nc in
        let b = bias?[nc % cout] ?? 0
        let dst = out + nc * outH * outW
        for (phase, buffer) in zip(phases, buffers) {
            let rows = rowPhases[phase.py].count, cols = colPhases[phase.px].count
            let src = buffer + nc * rows * cols
            for m in 0..<rows {
                let d = dst + (m * stride + phase.py) * outW + phase.px
                let s = src + m * cols
                for q in 0..<cols { d[q * stride] = s[q] + b }
            }
        }
    }
    return true
}
