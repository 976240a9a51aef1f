/// How two shapes combine elementwise (NumPy rules, aligned on the right), with
/// adjacent dimensions merged wherever both operands walk them contiguously, so
/// a per-channel map over NCHW becomes a loop over [N, C, H*W] with an inner
/// run of H*W at a fixed map value.
struct BroadcastPlan {
    let outShape: [Int]
    /// Merged loop extents, outermost first; the last one is the inner run.
    let dims: [Int]
    let stridesA: [Int]
    let stridesB: [Int]

    static func resultShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    init(_ a: [Int], _ b: [Int], op: String) {
        guard let out = BroadcastPlan.resultShape(a, b) else {
            fatalError("Tensor: \(op): shapes \(a) and \(b) do not broadcast")
        }
        self.init(out: out, a: a, b: b)
    }

    /// Plan for walking `out` with operands `a` and `b` broadcast to it.
    init(out: [Int], a: [Int], b: [Int]) {
        outShape = out
        let rank = out.count
        func strides(_ s: [Int]) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - s.count) + s
            var st = [Int](repeating: 0, count: rank)
            var acc = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                st[i] = padded[i] == 1 ? 0 : acc
                acc *= padded[i]
            }
            return st
        }
        let sa = strides(a), sb = strides(b)
        var d: [Int] = [], xa: [Int] = [], xb: [Int] = []
        for i in 0..<rank where out[i] != 1 {
            if let last = d.last, xa.last! == sa[i] * out[i], xb.last! == sb[i] * out[i] {
                d[d.count - 1] = last * out[i]
                xa[xa.count - 1] = sa[i]
                xb[xb.count - 1] = sb[i]
            } else {
                d.append(out[i]); xa.append(sa[i]); xb.append(sb[i])
            }
        }
        if d.isEmpty { d = [1]; xa = [0]; xb = [0] }
        dims = d; stridesA = xa; stridesB = xb
    }

    var innerCount: Int { dims.last! }
    var outerCount: Int { dims.dropLast().reduce(1, *) }

    /// Calls `row(outOffset, aOffset, bOffset)` for every inner run in `outer`
    /// (flat outer indices), walking the odometer incrementally.
    @inline(__always)
    func forEachRow(in outer: Range<Int>, _ row: (Int, Int, Int) -> Void) {
        let outerRank = dims.count - 1
        let inner = innerCount
        if outerRank == 0 {
            if !outer.isEmpty { row(0, 0, 0) }
            return
        }
        var index = [Int](repeating: 0, count: outerRank)
        var rest = outer.lowerBound
        var offA = 0, offB = 0
        for k in stride(from: outerRank - 1, through: 0, by: -1) {
            index[k] = rest % dims[k]
            rest /= dims[k]
            offA += index[k] * stridesA[k]
            offB += index[k] * stridesB[k]
        }
        for flat in outer {
            row(flat * inner, offA, offB)
            var k = outerRank - 1
            while k >= 0 {
                index[k] += 1
                offA += stridesA[k]
                offB += stridesB[k]
                if index[k] < dims[k] { break }
                offA -= stridesA[k] * dims[k]
                offB -= stridesB[k] * dims[k]
                index[k] = 0
                k -= 1
            }
        }
    }
}

enum BinaryKind { case add, sub, mul, div }

/// out = a (op) b with broadcasting; `out` has the plan's shape.
func broadcastBinary(_ kind: BinaryKind, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ out: UnsafeMutablePointer<Float>, _ plan: BroadcastPlan) {
    let inner = plan.innerCount
    let ia = plan.stridesA.last!, ib = plan.stridesB.last!
    @inline(__always) func run(_ po: UnsafeMutablePointer<Float>, _ pa: UnsafePointer<Float>, _ pb: UnsafePointer<Float>, _ n: Int) {
        switch kind {
        case .add: rowKernel(po, pa, ia, pb, ib, n) { $0 + $1 }
        case .sub: rowKernel(po, pa, ia, pb, ib, n) { $0 - $1 }
        case .mul: rowKernel(po, pa, ia, pb, ib, n) { $0 * $1 }
        case .div: rowKernel(po, pa, ia, pb, ib, n) { $0 / $1 }
        }
    }
    if plan.outerCount < 2 * Parallel.threads {
        // Few long rows (equal shapes merge into one): split each row instead.
        plan.forEachRow(in: 0..<plan.outerCount) { o, oa, ob in
            Parallel.forRanges(inner, minimumWork: Parallel.memoryBoundMinimum) { r in
                run(out + o + r.lowerBound, a + oa + (ia != 0 ? r.lowerBound : 0), b + ob + (ib != 0 ? r.lowerBound : 0), r.count)
            }
        }
        return
    }
    Parallel.forRanges(plan.outerCount, costPerItem: inner, minimumWork: Parallel.memoryBoundMinimum) { outer in
        plan.forEachRow(in: outer) { o, oa, ob in run(out + o, a + oa, b + ob, inner) }
    }
}

@inline(__always)
func rowKernel(_ o: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ sa: Int,
               _ b: UnsafePointer<Float>, _ sb: Int, _ n: Int, _ f: (Float, Float) -> Float) {
    if sa != 0 && sb != 0 {
        for i in 0..<n { o[i] = f(a[i], b[i]) }
    } else if sa != 0 {
        let bv = b[0]
        for i in 0..<n { o[i] = f(a[i], bv) }
    } else if sb != 0 {
        let av = a[0]
        for i in 0..<n { o[i] = f(av, b[i]) }
    } else {
        let v = f(a[0], b[0])
        for i in 0..<n { o[i] = v }
    }
}

/// Sums `source` (shape `from`) down to `to`, a shape that broadcasts to `from`:
/// the gradient of a broadcast. Returns `source` itself when nothing is summed.
func reduceToShape(_ source: Tensor, _ to: [Int]) -> Tensor {
    if source.shape == to { return source }
    if Tensor.elementCount(to) == source.count { return source.reshaped(to) }
    let result = Tensor.zeros(to)
    let plan = BroadcastPlan(out: source.shape, a: source.shape, b: to)
    let inner = plan.innerCount
    let ib = plan.stridesB.last!
    let src = source.data, dst = result.data
    // Sequential: several rows may add into the same destination.
    plan.forEachRow(in: 0..<plan.outerCount) { o, _, ob in
        let ps = src + o, pd = dst + ob
        if ib != 0 {
            for i in 0..<inner { pd[i] += ps[i] }
        } else {
            pd[0] += Float(VectorReductions.sum(ps, inner))
        }
    }
    return result
}
