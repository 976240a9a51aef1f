import Foundation

/// Spectral normalisation (Miyato et al. 2018, as torch.nn.utils.spectral_norm):
/// returns weight / sigma, with sigma = u^T W v estimated by power iteration on
/// W viewed as [out, rest]. `u` [out] and `v` [rest] are the saved iteration
/// state (buffers saved with the weights); in training each call runs
/// `powerIterations` steps and updates them in place. sigma's gradient flows
/// through W only (u and v are constants), as in PyTorch.
public func spectralNormalized(_ weight: Tensor, u: Tensor, v: Tensor, powerIterations: Int = 1,
                               training: Bool, epsilon: Float = 1e-12) -> Tensor {
    let rows = weight.shape[0]
    let cols = weight.count / Swift.max(rows, 1)
    check(u.count == rows && v.count == cols, "spectralNormalized: u \(u.shape), v \(v.shape) for weight \(weight.shape)")
    let w = weight.data, up = u.data, vp = v.data
    func normalize(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        var s: Double = 0
        for i in 0..<n { s += Double(p[i]) * Double(p[i]) }
        let r = Float(1 / Swift.max(s.squareRoot(), Double(epsilon)))
        for i in 0..<n { p[i] *= r }
    }
    if training {
        for _ in 0..<Swift.max(powerIterations, 0) {
            // v = normalize(W^T u); u = normalize(W v)
            sgemm(transA: true, m: cols, n: 1, k: rows, a: w, lda: cols, b: up, ldb: 1, c: vp, ldc: 1)
            normalize(vp, cols)
            sgemm(m: rows, n: 1, k: cols, a: w, lda: cols, b: vp, ldb: 1, c: up, ldc: 1)
            normalize(up, rows)
        }
        u.noteWritten()
        v.noteWritten()
    }
    var wv = [Float](repeating: 0, count: rows)
    wv.withUnsafeMutableBufferPointer { sgemm(m: rows, n: 1, k: cols, a: w, lda: cols, b: vp, ldb: 1, c: $0.baseAddress!, ldc: 1) }
    var sigmaD: Double = 0
    for i in 0..<rows { sigmaD += Double(up[i]) * Double(wv[i]) }
    let sigma = Float(sigmaD)
    let out = weight.scaled(1 / sigma)
    let result = out.storage === weight.storage ? out.copy() : out
    guard Tensor.needsGraph(weight) else { return result }
    let uSaved = u.copy(), vSaved = v.copy(), ws = weight.detach()
    return Tensor.record(result, op: .spectralNormalized, inputs: [weight]) { g in
        // d(W / sigma) = g / sigma - (sum g*W) / sigma^2 * u v^T
        var dot: Double = 0
        for i in 0..<ws.count { dot += Double(g.data[i]) * Double(ws.data[i]) }
        let k = Float(dot) / (sigma * sigma)
        let gw = Tensor.uninitialized(ws.shape)
        for r in 0..<rows {
            let ur = uSaved.data[r] * k
            for c in 0..<cols { gw.data[r * cols + c] = g.data[r * cols + c] / sigma - ur * vSaved.data[c] }
        }
        return [gw]
    }
}
