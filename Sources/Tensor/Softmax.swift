import Foundation

/// Softmax and log-softmax along one axis (axis 1 = channels of NCHW).
public func softmax(_ x: Tensor, axis: Int = 1) -> Tensor {
    softmaxAlongAxis(x, axis: axis, log: false)
}

public func logSoftmax(_ x: Tensor, axis: Int = 1) -> Tensor {
    softmaxAlongAxis(x, axis: axis, log: true)
}

/// Both functions share the forward pass and the walk over the (outer, inner)
/// columns in the backward pass; only the per-column gradient formula differs.
private func softmaxAlongAxis(_ x: Tensor, axis: Int, log: Bool) -> Tensor {
    let (out, outer, size, inner) = softmaxForward(x, axis: axis, log: log)
    guard Tensor.needsGraph(x) else { return out }
    let y = out.detach()
    return Tensor.record(out, op: (log ? .logSoftmax : .softmax), inputs: [x]) { g in
        let gx = Tensor.uninitialized(x.shape)
        let gp = g.data, yp = y.data, dp = gx.data
        Parallel.forEach(outer, costPerItem: size * inner * 2, minimumWork: 1 << 16) { o in
            let base = o * size * inner
            for i in 0..<inner {
                if log {
                    // y = log softmax: dx = g - softmax * sum_k g_k
                    var total: Float = 0
                    for k in 0..<size { total += gp[base + k * inner + i] }
                    for k in 0..<size { let j = base + k * inner + i; dp[j] = gp[j] - FastMath.exp(yp[j]) * total }
                } else {
                    // y = softmax: dx = y * (g - sum_k g_k y_k)
                    var dot: Float = 0
                    for k in 0..<size { let j = base + k * inner + i; dot += gp[j] * yp[j] }
                    for k in 0..<size { let j = base + k * inner + i; dp[j] = yp[j] * (gp[j] - dot) }
                }
            }
        }
        return [gx]
    }
}

/// Max-subtracted (log-)softmax; returns the output and the (outer, size, inner) split.
func softmaxForward(_ x: Tensor, axis: Int, log: Bool) -> (Tensor, Int, Int, Int) {
    check(axis >= 0 && axis < x.rank, "softmax axis \(axis) for shape \(x.shape)")
    let outer = x.shape[..<axis].reduce(1, *)
    let size = x.shape[axis]
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    let out = Tensor.uninitialized(x.shape)
    let src = x.data, dst = out.data
    Parallel.forEach(outer, costPerItem: size * inner * 4, minimumWork: 1 << 16) { o in
        let base = o * size * inner
        for i in 0..<inner {
            var m = -Float.infinity
            for k in 0..<size { m = Swift.max(m, src[base + k * inner + i]) }
            var total: Float = 0
            for k in 0..<size {
                let j = base + k * inner + i
                let e = FastMath.exp(src[j] - m)
                dst[j] = e
                total += e
            }
            if log {
                let logTotal = Foundation.log(total) + m
                for k in 0..<size { let j = base + k * inner + i; dst[j] = src[j] - logTotal }
            } else {
                let r = 1 / total
                for k in 0..<size { dst[base + k * inner + i] *= r }
            }
        }
    }
    return (out, outer, size, inner)
}
