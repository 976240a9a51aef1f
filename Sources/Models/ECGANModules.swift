import Tensor

/// The SPADE backbone of ECGAN: SPADE residual blocks from the encoder's
/// deepest level up to half resolution (as LGGAN's global generator), the last
/// narrowing to C = featureWidth, then at full resolution one SPADE modulation
/// and LeakyReLU(0.2). Its output is the feature F that G_e, G_i, G_s and the
/// class-specific decoder share (the public code's 64-channel x). With a
/// style code and with texture noise, every SPADE modulation reads them (as
/// LGGAN's global generator): these SPADEs are ECGAN's only label-modulated
/// norms (G_e, G_i, G_s and the class decoder are plain convolutions), and the
/// last, at full resolution, puts the per-pixel noise into F, which all of them read.
final class ECGANBackbone: Module {
    let blocks: [SPADEResBlock]
    let finalNorm: SPADE
    let depth: Int

    init(config: ECGANConfig, using rng: inout RandomGenerator) {
        let b = config.backbone
        depth = b.globalDepth
        let c = config.classCount, k = b.spadeModulationKernel, s = b.styleChannels, t = b.textureNoiseChannels
        blocks = stride(from: depth, through: 1, by: -1).map { level in
            let out = level == 1 ? config.featureWidth : b.width(level: level - 1)
            return SPADEResBlock(b.width(level: level), out, labelChannels: c, hidden: b.spadeHidden,
                                 modulationKernel: k, styleChannels: s, textureNoiseChannels: t, using: &rng)
        }
        finalNorm = SPADE(channels: config.featureWidth, labelChannels: c, hidden: b.spadeHiddenFullResolution,
                          modulationKernel: k, styleChannels: s, textureNoiseChannels: t, using: &rng)
        super.init()
    }

    /// style: the code [N, S] (models with one); noises[k]: the texture noise at 1/2^k (models with it).
    func callAsFunction(_ features: Tensor, layouts: [Tensor], style: Tensor?, noises: TextureNoisePyramid?,
                        afterBlock: (Int) throws -> Void) rethrows -> Tensor {
        var x = features
        for (i, block) in blocks.enumerated() {
            let level = depth - i
            x = block(level == depth ? x : upsampleNearest(x), layout: layouts[level], style: style, noise: noises?[level])
            try afterBlock(i)
        }
        let gammaBeta = finalNorm.gammaBeta(layout: layouts[0], style: style, noise: noises?[0])
        return finalNorm.activated(upsampleNearest(x), gammaBeta: gammaBeta, slope: 0.2)
    }
}

/// The edge generator G_e and image generator G_i (n conv levels each, 3x3,
/// LeakyReLU before each conv, then a conv + tanh head) joined by the
/// attention-guided edge transfer G_t: at feature level F_i = sigma(F_e) * F_i
/// + F_i after every level, at content level Eq. 1 I' = sigma(I'_e) * I'_i + I'_i.
final class EdgeGuidedBranches: Module {
    struct Output {
        /// I'_e, the generated edge map [N, 3, H, W] in -1...1 (nil without G_e).
        var edge: Tensor?
        /// sigma(I'_e): the content-level attention map.
        var attention: Tensor?
        /// I'_i, the image branch's own output.
        var imageBranch: Tensor
        /// I' (Eq. 1), in -2...2 when the transfer is on.
        var image: Tensor
    }

    let imageConvs: [Conv2d]
    let imageHead: Conv2d
    let edgeConvs: [Conv2d]
    let edgeHead: Conv2d?
    let featureTransfer: Bool
    let contentTransfer: Bool

    init(config: ECGANConfig, using rng: inout RandomGenerator) {
        var widths = [config.featureWidth]
        for j in 0..<config.branchLevels { widths.append(config.branchWidth(level: j)) }
        func convs() -> [Conv2d] {
            (0..<config.branchLevels).map { j in Conv2d(widths[j], widths[j + 1], kernelSize: 3, padding: 1, using: &rng) }
        }
        imageConvs = convs()
        imageHead = Conv2d(widths.last!, 3, kernelSize: 3, padding: 1, using: &rng)
        edgeConvs = config.useEdge ? convs() : []
        edgeHead = config.useEdge ? Conv2d(widths.last!, 3, kernelSize: 3, padding: 1, using: &rng) : nil
        featureTransfer = config.useEdge && config.useFeatureTransfer
        contentTransfer = config.useEdge && config.useContentTransfer
        super.init()
    }

