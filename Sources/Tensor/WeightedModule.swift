/// What Conv2d, ConvTranspose2d and Linear have in common: a weight, an
/// optional bias and optional spectral normalisation of the weight. One place
/// for their creation order (which fixes the random stream), their checkpoint
/// names and the weight actually used in a forward pass. Subclassed only here.
public class WeightedModule: Module {
    public let weight: Tensor
    public let bias: Tensor?
    let spectral: SpectralNormState?

    /// The weight is filled by `initializer`, the bias starts at zero, then the
    /// spectral-norm vectors are drawn (in that order, from the same `rng`).
    init(weightShape: [Int], biasCount: Int, bias: Bool, spectralNorm: Bool,
         initializer: Initializer, using rng: inout RandomGenerator) {
        weight = Tensor.parameter(shape: weightShape)
        initializer.fill(weight, using: &rng)
        self.bias = bias ? Tensor.parameter(shape: [biasCount]) : nil
        spectral = spectralNorm ? SpectralNormState(weightShape: weightShape, iterations: 1, using: &rng) : nil
        super.init()
    }

    /// The weight actually used (normalised when spectral norm is on).
    public var effectiveWeight: Tensor { spectral?.apply(weight, training: isTraining) ?? weight }

    public override func namedChildren() -> [(String, Module)] { [] }

    /// "weight", "bias" and, with spectral norm, the buffers "weight_u" and
    /// "weight_v" (PyTorch's names).
    public override func namedLocalTensors() -> [(String, Tensor)] {
        var t: [(String, Tensor)] = [("weight", weight)]
        if let bias { t.append(("bias", bias)) }
        if let spectral { t += [("weight_u", spectral.u), ("weight_v", spectral.v)] }
        return t
    }
}

/// Optional spectral normalisation of a layer's weight: the saved u and v.
final class SpectralNormState {
    let u: Tensor
    let v: Tensor
    let iterations: Int

    init(weightShape: [Int], iterations: Int, using rng: inout RandomGenerator) {
        let rows = weightShape[0], cols = weightShape.dropFirst().reduce(1, *)
        u = Tensor.randomNormal([rows], using: &rng)
        v = Tensor.randomNormal([cols], using: &rng)
        self.iterations = iterations
        for t in [u, v] {
            let norm = t.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<t.count { t.data[i] /= Swift.max(norm, 1e-12) }
        }
    }

    func apply(_ weight: Tensor, training: Bool) -> Tensor {
        spectralNormalized(weight, u: u, v: v, powerIterations: iterations, training: training)
    }
}
