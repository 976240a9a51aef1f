import Layouts
import ONNX
import Tensor

/// The modules LGGAN and ECGAN share (encoder, SPADE, its residual block), and
/// the graph inputs and outputs both exports declare, as ONNX nodes.
extension LGGANEncoder {
    /// conv -> IN (+ the noise offset) -> ReLU per level; returns each level's tensor.
    func onnx(_ b: inout ONNXGraphBuilder, layout: String, noise: String?, config c: LGGANConfig) -> [String] {
        func activate(_ x: String, level: Int, scope: String) -> String {
            var h = b.instanceNorm(x, channels: c.width(level: level), scope: scope + ".norm")
            if let noise, level < noiseProjections.count {
                let projection = "encoder.noiseProjections.\(level)"
                h = b.add(h, b.perChannel(b.linear(noise, noiseProjections[level], scope: projection), scope: projection), scope: scope)
            }
            return b.relu(h, scope: scope)
        }
        var levels = [activate(b.conv(layout, input, scope: "encoder.input"), level: 0, scope: "encoder.input")]
        for (k, down) in downs.enumerated() {
            levels.append(activate(b.conv(levels.last!, down, scope: "encoder.downs.\(k)"), level: k + 1, scope: "encoder.downs.\(k)"))
        }
        return levels
    }
}

extension SPADE {
    /// IN(x) * (1 + gamma) + beta, gamma and beta from the layout (and the style code, and the
    /// texture noise at x's resolution), added in the order of `gammaBeta`.
    func onnx(_ b: inout ONNXGraphBuilder, _ x: String, layout: String, style: String?, texture: String? = nil,
              scope: String) -> String {
        var label = b.conv(layout, shared, scope: scope + ".shared")
        if let noiseProjection, let texture {
            label = b.add(label, b.conv(texture, noiseProjection, scope: scope + ".noiseProjection"), scope: scope + ".noiseProjection")
        }
        if let styleProjection, let style {
            let offset = b.perChannel(b.linear(style, styleProjection, scope: scope + ".styleProjection"), scope: scope + ".styleProjection")
            label = b.add(label, offset, scope: scope + ".styleProjection")
        }
        let gammaBeta = b.conv(b.relu(label, scope: scope + ".shared"), modulation, scope: scope + ".modulation")
        let channels = modulation.weight.shape[0] / 2
        let parts = b.splitChannels(gammaBeta, [channels, channels], scope: scope)
        let normalized = b.instanceNorm(x, channels: channels, scope: scope + ".norm")
        return b.add(b.mul(normalized, b.add(parts[0], b.floats([1]), scope: scope), scope: scope), parts[1], scope: scope)
    }
}

extension SPADEResBlock {
    func onnx(_ b: inout ONNXGraphBuilder, _ x: String, layout: String, style: String?, texture: String? = nil,
              scope: String) -> String {
        var shortcut = x
        if let normShortcut, let convShortcut {
            shortcut = b.conv(normShortcut.onnx(&b, x, layout: layout, style: style, texture: texture, scope: scope + ".normShortcut"),
                              convShortcut, scope: scope + ".convShortcut")
        }
        var h = b.leakyRelu(norm0.onnx(&b, x, layout: layout, style: style, texture: texture, scope: scope + ".norm0"), slope: 0.2,
                            scope: scope + ".norm0")
        h = b.conv(h, conv0, scope: scope + ".conv0")
        h = b.leakyRelu(norm1.onnx(&b, h, layout: layout, style: style, texture: texture, scope: scope + ".norm1"), slope: 0.2,
                        scope: scope + ".norm1")
        h = b.conv(h, conv1, scope: scope + ".conv1")
        return b.add(shortcut, h, scope: scope)
    }
}

/// Names and shapes of the exported graphs' inputs and outputs, and their metadata.
enum GeneratorONNXSignature {
    static let batch = ONNXValueInfo.Dimension.symbol("batch")
    static let height = ONNXValueInfo.Dimension.symbol("height")
    static let width = ONNXValueInfo.Dimension.symbol("width")

    /// An image-sized output [N, channels, H, W].
    static func image(_ name: String, channels: Int = 3, doc: String) -> ONNXValueInfo {
        ONNXValueInfo(name: name, dims: [batch, .size(channels), height, width], doc: doc)
    }

