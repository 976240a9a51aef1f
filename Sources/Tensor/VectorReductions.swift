/// Sums written with explicit SIMD accumulators: LLVM will not reorder a Float
/// reduction loop on its own (it would change rounding), so a plain loop runs
/// one add at a time. Blocks of 1024 are summed in Float (two SIMD8 chains),
/// blocks are added in Double: accurate for planes of millions of values.
enum VectorReductions {
    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Runs `block(start, end)` over blocks of at most 1024 and adds the results in Double.
    @inline(__always)
    static func blocked(_ n: Int, _ block: (Int, Int) -> Float) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = Swift.min(n, i + 1024)
            total += Double(block(i, end))
            i = end
        }
        return total
    }

    /// sum of p[0..<n]
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
        blocked(n) { start, end in
            var a = SIMD8<Float>(), b = SIMD8<Float>()
            var j = start
            while j + 16 <= end { a += load8(p + j); b += load8(p + j + 8); j += 16 }
            var s = (a + b).sum()
            while j < end { s += p[j]; j += 1 }
            return s
        }
    }

    /// sum of ((p - hi) - lo)^2
    static func squaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, hi: Float, lo: Float) -> Double {
        let h = SIMD8<Float>(repeating: hi), l = SIMD8<Float>(repeating: lo)
        return blocked(n) { start, end in
            var a = SIMD8<Float>(), b = SIMD8<Float>()
            var j = start
            while j + 16 <= end {
                let d0 = (load8(p + j) - h) - l, d1 = (load8(p + j + 8) - h) - l
                a += d0 * d0; b += d1 * d1
                j += 16
            }
            var s = (a + b).sum()
            while j < end { let d = (p[j] - hi) - lo; s += d * d; j += 1 }
            return s
        }
    }

    /// (sum of g, sum of g * ((x - hi) - lo) * inv): the two sums of a normalisation backward.
    static func gradientSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int,
                             hi: Float, lo: Float, inv: Float) -> (Double, Double) {
        let h = SIMD8<Float>(repeating: hi), l = SIMD8<Float>(repeating: lo), k = SIMD8<Float>(repeating: inv)
        var totalG: Double = 0
        let totalGX = blocked(n) { start, end in
            var a = SIMD8<Float>(), b = SIMD8<Float>()
            var j = start
            while j + 8 <= end {
                let gv = load8(g + j)
                a += gv
                b += gv * (((load8(x + j) - h) - l) * k)
                j += 8
            }
            var sa = a.sum(), sb = b.sum()
            while j < end { sa += g[j]; sb += g[j] * (((x[j] - hi) - lo) * inv); j += 1 }
            totalG += Double(sa)
            return sb
        }
        return (totalG, totalGX)
    }
}
