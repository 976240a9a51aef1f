/// Elementwise add, subtract, multiply and divide with broadcasting (per-channel
/// [1,C,1,1] or [N,C,1,1] maps, per-pixel [N,1,H,W] masks, scalars, equal shapes).
extension Tensor {
    static func binary(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
        if ChannelsLast.appliesChannelwise(a, b) {
            return OpProfile.measure("\(name) per-channel \(a.shape[1])ch @\(a.shape[2])x\(a.shape[3]) NHWC") {
                ChannelsLast.channelwise(kind, a, b)
            }
        }
        let plan = BroadcastPlan(a.shape, b.shape, op: name)
        let out = Tensor.uninitialized(plan.outShape)
        OpProfile.measure("\(name) NCHW") { broadcastBinary(kind, a.data, b.data, out.data, plan) }
        guard needsGraph(a, b) else { return out }
        return record(out, op: kind.op, inputs: [a, b]) { g in
            switch kind {
            case .add:
                return [a.requiresGrad ? reduceToShape(g, a.shape) : nil,
                        b.requiresGrad ? reduceToShape(g, b.shape) : nil]
            case .sub:
                return [a.requiresGrad ? reduceToShape(g, a.shape) : nil,
                        b.requiresGrad ? reduceToShape(g.scaled(-1), b.shape) : nil]
            case .mul:
                return [a.requiresGrad ? reduceToShape(g * b, a.shape) : nil,
                        b.requiresGrad ? reduceToShape(g * a, b.shape) : nil]
            case .div:
                return [a.requiresGrad ? reduceToShape(g / b, a.shape) : nil,
                        b.requiresGrad ? reduceToShape((g * a / (b * b)).scaled(-1), b.shape) : nil]
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        if a.shape == b.shape && ChannelsLast.applies(a, b) {
            return OpProfile.measure("add \(a.shape[1])ch @\(a.shape[2])x\(a.shape[3]) NHWC") { ChannelsLast.add(a, b) }
        }
        return binary(.add, a, b, name: "add")
    }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b, name: "sub") }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b, name: "mul") }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.div, a, b, name: "div") }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    public static prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1, shift: 0) }

    /// scale * x + shift, elementwise.
    public func affine(scale: Float, shift: Float) -> Tensor {
        let out = Tensor.uninitialized(shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = scale * src[i] + shift }
        }
        return Tensor.record(out, op: .affine, inputs: [self]) { g in [g.scaled(scale)] }
    }

    /// g * s without recording (used inside backward closures).
    func scaled(_ s: Float) -> Tensor {
        if s == 1 { return self }
        let out = Tensor.uninitialized(shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, minimumWork: Parallel.memoryBoundMinimum) { r in
            for i in r { dst[i] = s * src[i] }
        }
        return out
    }
}

extension BinaryKind {
    /// The catalog entry of the operator.
    var op: TensorOp {
        switch self {
        case .add: return .add
        case .sub: return .subtract
        case .mul: return .multiply
        case .div: return .divide
        }
    }
}