    /// "layout", then "style", "noise" and "texture" where the model takes them.
    static func inputs(classCount: Int, sizeMultiple: Int, styleChannels: Int, noiseChannels: Int,
                       textureNoiseChannels: Int = 0) -> [ONNXValueInfo] {
        var inputs = [ONNXValueInfo(name: "layout", dims: [batch, .size(classCount), height, width],
                                    doc: "one-hot layout in palette order; H and W multiples of \(sizeMultiple)")]
        if styleChannels > 0 { inputs.append(ONNXValueInfo(name: "style", dims: [batch, .size(styleChannels)], doc: "style code z (prior N(0, 1))")) }
        if noiseChannels > 0 { inputs.append(ONNXValueInfo(name: "noise", dims: [batch, .size(noiseChannels)], doc: "per-image noise")) }
        if textureNoiseChannels > 0 {
            inputs.append(ONNXValueInfo(name: "texture", dims: [batch, .size(textureNoiseChannels), height, width],
                                        doc: "per-pixel texture noise, N(0, 1) i.i.d. (zeros: the mean path); layout's H and W"))
        }
        return inputs
    }

    /// "class_" and the class name with anything but ASCII letters and digits as _.
    static func classOutputName(_ className: String) -> String {
        "class_" + String(className.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// One class output per palette class, from [N, 3 * classes, H, W].
    static func classOutputs(_ b: inout ONNXGraphBuilder, _ classImages: String, palette: Palette, doc: String) -> [ONNXValueInfo] {
        let names = palette.classes.map { classOutputName($0.name) }
        let parts = b.splitChannels(classImages, [Int](repeating: 3, count: names.count), scope: "classes", outputNames: names)
        return zip(parts, palette.classes).map { image($0, doc: "class \($1.name): " + doc) }
    }

    /// The file's metadata_props: the palette (names and ids in input-channel order), the size multiple, the config.
    static func metadata(palette: Palette, sizeMultiple: Int, configJSON: String) -> [(key: String, value: String)] {
        [("palette", palette.name), ("classes", palette.classes.map(\.name).joined(separator: ",")),
         ("class_ids", palette.classes.map { String($0.id) }.joined(separator: ",")),
         ("size_multiple", String(sizeMultiple)), ("config", configJSON)]
    }

    /// The one-hot layout at 1/2^k for k = 0...depth (nearest, the top-left pixel of each block).
    static func layouts(_ b: inout ONNXGraphBuilder, depth: Int) -> [String] { pyramid(&b, "layout", depth: depth) }

    /// A full-resolution input at 1/2^k for k = 0...depth: Resize nearest (asymmetric, floor) reads
    /// pixel (2^k y, 2^k x), the engine's `resizeNearest` rule (y * h / height) when h = 2^k height,
    /// which the size multiple guarantees. The layouts and the texture noise (`TextureNoise.pyramid`).
    static func pyramid(_ b: inout ONNXGraphBuilder, _ input: String, depth: Int) -> [String] {
        [input] + (1...depth).map { k in b.resizeNearest(input, scale: 1 / Float(1 << k), scope: "\(input).down\(1 << k)") }
    }

    /// Every class's feature map masked by its class: Tile(f) * Gather(layout), [N, classes * width, H, W],
    /// class i in channels i * width ..< (i + 1) * width (the input of a grouped convolution per class).
    static func maskedPerClass(_ b: inout ONNXGraphBuilder, features f: String, width: Int, classCount k: Int, scope: String) -> String {
        let index = (0..<k).flatMap { [Int](repeating: $0, count: width) }
        let masks = b.op("Gather", ["layout", b.int64s(index)], [.int("axis", 1)], scope: scope + ".masks")
        let repeated = b.op("Tile", [f, b.int64s([1, k, 1, 1])], scope: scope + ".features")
        return b.mul(repeated, masks, scope: scope)
    }

    /// The sum of the class images [N, 3 * classes, H, W] -> [N, 3, H, W] (LGGAN's Eq. 3, ECGAN++'s class sum),
    /// as a 1x1 convolution with 0/1 weights.
    static func sumOfClassImages(_ b: inout ONNXGraphBuilder, _ classImages: String, classCount k: Int, scope: String) -> String {
        var sum = [Float](repeating: 0, count: 3 * 3 * k)
        for o in 0..<3 { for i in 0..<k { sum[o * 3 * k + 3 * i + o] = 1 } }
        return b.conv(classImages, weight: Tensor(shape: [3, 3 * k, 1, 1], values: sum), bias: nil, scope: scope)
    }
}