    func callAsFunction(_ f: Tensor) -> Output {
        var image = f, edge = f
        for j in 0..<imageConvs.count {
            image = imageConvs[j](image.leakyRelu(slope: 0.2))
            if !edgeConvs.isEmpty {
                edge = edgeConvs[j](edge.leakyRelu(slope: 0.2))
                if featureTransfer { image = edge.sigmoid() * image + image }
            }
        }
        let imageBranch = imageHead(image.leakyRelu(slope: 0.2)).tanh()
        guard let edgeHead else { return Output(edge: nil, attention: nil, imageBranch: imageBranch, image: imageBranch) }
        let edgeMap = edgeHead(edge.leakyRelu(slope: 0.2)).tanh()
        let attention = edgeMap.sigmoid()
        let coarse = contentTransfer ? attention * imageBranch + imageBranch : imageBranch
        return Output(edge: edgeMap, attention: attention, imageBranch: imageBranch, image: coarse)
    }
}

/// The semantic preserving module G_s: on the concatenation [S, I'_e, I', F]
/// (+ I_g with class-specific generation), a 3x3 conv to one channel per class
/// F_c, scaling factors gamma = sigma(avgpool(F_c)), F_c' = F_c * gamma + F_c,
/// a 3x3 conv back to the input's width, LeakyReLU, a 3x3 conv to RGB, tanh = I''.
final class SemanticPreservingModule: Module {
    let toClasses: Conv2d
    let back: Conv2d
    let toRGB: Conv2d

    init(inChannels: Int, classCount: Int, using rng: inout RandomGenerator) {
        toClasses = Conv2d(inChannels, classCount, kernelSize: 3, padding: 1, using: &rng)
        back = Conv2d(classCount, inChannels, kernelSize: 3, padding: 1, using: &rng)
        toRGB = Conv2d(inChannels, 3, kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let fc = toClasses(x)
        let gamma = globalAvgPool(fc).sigmoid()
        let highlighted = fc * gamma + fc
        return toRGB(back(highlighted).leakyRelu(slope: 0.2)).tanh()
    }
}

/// ECGAN++'s class-specific pixel generation: F masked by each present class
/// goes through one decoder shared by all classes (3x3 conv, LeakyReLU, 3x3
/// conv, tanh); each class image I_gi is kept on its class's pixels and the
/// image I_g is their sum. Only classes present are computed, so the cost
/// follows the classes in the layout, not the palette.
final class ClassSpecificDecoder: Module {
    struct Output {
        /// [P, 3, H, W]: I_gi of each (image, class) pair, zero outside the class.
        var classImages: Tensor
        var pairs: [(image: Int, classIndex: Int)]
        /// I_g = sum_i I_gi, [N, 3, H, W].
        var image: Tensor
    }

    let conv0: Conv2d
    let conv1: Conv2d

    init(featureWidth: Int, using rng: inout RandomGenerator) {
        let hidden = Swift.max(4, featureWidth / 2)
        conv0 = Conv2d(featureWidth, hidden, kernelSize: 3, padding: 1, using: &rng)
        conv1 = Conv2d(hidden, 3, kernelSize: 3, padding: 1, using: &rng)
        super.init()
    }

    func callAsFunction(_ f: Tensor, input: SemanticInput) -> Output {
        let (h, w) = (input.height, input.width)
        let pairs = (0..<input.batch).flatMap { n in input.regions[n].map { (image: n, classIndex: $0.classIndex) } }
        guard !pairs.isEmpty else {
            return Output(classImages: Tensor.zeros([0, 3, h, w]), pairs: [], image: Tensor.zeros([input.batch, 3, h, w]))
        }
        let masked = Tensor.concat(pairs.map { p in
            maskedWindow(f, mask: input.oneHot, batchIndex: p.image, maskChannel: p.classIndex, top: 0, left: 0, height: h, width: w)
        }, axis: 0)
        let masks = Tensor.concat(pairs.map { p in
            input.oneHot.slice(axis: 0, p.image ..< p.image + 1).slice(axis: 1, p.classIndex ..< p.classIndex + 1)
        }, axis: 0)
        let classImages = conv1(conv0(masked).leakyRelu(slope: 0.2)).tanh() * masks
        var perImage: [Tensor] = []
        for n in 0..<input.batch {
            let mine = pairs.indices.filter { pairs[$0].image == n }
            var sum = Tensor.zeros([1, 3, h, w])
            for k in mine { sum = sum + classImages.slice(axis: 0, k ..< k + 1) }
            perImage.append(sum)
        }
        return Output(classImages: classImages, pairs: pairs, image: Tensor.concat(perImage, axis: 0))
    }
}
