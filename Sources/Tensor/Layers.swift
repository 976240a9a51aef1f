/// The standard layers as modules, each owning its parameters and buffers.

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

/// Conv2d layer: weight [out, in, k, k], bias [out]; optional spectral norm
/// (buffers "weight_u", "weight_v", PyTorch's names).
public final class Conv2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let paddingMode: PaddingMode
    let spectral: SpectralNormState?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                paddingMode: PaddingMode = .zeros, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        weight = Tensor.parameter(shape: [outChannels, inChannels, kernelSize, kernelSize])
        initializer.fill(weight, using: &rng)
        self.bias = bias ? Tensor.parameter(shape: [outChannels]) : nil
        self.stride = stride
        self.padding = padding
        self.paddingMode = paddingMode
        spectral = spectralNorm ? SpectralNormState(weightShape: weight.shape, iterations: 1, using: &rng) : nil
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] {
        var t: [(String, Tensor)] = [("weight", weight)]
        if let bias { t.append(("bias", bias)) }
        if let spectral { t += [("weight_u", spectral.u), ("weight_v", spectral.v)] }
        return t
    }

    /// The weight actually used (normalised when spectral norm is on).
    public var effectiveWeight: Tensor { spectral?.apply(weight, training: isTraining) ?? weight }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: effectiveWeight, bias: bias, stride: stride, padding: padding, paddingMode: paddingMode)
    }
}

/// ConvTranspose2d layer: weight [in, out, k, k] (PyTorch layout), bias [out].
public final class ConvTranspose2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int
    let spectral: SpectralNormState?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        weight = Tensor.parameter(shape: [inChannels, outChannels, kernelSize, kernelSize])
        initializer.fill(weight, using: &rng)
        self.bias = bias ? Tensor.parameter(shape: [outChannels]) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        spectral = spectralNorm ? SpectralNormState(weightShape: weight.shape, iterations: 1, using: &rng) : nil
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] {
        var t: [(String, Tensor)] = [("weight", weight)]
        if let bias { t.append(("bias", bias)) }
        if let spectral { t += [("weight_u", spectral.u), ("weight_v", spectral.v)] }
        return t
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let w = spectral?.apply(weight, training: isTraining) ?? weight
        return convTranspose2d(x, weight: w, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }
}

/// Fully connected layer: weight [out, in], bias [out].
public final class Linear: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    let spectral: SpectralNormState?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        weight = Tensor.parameter(shape: [outFeatures, inFeatures])
        initializer.fill(weight, using: &rng)
        self.bias = bias ? Tensor.parameter(shape: [outFeatures]) : nil
        spectral = spectralNorm ? SpectralNormState(weightShape: weight.shape, iterations: 1, using: &rng) : nil
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] {
        var t: [(String, Tensor)] = [("weight", weight)]
        if let bias { t.append(("bias", bias)) }
        if let spectral { t += [("weight_u", spectral.u), ("weight_v", spectral.v)] }
        return t
    }

    /// x [N, in] (or [N, C, 1, 1], flattened) -> [N, out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let flat = x.rank == 2 ? x : x.flattened()
        return linear(flat, weight: spectral?.apply(weight, training: isTraining) ?? weight, bias: bias)
    }
}

/// InstanceNorm2d; with `affine`, parameters "weight" (ones) and "bias" (zeros).
public final class InstanceNorm2d: Module, Layer {
    public let weight: Tensor?
    public let bias: Tensor?
    public let epsilon: Float

    public init(_ channels: Int, affine: Bool = false, epsilon: Float = 1e-5) {
        weight = affine ? Tensor.parameter(shape: [channels], repeating: 1) : nil
        bias = affine ? Tensor.parameter(shape: [channels]) : nil
        self.epsilon = epsilon
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        instanceNorm(x, weight: weight, bias: bias, epsilon: epsilon)
    }
}

/// BatchNorm2d with running statistics (buffers "running_mean", "running_var").
public final class BatchNorm2d: Module, Layer {
    public let weight: Tensor?
    public let bias: Tensor?
    public let runningMean: Tensor
    public let runningVariance: Tensor
    public let momentum: Float
    public let epsilon: Float

    public init(_ channels: Int, affine: Bool = true, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        weight = affine ? Tensor.parameter(shape: [channels], repeating: 1) : nil
        bias = affine ? Tensor.parameter(shape: [channels]) : nil
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor.ones([channels])
        self.momentum = momentum
        self.epsilon = epsilon
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] {
        var t: [(String, Tensor)] = []
        if let weight, let bias { t += [("weight", weight), ("bias", bias)] }
        return t + [("running_mean", runningMean), ("running_var", runningVariance)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                  training: isTraining, momentum: momentum, epsilon: epsilon)
    }
}

/// A parameter-free elementwise function as a layer (for `Sequential`).
public final class Activation: Module, Layer {
    public enum Kind: Sendable { case relu, leakyRelu(Float), tanh, sigmoid, identity }
    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] { [] }
    public override func namedLocalTensors() -> [(String, Tensor)] { [] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .relu: return x.relu()
        case .leakyRelu(let slope): return x.leakyRelu(slope: slope)
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .identity: return x
        }
    }
}

/// Layers applied in order; children are named by index ("0.weight", "1.bias").
public final class Sequential: Module, Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as Module) }
    }
    public override func namedLocalTensors() -> [(String, Tensor)] { [] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }
}
