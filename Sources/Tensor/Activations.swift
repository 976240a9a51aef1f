import Foundation

/// Elementwise functions with their derivatives. Each backward uses whichever of
/// input x or output y is cheaper to differentiate from (tanh and sigmoid from y).
extension Tensor {
    /// f applied to every value (see `ElementwiseFunction` for why f is a type).
    func map<F: ElementwiseFunction>(cost: Int = 1, _ f: F) -> Tensor {
        let out = Tensor.uninitialized(shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, costPerItem: cost, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = f(src[i]) }
        }
        return out
    }

    /// out[i] = rule(g[i], v[i]): the shape of every backward below.
    static func gradient<G: ElementwiseGradient>(_ g: Tensor, _ v: Tensor, _ rule: G) -> Tensor {
        let out = Tensor.uninitialized(g.shape)
        let pg = g.data, pv = v.data, dst = out.data
        Parallel.forRanges(g.count, costPerItem: 2, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = rule(pg[i], pv[i]) }
        }
        return out
    }

    public func relu() -> Tensor {
        if ChannelsLast.applies(self) {
            return OpProfile.measure("relu \(shape[1])ch @\(shape[2])x\(shape[3]) NHWC") { ChannelsLast.map(self, Relu()) }
        }
        let out = OpProfile.measure("relu NCHW") { map(Relu()) }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .relu, inputs: [self]) { g in [Tensor.gradient(g, y, ReluGradient())] }
    }

    public func leakyRelu(slope: Float = 0.2) -> Tensor {
        if ChannelsLast.applies(self) {
            return OpProfile.measure("leakyRelu \(shape[1])ch @\(shape[2])x\(shape[3]) NHWC") { ChannelsLast.map(self, LeakyRelu(slope: slope)) }
        }
        let out = OpProfile.measure("leakyRelu NCHW") { map(LeakyRelu(slope: slope)) }
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .leakyRelu, inputs: [self]) { g in [Tensor.gradient(g, x, LeakyReluGradient(slope: slope))] }
    }

    public func tanh() -> Tensor {
        if ChannelsLast.applies(self) {
            return OpProfile.measure("tanh \(shape[1])ch @\(shape[2])x\(shape[3]) NHWC") { ChannelsLast.map(self, cost: 4, Tanh()) }
        }
        let out = OpProfile.measure("tanh NCHW") { map(cost: 4, Tanh()) }
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .tanh, inputs: [self]) { g in [Tensor.gradient(g, y, TanhGradient())] }
    }

    public func sigmoid() -> Tensor {
        let out = map(cost: 4, Sigmoid())
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .sigmoid, inputs: [self]) { g in [Tensor.gradient(g, y, SigmoidGradient())] }
    }

    public func abs() -> Tensor {
        let out = map(Absolute())
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .abs, inputs: [self]) { g in
            [Tensor.gradient(g, x, AbsoluteGradient())]
        }
    }

    public func exp() -> Tensor {
        let out = map(cost: 4, Exponential())
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .exp, inputs: [self]) { g in [Tensor.gradient(g, y, ExponentialGradient())] }
    }

    /// Natural log (of positive values).
    public func log() -> Tensor {
        let out = map(cost: 4, Logarithm())
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .log, inputs: [self]) { g in [Tensor.gradient(g, x, LogarithmGradient())] }
    }

    public func sqrt() -> Tensor {
        let out = map(SquareRoot())
        guard Tensor.needsGraph(self) else { return out }
        let y = out.detach()
        return Tensor.record(out, op: .sqrt, inputs: [self]) { g in [Tensor.gradient(g, y, SquareRootGradient())] }
    }

    public func squared() -> Tensor {
        let out = map(Square())
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .squared, inputs: [self]) { g in [Tensor.gradient(g, x, SquareGradient())] }
    }

    /// Values limited to [low, high]; the gradient is zero where clamped.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        let out = map(Clamp(low: low, high: high))
        guard Tensor.needsGraph(self) else { return out }
        let x = self.detach()
        return Tensor.record(out, op: .clamped, inputs: [self]) { g in
            [Tensor.gradient(g, x, ClampGradient(low: low, high: high))]
        }
    }
}
