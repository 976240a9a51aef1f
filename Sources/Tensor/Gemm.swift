import CBLAS

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, with
/// op(A) M x K and op(B) K x N. A thin, named wrapper over cblas_sgemm.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        if beta == 0 {
            for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        } else if beta != 1 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
        }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Adds bias[c] to every element of plane c of each image in [N, C, plane].
func addChannelBias(_ out: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                    batch: Int, channels: Int, planeSize: Int) {
    Parallel.forEach(batch * channels, costPerItem: planeSize, minimumWork: Parallel.memoryBoundMinimum) { nc in
        let b = bias[nc % channels]
        let p = out + nc * planeSize
        for i in 0..<planeSize { p[i] += b }
    }
}

/// grad of a per-channel bias: sums of each channel's planes over the batch.
func channelSums(_ g: UnsafePointer<Float>, batch: Int, channels: Int, planeSize: Int) -> Tensor {
    let out = Tensor.zeros([channels])
    let dst = out.data
    Parallel.forEach(channels, costPerItem: batch * planeSize, minimumWork: Parallel.memoryBoundMinimum) { c in
        var total: Double = 0
        for n in 0..<batch { total += VectorReductions.sum(g + (n * channels + c) * planeSize, planeSize) }
        dst[c] = Float(total)
    }
    return out
}
