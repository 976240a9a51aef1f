/// Sums and means, over everything or over chosen axes.
extension Tensor {
    /// Sum of all elements, shape [].
    public func sum() -> Tensor {
        // Blocks summed in Float, blocks in Double: a loss over a million pixels keeps Float precision.
        let total = VectorReductions.sum(data, count)
        let out = Tensor(scalar: Float(total))
        let original = shape
        return Tensor.record(out, op: .sum, inputs: [self]) { g in [Tensor(shape: original, repeating: g.scalar)] }
    }

    /// Mean of all elements, shape [].
    public func mean() -> Tensor {
        sum() * (1 / Float(Swift.max(count, 1)))
    }

    /// Sums over `axes`; kept as size-1 dimensions when `keepDims`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        var kept = shape
        for a in axes {
            check(a >= 0 && a < rank, "sum axis \(a) for shape \(shape)")
            kept[a] = 1
        }
        let reduced = GradMode.withoutGrad { reduceToShape(self.detach(), kept) }
        let out = reduced.storage === storage ? reduced.copy() : reduced
        let original = shape
        let result = Tensor.record(out, op: .sum, inputs: [self]) { g in [g.broadcast(to: original)] }
        if keepDims { return result }
        let squeezed = kept.enumerated().filter { !axes.contains($0.offset) }.map { $0.element }
        return result.reshaped(squeezed)
    }

    /// Means over `axes`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = axes.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }
}

extension Tensor {
    /// Index of the largest value along `axis` (class predictions from logits
    /// [N, C, H, W] with axis 1), row-major over the other dimensions. Not differentiable.
    public func argmax(axis: Int = 1) -> [Int] {
        check(axis >= 0 && axis < rank, "argmax axis \(axis) for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var result = [Int](repeating: 0, count: outer * inner)
        let p = data
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                var bestValue = p[o * size * inner + i]
                for k in 1..<Swift.max(size, 1) where p[(o * size + k) * inner + i] > bestValue {
                    best = k
                    bestValue = p[(o * size + k) * inner + i]
                }
                result[o * inner + i] = best
            }
        }
        return result
    }
}
