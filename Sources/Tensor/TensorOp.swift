/// One op of the engine: the name a user calls, its group in docs/engine.md's
/// "Ops" table and how its gradient is made. `OpCatalog.engine` lists them
/// all; a test checks that list against the docs table and that every op
/// with its own backward has a gradient check. Nodes carry their op, so
/// autograd errors name it.
public struct TensorOp: Hashable, Sendable, CustomStringConvertible {
    public enum Gradient: Sendable {
        /// Records an autograd node with its own backward.
        case node
        /// Built from other ops; their nodes carry the gradient.
        case composite
        /// Integer results (indices, label maps): no gradient.
        case none
    }

    /// As called: `relu`, `conv2d`, `+`.
    public let name: String
    public let group: String
    public let gradient: Gradient

    public init(_ name: String, group: String, gradient: Gradient) {
        self.name = name
        self.group = group
        self.gradient = gradient
    }

    public var description: String { name }
}

extension TensorOp {
    public static let add = TensorOp("+", group: "arithmetic", gradient: .node)
    public static let subtract = TensorOp("-", group: "arithmetic", gradient: .node)
    public static let multiply = TensorOp("*", group: "arithmetic", gradient: .node)
    public static let divide = TensorOp("/", group: "arithmetic", gradient: .node)
    public static let affine = TensorOp("affine", group: "arithmetic", gradient: .node)

    public static let relu = TensorOp("relu", group: "activations", gradient: .node)
    public static let leakyRelu = TensorOp("leakyRelu", group: "activations", gradient: .node)
    public static let tanh = TensorOp("tanh", group: "activations", gradient: .node)
    public static let sigmoid = TensorOp("sigmoid", group: "activations", gradient: .node)
    public static let abs = TensorOp("abs", group: "activations", gradient: .node)
    public static let exp = TensorOp("exp", group: "activations", gradient: .node)
    public static let log = TensorOp("log", group: "activations", gradient: .node)
    public static let sqrt = TensorOp("sqrt", group: "activations", gradient: .node)
    public static let squared = TensorOp("squared", group: "activations", gradient: .node)
    public static let clamped = TensorOp("clamped", group: "activations", gradient: .node)

    public static let sum = TensorOp("sum", group: "reductions", gradient: .node)
    public static let mean = TensorOp("mean", group: "reductions", gradient: .composite)
    public static let argmax = TensorOp("argmax", group: "reductions", gradient: .none)

    public static let reshaped = TensorOp("reshaped", group: "shape", gradient: .node)
    public static let flattened = TensorOp("flattened", group: "shape", gradient: .composite)
    public static let broadcast = TensorOp("broadcast", group: "shape", gradient: .node)
    public static let concat = TensorOp("concat", group: "shape", gradient: .node)
    public static let slice = TensorOp("slice", group: "shape", gradient: .node)
    public static let split = TensorOp("split", group: "shape", gradient: .composite)

    public static let conv2d = TensorOp("conv2d", group: "convolution", gradient: .node)
    public static let convTranspose2d = TensorOp("convTranspose2d", group: "convolution", gradient: .node)

    public static let linear = TensorOp("linear", group: "dense", gradient: .composite)
    public static let matmul = TensorOp("matmul", group: "dense", gradient: .node)

    public static let instanceNorm = TensorOp("instanceNorm", group: "normalisation", gradient: .node)
    public static let batchNorm = TensorOp("batchNorm", group: "normalisation", gradient: .node)

    public static let avgPool2d = TensorOp("avgPool2d", group: "pooling", gradient: .node)
    public static let globalAvgPool = TensorOp("globalAvgPool", group: "pooling", gradient: .composite)
    public static let maskedGlobalAvgPool = TensorOp("maskedGlobalAvgPool", group: "pooling", gradient: .composite)

    public static let resizeNearest = TensorOp("resizeNearest", group: "resizing", gradient: .node)
    public static let upsampleNearest = TensorOp("upsampleNearest", group: "resizing", gradient: .composite)
    public static let pad2d = TensorOp("pad2d", group: "resizing", gradient: .node)
    public static let crop2d = TensorOp("crop2d", group: "resizing", gradient: .node)
    public static let resizeLabels = TensorOp("resizeLabels", group: "resizing", gradient: .none)

    public static let softmax = TensorOp("softmax", group: "softmax", gradient: .node)
    public static let logSoftmax = TensorOp("logSoftmax", group: "softmax", gradient: .node)

    public static let l1Loss = TensorOp("l1Loss", group: "losses", gradient: .composite)
    public static let mseLoss = TensorOp("mseLoss", group: "losses", gradient: .composite)
    public static let hingeLoss = TensorOp("hingeLoss", group: "losses", gradient: .composite)
    public static let hingeDiscriminatorLoss = TensorOp("hingeDiscriminatorLoss", group: "losses", gradient: .composite)
    public static let hingeGeneratorLoss = TensorOp("hingeGeneratorLoss", group: "losses", gradient: .composite)
    public static let crossEntropy = TensorOp("crossEntropy", group: "losses", gradient: .node)
    /// Its node is the stable softplus term; the rest is composite.
    public static let binaryCrossEntropyWithLogits = TensorOp("binaryCrossEntropyWithLogits", group: "losses", gradient: .node)
    public static let binaryCrossEntropy = TensorOp("binaryCrossEntropy", group: "losses", gradient: .composite)

    public static let spectralNormalized = TensorOp("spectralNormalized", group: "spectral norm", gradient: .node)

    public static let gatherPixels = TensorOp("gatherPixels", group: "pixel rows", gradient: .node)
    public static let l2NormalizedRows = TensorOp("l2NormalizedRows", group: "pixel rows", gradient: .composite)
}

/// The ops, in docs/engine.md's table order: the engine's here, and each
/// module that writes its own fused ops adds its list (Models: `OpCatalog.lggan`).
public enum OpCatalog {
    public static let engine: [TensorOp] = [
        .add, .subtract, .multiply, .divide, .affine,
        .relu, .leakyRelu, .tanh, .sigmoid, .abs, .exp, .log, .sqrt, .squared, .clamped,
        .sum, .mean, .argmax,
        .reshaped, .flattened, .broadcast, .concat, .slice, .split,
        .conv2d, .convTranspose2d,
        .linear, .matmul,
        .instanceNorm, .batchNorm,
        .avgPool2d, .globalAvgPool, .maskedGlobalAvgPool,
        .resizeNearest, .upsampleNearest, .pad2d, .crop2d, .resizeLabels,
        .softmax, .logSoftmax,
        .l1Loss, .mseLoss, .hingeLoss, .hingeDiscriminatorLoss, .hingeGeneratorLoss, .crossEntropy,
        .binaryCrossEntropyWithLogits, .binaryCrossEntropy,
        .spectralNormalized,
        .gatherPixels, .l2NormalizedRows,
    ]
}
