import Foundation

/// Reshape, concatenation and slicing along any axis, broadcasting to a shape.
extension Tensor {
    /// The same values with another shape (same element count); one dimension
    /// may be -1. Shares memory with `self`.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            check(known > 0 && count % known == 0, "reshape \(shape) to \(newShape)")
            target[unknown] = count / known
        }
        check(Tensor.elementCount(target) == count, "reshape \(shape) (\(count) elements) to \(newShape)")
        let out = Tensor(shape: target, storage: storage)
        let original = shape
        return Tensor.record(out, op: .reshaped, inputs: [self]) { g in [g.reshaped(original)] }
    }

    /// Flattens everything after the first dimension: [N, ...] -> [N, rest].
    public func flattened() -> Tensor { reshaped([shape[0], -1]) }

    /// Repeats values along size-1 dimensions to reach `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        check(BroadcastPlan.resultShape(shape, target) == target, "broadcast \(shape) to \(target)")
        let zero = Tensor.zeros([1])
        let plan = BroadcastPlan(out: target, a: shape, b: [1])
        let out = Tensor.uninitialized(target)
        broadcastBinary(.add, data, zero.data, out.data, plan)
        let original = shape
        return Tensor.record(out, op: .broadcast, inputs: [self]) { g in [reduceToShape(g, original)] }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int = 1) -> Tensor {
        check(!parts.isEmpty, "concat of nothing")
        let first = parts[0].shape
        check(axis >= 0 && axis < first.count, "concat axis \(axis) for shape \(first)")
        var total = 0
        for p in parts {
            check(p.rank == first.count && zip(p.shape, first).enumerated().allSatisfy { $0.offset == axis || $0.element.0 == $0.element.1 },
                  "concat along \(axis): \(p.shape) does not match \(first)")
            total += p.shape[axis]
        }
        var outShape = first
        outShape[axis] = total
        let outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        let out = Tensor.uninitialized(outShape)
        let rowOut = total * inner
        var offset = 0
        for p in parts {
            let rowIn = p.shape[axis] * inner
            let src = p.data, dst = out.data, off = offset
            Parallel.forEach(outer, costPerItem: rowIn, minimumWork: Parallel.memoryBoundMinimum) { o in
                (dst + o * rowOut + off).update(from: src + o * rowIn, count: rowIn)
            }
            offset += rowIn
        }
        guard needsGraph(parts) else { return out }
        let sizes = parts.map { $0.shape[axis] }
        return record(out, op: .concat, inputs: parts) { g in
            var start = 0
            return zip(parts, sizes).map { p, size in
                defer { start += size }
                return p.requiresGrad ? g.slice(axis: axis, start ..< start + size) : nil
            }
        }
    }

    package static func needsGraph(_ inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
    }

    /// Elements `range` along `axis` (e.g. channels 3..<6 of NCHW: axis 1).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        check(axis >= 0 && axis < rank, "slice axis \(axis) for shape \(shape)")
        check(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice \(range) of axis \(axis) with size \(shape[axis])")
        var outShape = shape
        outShape[axis] = range.count
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let rowIn = shape[axis] * inner, rowOut = range.count * inner
        let off = range.lowerBound * inner
        let out = Tensor.uninitialized(outShape)
        let src = data, dst = out.data
        Parallel.forEach(outer, costPerItem: rowOut, minimumWork: Parallel.memoryBoundMinimum) { o in
            (dst + o * rowOut).update(from: src + o * rowIn + off, count: rowOut)
        }
        guard Tensor.needsGraph(self) else { return out }
        let fullShape = shape
        return Tensor.record(out, op: .slice, inputs: [self]) { g in
            let full = Tensor.zeros(fullShape)
            let gs = g.data, fd = full.data
            for o in 0..<outer { (fd + o * rowIn + off).update(from: gs + o * rowOut, count: rowOut) }
            return [full]
        }
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        check(sizes.reduce(0, +) == shape[axis], "split sizes \(sizes) for axis \(axis) of \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: axis, start ..< start + size)
        }
    }
}
