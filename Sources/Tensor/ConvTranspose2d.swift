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
                                 outH: outH, outW: outW, out: out.data)
    if let bias { addChannelBias(out.data, bias: bias.data, batch: n, channels: cout, planeSize: outH * outW) }
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    guard Tensor.needsGraph(inputs) else { return out }
    let xs = x.detach(), ws = weight.detach()
    // The adjoint geometry: an ordinary convolution over the output grid back to H x W.
    let adjoint = TapGeometry(channels: cout, inH: outH, inW: outW, outH: h, outW: w, stride: stride,
                              offsetsY: (0..<kh).map { $0 - padding }, offsetsX: (0..<kw).map { $0 - padding },
                              reflect: false)
    return Tensor.record(out, inputs: inputs) { g in
        var grads: [Tensor?] = [nil, nil]
        if x.requiresGrad {
            // d/dx is the plain convolution of the output gradient with the same weights.
            let gx = Tensor.uninitialized(x.shape)
            convolutionForward(g.data, batch: n, adjoint, weight: ws.data, outChannels: cin, out: gx.data)
            grads[0] = gx
        }
        if weight.requiresGrad {
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
                                  stride: Int, padding: Int, outH: Int, outW: Int, out: UnsafeMutablePointer<Float>) {
    let outPlane = outH * outW
    let inPlane = cin * inH * inW
    var cleared = false
    for py in 0..<stride {
        let rowPhase = TransposedPhase(phase: py, stride: stride, padding: padding, kernel: kh, outSize: outH)
        for px in 0..<stride {
            let colPhase = TransposedPhase(phase: px, stride: stride, padding: padding, kernel: kw, outSize: outW)
            guard rowPhase.count > 0, colPhase.count > 0 else { continue }
            if rowPhase.taps.isEmpty || colPhase.taps.isEmpty {
                if !cleared { out.update(repeating: 0, count: batch * cout * outPlane); cleared = true }
                continue
            }
            let geometry = TapGeometry(channels: cin, inH: inH, inW: inW, outH: rowPhase.count, outW: colPhase.count,
                                       stride: 1, offsetsY: rowPhase.offsets, offsetsX: colPhase.offsets, reflect: false)
            // Sub-kernel [Cout, Cin * ty * tx] in the (c, ty, tx) order of the columns.
            let ty = rowPhase.taps.count, tx = colPhase.taps.count
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
            let phasePlane = rowPhase.count * colPhase.count
            sub.withUnsafeBufferPointer { subW in
                if stride == 1 {
                    convolutionForward(x, batch: batch, geometry, weight: subW.baseAddress!, outChannels: cout, out: out)
                    return
                }
                let scratch = ScratchBuffer()
                let tmp = scratch.floats(cout * phasePlane)
                for i in 0..<batch {
                    convolutionForward(x + i * inPlane, batch: 1, geometry, weight: subW.baseAddress!,
                                       outChannels: cout, out: tmp)
                    let dstImage = out + i * cout * outPlane
                    Parallel.forEach(cout, costPerItem: phasePlane, minimumWork: 1 << 17) { co in
                        let src = tmp + co * phasePlane
                        let dst = dstImage + co * outPlane
                        for m in 0..<rowPhase.count {
                            let d = dst + (m * stride + py) * outW + px
                            let s = src + m * colPhase.count
                            for j in 0..<colPhase.count { d[j * stride] = s[j] }
                        }
                    }
                }
            }
        }
    }
}
