import Layouts
import ONNX
import Tensor

/// The LGGAN generator as an ONNX graph (`scenepaint export --onnx`), node for
/// node the forward pass of LGGANNetwork, with one difference in method, not
/// in result: the class sub-generators run densely (every class's convolution
/// over its masked feature map, as one grouped convolution), which is the
/// definition the engine's sparse path equals (LocalGenerator).
///
/// Inputs: "layout" [N, classes, H, W], the one-hot map in palette order
/// (all zero where no class applies; H and W multiples of `sizeMultiple`),
/// "style" [N, styleChannels] for models with a style code, "noise"
/// [N, noiseChannels] for models with noise, "texture" [N, K, H, W] for models
/// with texture noise (the full-resolution map; the graph makes its pyramid as
/// `TextureNoise.pyramid` does). Outputs, named after the views:
/// "fused", "global", "local" [N, 3, H, W] in -1...1, "weight_global",
/// "weight_local" [N, 1, H, W] in 0...1, and "class_NAME" [N, 3, H, W] for
/// every palette class (its sub-generator's raw output), as far as the
/// config has those parts.
extension LGGANNetwork {
    /// The whole generator as an ONNX model; `metadata` goes into the file's metadata_props.
    public func onnxModel(palette: Palette, metadata: [(key: String, value: String)] = []) -> ONNXModel {
        var b = ONNXGraphBuilder()
        let c = config
        let styleInput: String? = c.styleChannels > 0 ? "style" : nil
        let noiseInput: String? = c.noiseChannels > 0 ? "noise" : nil
        let textureInput: String? = c.textureNoiseChannels > 0 ? "texture" : nil

        let levels = encoder.onnx(&b, layout: "layout", noise: noiseInput, config: c)

        var globalImage: String?
        if let global {
            let layouts = GeneratorONNXSignature.layouts(&b, depth: c.globalDepth)
            let textures = textureInput.map { GeneratorONNXSignature.pyramid(&b, $0, depth: c.globalDepth) }
            func upsample(_ x: String, scope: String) -> String {
                global.upsampling == .bilinear ? b.upsampleBilinear2x(x, scope: scope) : b.resizeNearest(x, scale: 2, scope: scope)
            }
            var x = levels[c.globalDepth]
            for (i, block) in global.blocks.enumerated() {
                let level = c.globalDepth - i, scope = "global.blocks.\(i)"
                if level != c.globalDepth { x = upsample(x, scope: scope + ".up") }
                x = block.onnx(&b, x, layout: layouts[level], style: styleInput, texture: textures?[level], scope: scope)
            }
            x = global.finalNorm.onnx(&b, upsample(x, scope: "global.up"), layout: "layout", style: styleInput, texture: textureInput,
                                      scope: "global.finalNorm")
            x = b.leakyRelu(x, slope: 0.2, scope: "global.finalNorm")
            globalImage = b.tanh(b.conv(x, global.toRGB, scope: "global.toRGB"), scope: "global.toRGB")
        }

        var localImage: String?, classImages: String?
        if let local {
            var x = levels[2]
            for (i, block) in local.trunk.enumerated() {
                let scope = "local.trunk.\(i)", w = c.width(level: 2)
                var h = b.relu(b.instanceNorm(b.conv(x, block.conv0, scope: scope + ".conv0"), channels: w, scope: scope + ".norm0"),
                               scope: scope + ".norm0")
                h = b.instanceNorm(b.conv(h, block.conv1, scope: scope + ".conv1"), channels: w, scope: scope + ".norm1")
                x = b.add(x, h, scope: scope)
            }
            let d = local.decoder
            x = b.relu(b.instanceNorm(b.convTranspose(x, d.up0, scope: "local.decoder.up0"), channels: c.width(level: 1),
                                      scope: "local.decoder.norm0"), scope: "local.decoder.norm0")
            x = b.relu(b.instanceNorm(b.convTranspose(x, d.up1, scope: "local.decoder.up1"), channels: c.width(level: 0),
                                      scope: "local.decoder.norm1"), scope: "local.decoder.norm1")
            if let modulation = local.styleModulation, let styleInput {
                let scope = "local.styleModulation"
                let gammaBeta = b.perChannel(b.linear(styleInput, modulation, scope: scope), scope: scope)
                let parts = b.splitChannels(gammaBeta, [c.width(level: 0), c.width(level: 0)], scope: scope)
                x = b.add(b.mul(x, b.add(parts[0], b.floats([1]), scope: scope), scope: scope), parts[1], scope: scope)
            }
            if let modulation = local.noiseModulation, let textureInput {
                let scope = "local.noiseModulation"
                x = b.add(x, b.conv(textureInput, modulation, scope: scope), scope: scope)
            }
            classImages = denseClassImages(&b, local, features: x)
            if let fusion = local.fusion {
                localImage = b.tanh(b.conv(classImages!, fusion, scope: "local.fusion"), scope: "local.fusion")
            } else {
                // Eq. 3, the sum of the class outputs.
                localImage = GeneratorONNXSignature.sumOfClassImages(&b, classImages!, classCount: c.classCount, scope: "local.sum")
            }
        }

        var fused: String, weightOutputs: [String]?
        switch (globalImage, localImage) {
        case let (g?, l?):
            if let weightMap {
                let scope = "weightMap"
                let dec = weightMap.decoder
                var h = b.resizeNearest(levels[2], scale: 2, scope: scope + ".up0")
                h = b.relu(b.instanceNorm(b.conv(h, dec.conv0, scope: scope + ".decoder.conv0"), channels: c.width(level: 1),
                                          scope: scope + ".decoder.norm0"), scope: scope + ".decoder.norm0")
                h = b.resizeNearest(h, scale: 2, scope: scope + ".up1")
                h = b.relu(b.instanceNorm(b.conv(h, dec.conv1, scope: scope + ".decoder.conv1"), channels: c.width(level: 0),
                                          scope: scope + ".decoder.norm1"), scope: scope + ".decoder.norm1")
                let weights = b.op("Softmax", [b.conv(h, weightMap.toLogits, scope: scope + ".toLogits")], [.int("axis", 1)], scope: scope)
                let w = b.splitChannels(weights, [1, 1], scope: scope)
                weightOutputs = w
                fused = b.add(b.mul(g, w[0], scope: "fusion"), b.mul(l, w[1], scope: "fusion"), scope: "fusion")
            } else {
                fused = b.mul(b.add(g, l, scope: "fusion"), b.floats([0.5]), scope: "fusion")
            }
        case let (g?, nil): fused = g
        case let (nil, l?): fused = l
        default: fatalError("LGGAN without generators (the config validation allows none)")
        }

        // Graph outputs, named after the views.
        typealias Signature = GeneratorONNXSignature
        var outputs = [Signature.image(b.output(fused, as: "fused"), doc: "the final image (Eq. 7), RGB in -1...1")]
        if let globalImage { outputs.append(Signature.image(b.output(globalImage, as: "global"), doc: "the global generator's image, RGB in -1...1")) }
        if let localImage { outputs.append(Signature.image(b.output(localImage, as: "local"), doc: "the local generator's fused class outputs, RGB in -1...1")) }
        if let weightOutputs {
            outputs.append(Signature.image(b.output(weightOutputs[0], as: "weight_global"), channels: 1, doc: "the global image's weight, 0...1"))
            outputs.append(Signature.image(b.output(weightOutputs[1], as: "weight_local"), channels: 1, doc: "the local image's weight, 0...1"))
        }
        if let classImages {
            outputs += Signature.classOutputs(&b, classImages, palette: palette,
                                              doc: "its sub-generator's output everywhere (tanh(bias) far from the class), RGB in -1...1")
        }
        let inputs = Signature.inputs(classCount: c.classCount, sizeMultiple: c.sizeMultiple, styleChannels: c.styleChannels,
                                      noiseChannels: c.noiseChannels, textureNoiseChannels: c.textureNoiseChannels)
        var model = ONNXModel(graph: b.graph(name: "scenepaint_lggan", inputs: inputs, outputs: outputs))
        model.doc = "scenepaint LGGAN generator (docs/export.md)"
        model.metadata = Signature.metadata(palette: palette, sizeMultiple: c.sizeMultiple, configJSON: c.encodedJSON()) + stylePrior.onnxMetadata + metadata
        return model
    }

    /// Every class's tanh(conv_i(f * M_i)) at once: the masks repeated to f's
    /// width per class (Gather), f repeated per class (Tile), one grouped
    /// convolution with the class kernels stacked. [N, 3 * classes, H, W].
    private func denseClassImages(_ b: inout ONNXGraphBuilder, _ local: LocalGenerator, features f: String) -> String {
        let k = config.classCount, scope = "local.classConvs"
        let masked = GeneratorONNXSignature.maskedPerClass(&b, features: f, width: config.width(level: 0), classCount: k, scope: scope)
        let weight = Tensor.concat(local.classConvs.map { $0.effectiveWeight }, axis: 0)
        let bias = Tensor.concat(local.classConvs.map { $0.bias! }, axis: 0)
        let out = b.conv(masked, weight: weight, bias: bias, padding: local.radius, group: k, scope: scope)
        return b.tanh(out, scope: scope)
    }
}
