import Foundation

/// Elementwise functions with their derivatives. Each backward uses whichever of
/// input x or output y is cheaper to differentiate from (tanh and sigmoid from y).
extension Tensor {
    @inline(__always)
    func map(cost: Int = 1, _ f: (Float) -> Float) -> Tensor {
        let out = Tensor.uninitialized(shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, costPerItem: cost, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = f(src[i]) }
        }
        return out
    }

    /// out[i] = f(g[i], a[i], b[i]): the shape of every backward below.
    @inline(__always)
    static func zip3(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        let out = Tensor.uninitialized(g.shape)
        let pg = g.data, pa = a.data, pb = b.data, dst = out.data
        Parallel.forRanges(g.count, costPerItem: 2, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = f(pg[i], pa[i], pb[i]) }
        }
        return out
    }

    public func relu() -> Tensor {
        let out = map { $0 > 0 ? $0 : 0 }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .relu, inputs: [self]) { g in [Tensor.zip3(g, y, y) { g, y, _ in y > 0 ? g : 0 }] }
    }

    public func leakyRelu(slope: Float = 0.2) -> Tensor {
        let out = map { $0 > 0 ? $0 : slope * $0 }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .leakyRelu, inputs: [self]) { g in [Tensor.zip3(g, x, x) { g, x, _ in x > 0 ? g : slope * g }] }
    }

    public func tanh() -> Tensor {
        let out = map(cost: 4) { fastTanh($0) }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .tanh, inputs: [self]) { g in [Tensor.zip3(g, y, y) { g, y, _ in g * (1 - y * y) }] }
    }

    public func sigmoid() -> Tensor {
        let out = map(cost: 4) { fastSigmoid($0) }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .sigmoid, inputs: [self]) { g in [Tensor.zip3(g, y, y) { g, y, _ in g * y * (1 - y) }] }
    }

    public func abs() -> Tensor {
        let out = map { Swift.abs($0) }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .abs, inputs: [self]) { g in
            [Tensor.zip3(g, x, x) { g, x, _ in x > 0 ? g : (x < 0 ? -g : 0) }]
        }
    }

    public func exp() -> Tensor {
        let out = map(cost: 4) { FastMath.exp($0) }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .exp, inputs: [self]) { g in [Tensor.zip3(g, y, y) { g, y, _ in g * y }] }
    }

    /// Natural log (of positive values).
    public func log() -> Tensor {
        let out = map(cost: 4) { Foundation.log($0) }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .log, inputs: [self]) { g in [Tensor.zip3(g, x, x) { g, x, _ in g / x }] }
    }

    public func sqrt() -> Tensor {
        let out = map { $0.squareRoot() }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .sqrt, inputs: [self]) { g in [Tensor.zip3(g, y, y) { g, y, _ in g * 0.5 / y }] }
    }

    public func squared() -> Tensor {
        let out = map { $0 * $0 }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .squared, inputs: [self]) { g in [Tensor.zip3(g, x, x) { g, x, _ in 2 * g * x }] }
    }

    /// Values limited to [low, high]; the gradient is zero where clamped.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        let out = map { Swift.min(Swift.max($0, low), high) }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .clamped, inputs: [self]) { g in
            [Tensor.zip3(g, x, x) { g, x, _ in (x >= low && x <= high) ? g : 0 }]
        }
    }
}

@inline(__always)
func fastTanh(_ x: Float) -> Float { FastMath.tanh(x) }

@inline(__always)
func fastSigmoid(_ x: Float) -> Float { FastMath.sigmoid(x) }
