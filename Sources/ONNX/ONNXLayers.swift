import Tensor

/// The engine's layers and operations as ONNX operators (opset 17), with the
/// engine's exact semantics: reflect padding as a separate Pad (Conv pads only
/// with zeros), instance norm without affine parameters as unit scale and zero
/// bias, nearest resizing that picks the top-left source pixel as
/// `resizeNearest` does (asymmetric coordinates, floor).
extension ONNXGraphBuilder {
    /// Conv2d with its padding mode, stride and (in eval mode) effective weight.
    public mutating func conv(_ x: String, _ layer: Conv2d, scope: String) -> String {
        conv(x, weight: layer.effectiveWeight, bias: layer.bias, stride: layer.stride, padding: layer.padding,
             reflect: layer.paddingMode == .reflect, scope: scope)
    }

    /// A convolution from its parameters; `group` > 1 for a grouped convolution.
    public mutating func conv(_ x: String, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                              reflect: Bool = false, group: Int = 1, scope: String) -> String {
        var input = x
        var pads = [padding, padding, padding, padding]
        if reflect && padding > 0 {
            input = op("Pad", [x, int64s([0, 0, padding, padding, 0, 0, padding, padding])],
                       [.string("mode", "reflect")], scope: scope)
            pads = [0, 0, 0, 0]
        }
        let w = constant(scope + ".weight", weight)
        var inputs = [input, w]
        if let bias { inputs.append(constant(scope + ".bias", bias)) }
        var attributes: [ONNXAttribute] = [.ints("kernel_shape", [weight.shape[2], weight.shape[3]]),
                                           .ints("strides", [stride, stride]), .ints("pads", pads)]
        if group > 1 { attributes.append(.int("group", group)) }
        return op("Conv", inputs, attributes, scope: scope)
    }

    public mutating func convTranspose(_ x: String, _ layer: ConvTranspose2d, scope: String) -> String {
        let weight = layer.effectiveWeight
        let w = constant(scope + ".weight", weight)
        var inputs = [x, w]
        if let bias = layer.bias { inputs.append(constant(scope + ".bias", bias)) }
        let p = layer.padding
        return op("ConvTranspose", inputs, [
            .ints("kernel_shape", [weight.shape[2], weight.shape[3]]), .ints("strides", [layer.stride, layer.stride]),
            .ints("pads", [p, p, p, p]), .ints("output_padding", [layer.outputPadding, layer.outputPadding]),
        ], scope: scope)
    }

    /// Linear on [N, in]: Gemm with the weight transposed, as the engine stores it [out, in].
    public mutating func linear(_ x: String, _ layer: Linear, scope: String) -> String {
        var inputs = [x, constant(scope + ".weight", layer.effectiveWeight)]
        if let bias = layer.bias { inputs.append(constant(scope + ".bias", bias)) }
        return op("Gemm", inputs, [.int("transB", 1)], scope: scope)
    }

    /// A per-image vector [N, C] as [N, C, 1, 1], to broadcast over a feature map.
    public mutating func perChannel(_ x: String, scope: String) -> String {
        op("Unsqueeze", [x, int64s([2, 3])], scope: scope)
    }

    /// Instance normalisation (biased variance, epsilon inside the square root, as `instanceNorm`).
    public mutating func instanceNorm(_ x: String, channels: Int, weight: Tensor? = nil, bias: Tensor? = nil,
                                      epsilon: Float = 1e-5, scope: String) -> String {
        let scale = weight.map { constant(scope + ".weight", $0) } ?? filled(1, count: channels)
        let shift = bias.map { constant(scope + ".bias", $0) } ?? filled(0, count: channels)
        return op("InstanceNormalization", [x, scale, shift], [.float("epsilon", epsilon)], scope: scope)
    }

    public mutating func instanceNorm(_ x: String, _ layer: InstanceNorm2d, channels: Int, scope: String) -> String {
        instanceNorm(x, channels: channels, weight: layer.weight, bias: layer.bias, epsilon: layer.epsilon, scope: scope)
    }

    public mutating func relu(_ x: String, scope: String) -> String { op("Relu", [x], scope: scope) }
    public mutating func tanh(_ x: String, scope: String) -> String { op("Tanh", [x], scope: scope) }
    public mutating func leakyRelu(_ x: String, slope: Float, scope: String) -> String {
        op("LeakyRelu", [x], [.float("alpha", slope)], scope: scope)
    }
    public mutating func add(_ a: String, _ b: String, scope: String) -> String { op("Add", [a, b], scope: scope) }
    public mutating func mul(_ a: String, _ b: String, scope: String) -> String { op("Mul", [a, b], scope: scope) }

    /// Values limited to min...max (Clip takes its bounds as scalar tensors).
    public mutating func clip(_ x: String, min: Float, max: Float, scope: String) -> String {
        op("Clip", [x, scalar(min), scalar(max)], scope: scope)
    }

    /// Splits axis 1 into parts of the given sizes.
    public mutating func splitChannels(_ x: String, _ sizes: [Int], scope: String, outputNames: [String]? = nil) -> [String] {
        add("Split", [x, int64s(sizes)], [.int("axis", 1)], scope: scope, outputs: sizes.count, outputNames: outputNames)
    }

    /// Nearest resizing of H and W by `scale` (2: upsampling; 0.5, 0.25...: every 1/scale-th pixel from the first).
    public mutating func resizeNearest(_ x: String, scale: Float, scope: String) -> String {
        op("Resize", [x, "", floats([1, 1, scale, scale])], [
            .string("mode", "nearest"), .string("coordinate_transformation_mode", "asymmetric"),
            .string("nearest_mode", "floor"),
        ], scope: scope)
    }

    /// Bilinear x2 upsampling with PyTorch's align_corners=False (half-pixel centres), as `upsampleBilinear2x`.
    public mutating func upsampleBilinear2x(_ x: String, scope: String) -> String {
        op("Resize", [x, "", floats([1, 1, 2, 2])], [
            .string("mode", "linear"), .string("coordinate_transformation_mode", "half_pixel"),
        ], scope: scope)
    }
}
