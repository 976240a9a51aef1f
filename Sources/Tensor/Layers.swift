/// The standard layers as modules, each owning its parameters and buffers.

/// Conv2d layer: weight [out, in, k, k], bias [out]; optional spectral norm
/// (buffers "weight_u", "weight_v", PyTorch's names).
public final class Conv2d: WeightedModule, Layer {
    public let stride: Int
    public let padding: Int
    public let paddingMode: PaddingMode

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                paddingMode: PaddingMode = .zeros, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        self.stride = stride
        self.padding = padding
        self.paddingMode = paddingMode
        super.init(weightShape: [outChannels, inChannels, kernelSize, kernelSize], biasCount: outChannels,
                   bias: bias, spectralNorm: spectralNorm, initializer: initializer, using: &rng)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: effectiveWeight, bias: bias, stride: stride, padding: padding, paddingMode: paddingMode)
    }
}

/// ConvTranspose2d layer: weight [in, out, k, k] (PyTorch layout), bias [out].
public final class ConvTranspose2d: WeightedModule, Layer {
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        super.init(weightShape: [inChannels, outChannels, kernelSize, kernelSize], biasCount: outChannels,
                   bias: bias, spectralNorm: spectralNorm, initializer: initializer, using: &rng)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight: effectiveWeight, bias: bias, stride: stride, padding: padding,
                        outputPadding: outputPadding)
    }
}

/// Fully connected layer: weight [out, in], bias [out].
public final class Linear: WeightedModule, Layer {
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .xavierNormal(gain: 1), using rng: inout RandomGenerator) {
        super.init(weightShape: [outFeatures, inFeatures], biasCount: outFeatures,
                   bias: bias, spectralNorm: spectralNorm, initializer: initializer, using: &rng)
    }

    /// x [N, in] (or [N, C, 1, 1], flattened) -> [N, out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let flat = x.rank == 2 ? x : x.flattened()
        return linear(flat, weight: effectiveWeight, bias: bias)
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
