import Foundation

/// Weight initialisers (PyTorch's conventions for fan-in and fan-out).
public enum Initializer: Sendable {
    /// Normal(0, gain * sqrt(2 / (fanIn + fanOut))). LGGAN/SPADE use gain 0.02.
    case xavierNormal(gain: Float)
    /// Normal(0, std).
    case normal(std: Float)
    case zeros
    case constant(Float)

    /// Fan-in and fan-out of a weight: dims 1 and 0 times the receptive field.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else { return (shape.first ?? 1, shape.first ?? 1) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Overwrites `tensor` in place.
    public func fill(_ tensor: Tensor, using rng: inout RandomGenerator) {
        let p = tensor.data
        defer { tensor.noteWritten() }
        switch self {
        case .xavierNormal(let gain):
            let (fanIn, fanOut) = Initializer.fans(tensor.shape)
            let std = gain * (2 / Float(Swift.max(1, fanIn + fanOut))).squareRoot()
            for i in 0..<tensor.count { p[i] = std * rng.nextNormal() }
        case .normal(let std):
            for i in 0..<tensor.count { p[i] = std * rng.nextNormal() }
        case .zeros:
            tensor.fill(0)
        case .constant(let value):
            tensor.fill(value)
        }
    }
}
