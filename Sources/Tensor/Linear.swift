/// Matrix products: general 2-D matmul and the fully connected layer.

/// a [M, K] x b [K, N] (or transposed operands) -> [M, N].
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    check(a.rank == 2 && b.rank == 2, "matmul: \(a.shape) x \(b.shape) must be 2-D")
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
    check(k == kb, "matmul: inner sizes differ: \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")")
    let out = Tensor.uninitialized([m, n])
    sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, a: a.data, lda: a.shape[1],
          b: b.data, ldb: b.shape[1], c: out.data, ldc: n)
    guard Tensor.needsGraph(a, b) else { return out }
    let ad = a.detach(), bd = b.detach()
    return Tensor.record(out, op: .matmul, inputs: [a, b]) { g in
        var ga: Tensor?, gb: Tensor?
        if a.requiresGrad {
            // C = A B: dA = G B^T; with A^T stored, dA^T = B G^T.
            ga = transposeA ? matmul(bd, g, transposeA: transposeB, transposeB: true)
                            : matmul(g, bd, transposeA: false, transposeB: !transposeB)
        }
        if b.requiresGrad {
            gb = transposeB ? matmul(g, ad, transposeA: true, transposeB: transposeA)
                            : matmul(ad, g, transposeA: !transposeA, transposeB: false)
        }
        return [ga, gb]
    }
}

/// Fully connected layer: x [N, in] x weight [out, in]^T + bias [out] -> [N, out].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    check(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
          "linear: input \(x.shape) with weight \(weight.shape) (expects [N, \(weight.rank == 2 ? weight.shape[1] : 0)])")
    let y = matmul(x, weight, transposeB: true)
    guard let bias else { return y }
    check(bias.count == weight.shape[0], "linear: bias \(bias.shape) for \(weight.shape[0]) outputs")
    return y + bias.reshaped([1, weight.shape[0]])
}
