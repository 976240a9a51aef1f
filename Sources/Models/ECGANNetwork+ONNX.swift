import Layouts
import ONNX
import Tensor

/// The ECGAN / ECGAN++ generator as an ONNX graph, node for node its forward
/// pass. ECGAN++'s class-specific decoder runs densely (the shared decoder on
/// every class's masked feature, as grouped convolutions with its weights
/// repeated per class), which equals the engine's present-classes-only path.
///
/// Inputs as LGGAN's: "layout", "style" for models with a style code, "noise" for models with noise, "texture"
/// [N, K, H, W] for models with texture noise (the full-resolution map; the graph makes its pyramid as
/// `TextureNoise.pyramid` does, and each backbone SPADE reads its level). Outputs, named
/// after the views: "fused" (I''), "coarse" (I', clamped to -1...1 as the view
/// shows it), "edge" (I'_e) [N, 3, H, W] in -1...1, "attention" (the mean of
/// sigma(I'_e) over its channels) [N, 1, H, W] in 0...1, and ECGAN++'s
/// "class_NAME" (I_gi, zero outside the class), as far as the config has them.
extension ECGANNetwork {
    public func onnxModel(palette: Palette, metadata: [(key: String, value: String)] = []) -> ONNXModel {
        typealias Signature = GeneratorONNXSignature
        var b = ONNXGraphBuilder()
        let c = config, backboneConfig = c.backbone
        let noiseInput: String? = c.noiseChannels > 0 ? "noise" : nil
        let styleInput: String? = c.styleChannels > 0 ? "style" : nil
        let textureInput: String? = c.textureNoiseChannels > 0 ? "texture" : nil
        let levels = encoder.onnx(&b, layout: "layout", noise: noiseInput, config: backboneConfig)

        // Backbone: SPADE blocks up to half resolution, SPADE + LeakyReLU at full resolution: F
        // (every SPADE reads the style code and the texture noise, as LGGAN's global generator).
        let layouts = Signature.layouts(&b, depth: backbone.depth)
        let textures = textureInput.map { Signature.pyramid(&b, $0, depth: backbone.depth) }
        var f = levels[backbone.depth]
        for (i, block) in backbone.blocks.enumerated() {
            let level = backbone.depth - i, scope = "backbone.blocks.\(i)"
            if level != backbone.depth { f = b.resizeNearest(f, scale: 2, scope: scope + ".up") }
            f = block.onnx(&b, f, layout: layouts[level], style: styleInput, texture: textures?[level], scope: scope)
        }
        f = backbone.finalNorm.onnx(&b, b.resizeNearest(f, scale: 2, scope: "backbone.up"), layout: "layout", style: styleInput,
                                    texture: textureInput, scope: "backbone.finalNorm")
        f = b.leakyRelu(f, slope: 0.2, scope: "backbone.finalNorm")

        // G_i and G_e with the feature-level transfer, then the content-level transfer (Eq. 1).
        let br = branches
        var image = f, edge = f
        for j in 0..<br.imageConvs.count {
            image = b.conv(b.leakyRelu(image, slope: 0.2, scope: "branches.imageConvs.\(j)"), br.imageConvs[j], scope: "branches.imageConvs.\(j)")
            if !br.edgeConvs.isEmpty {
                edge = b.conv(b.leakyRelu(edge, slope: 0.2, scope: "branches.edgeConvs.\(j)"), br.edgeConvs[j], scope: "branches.edgeConvs.\(j)")
                if br.featureTransfer {
                    let gate = b.op("Sigmoid", [edge], scope: "branches.transfer.\(j)")
                    image = b.add(b.mul(gate, image, scope: "branches.transfer.\(j)"), image, scope: "branches.transfer.\(j)")
                }
            }
        }
        let imageBranch = b.tanh(b.conv(b.leakyRelu(image, slope: 0.2, scope: "branches.imageHead"), br.imageHead, scope: "branches.imageHead"),
                                 scope: "branches.imageHead")
        var coarse = imageBranch, edgeMap: String?, attention: String?
        if let edgeHead = br.edgeHead {
            let e = b.tanh(b.conv(b.leakyRelu(edge, slope: 0.2, scope: "branches.edgeHead"), edgeHead, scope: "branches.edgeHead"),
                           scope: "branches.edgeHead")
            let sigma = b.op("Sigmoid", [e], scope: "branches.attention")
            if br.contentTransfer { coarse = b.add(b.mul(sigma, imageBranch, scope: "branches.content"), imageBranch, scope: "branches.content") }
            edgeMap = e
            attention = b.op("ReduceMean", [sigma], [.ints("axes", [1]), .int("keepdims", 1)], scope: "branches.attention")
        }

        // ECGAN++: the shared decoder on every class's masked F, kept on the class's pixels; I_g their sum.
        var classImages: String?, classSum: String?
        if let decoder = classDecoder {
            let k = c.classCount, width = c.featureWidth, scope = "classDecoder"
            let masked = Signature.maskedPerClass(&b, features: f, width: width, classCount: k, scope: scope)
            func repeated(_ t: Tensor?) -> Tensor? { t.map { Tensor.concat([Tensor](repeating: $0, count: k), axis: 0) } }
            var h = b.conv(masked, weight: repeated(decoder.conv0.effectiveWeight)!, bias: repeated(decoder.conv0.bias), padding: 1,
                           group: k, scope: scope + ".conv0")
            h = b.leakyRelu(h, slope: 0.2, scope: scope + ".conv0")
            h = b.tanh(b.conv(h, weight: repeated(decoder.conv1.effectiveWeight)!, bias: repeated(decoder.conv1.bias), padding: 1,
                              group: k, scope: scope + ".conv1"), scope: scope + ".conv1")
            let masks = b.op("Gather", ["layout", b.int64s((0..<k).flatMap { [$0, $0, $0] })], [.int("axis", 1)], scope: scope + ".masks3")
            let kept = b.mul(h, masks, scope: scope)
            classImages = kept
            classSum = Signature.sumOfClassImages(&b, kept, classCount: k, scope: scope + ".sum")
        }

        var final = coarse
        if let sp = semanticPreserving {
            var parts = ["layout"]
            if let edgeMap { parts.append(edgeMap) }
            parts += [coarse, f]
            if let classSum { parts.append(classSum) }
            let x = b.op("Concat", parts, [.int("axis", 1)], scope: "semanticPreserving")
            let fc = b.conv(x, sp.toClasses, scope: "semanticPreserving.toClasses")
            let gamma = b.op("Sigmoid", [b.op("GlobalAveragePool", [fc], scope: "semanticPreserving")], scope: "semanticPreserving")
            let highlighted = b.add(b.mul(fc, gamma, scope: "semanticPreserving"), fc, scope: "semanticPreserving")
            let back = b.leakyRelu(b.conv(highlighted, sp.back, scope: "semanticPreserving.back"), slope: 0.2, scope: "semanticPreserving.back")
            final = b.tanh(b.conv(back, sp.toRGB, scope: "semanticPreserving.toRGB"), scope: "semanticPreserving.toRGB")
        }

        var outputs = [Signature.image(b.output(final, as: "fused"), doc: "I'', the final image, RGB in -1...1")]
        outputs.append(Signature.image(b.output(b.clip(coarse, min: -1, max: 1, scope: "coarse"), as: "coarse"),
                                       doc: "I' before the semantic preserving module, clamped to -1...1"))
        if let edgeMap { outputs.append(Signature.image(b.output(edgeMap, as: "edge"), doc: "I'_e, the generated edge map, -1...1")) }
        if let attention {
            outputs.append(Signature.image(b.output(attention, as: "attention"), channels: 1, doc: "sigma(I'_e) averaged over channels, 0...1"))
        }
        if let classImages {
            outputs += Signature.classOutputs(&b, classImages, palette: palette, doc: "ECGAN++'s class image I_gi, zero outside the class, RGB")
        }
        let inputs = Signature.inputs(classCount: c.classCount, sizeMultiple: c.sizeMultiple, styleChannels: c.styleChannels,
                                      noiseChannels: c.noiseChannels, textureNoiseChannels: c.textureNoiseChannels)
        var model = ONNXModel(graph: b.graph(name: "scenepaint_ecgan", inputs: inputs, outputs: outputs))
        model.doc = "scenepaint ECGAN generator (docs/export.md)"
        model.metadata = Signature.metadata(palette: palette, sizeMultiple: c.sizeMultiple, configJSON: c.encodedJSON()) + stylePrior.onnxMetadata + metadata
        return model
    }
}
