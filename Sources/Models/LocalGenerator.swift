import Tensor

/// The local class-specific generator Gl (paper section 3.2): a ResNet trunk at
/// 1/4 resolution, the decoder to a full-resolution feature f', one
/// sub-generator per class (its own convolution + tanh) applied to the masked
/// feature F_i = M_i * f' (Eq. 1), and the fusion of the class outputs by sum
/// (Eq. 3) or by convolution (Eq. 4). Also holds the classifier of the
/// class-discriminative module (Eq. 5).
///
/// Exact sparse generation (DESIGN.md): F_i is zero outside M_i, and the class
/// convolutions use zero padding, so class i's output is exactly tanh(bias_i)
/// wherever its kernel cannot reach the mask. Each present class is therefore
/// computed only on its mask's bounding box grown by the kernel radius, and
/// every other pixel (and every absent class) gets the constant. Training and
/// inference both run this path; `denseClassImages` is the reference it equals.
final class LocalGenerator: Module {
    let trunk: [ResnetBlock]
    let decoder: UpsamplingDecoder
    let classConvs: [Conv2d]
    let fusion: Conv2d?
    let classifier: Linear?
    /// Per-image scale and shift of f' from the style code (models with one).
    let styleModulation: Linear?
    /// A 1x1 projection of the texture noise added to f' (models with it).
    let noiseModulation: Conv2d?
    let radius: Int

    init(config: LGGANConfig, using rng: inout RandomGenerator) {
        let w4 = config.width(level: 2), w0 = config.width(level: 0)
        trunk = (0..<config.localResBlocks).map { _ in ResnetBlock(channels: w4, using: &rng) }
        decoder = UpsamplingDecoder(config: config, using: &rng)
        classConvs = (0..<config.classCount).map { _ in
            Conv2d(w0, 3, kernelSize: config.classKernel, padding: 0, using: &rng)
        }
        fusion = config.localFusion == .conv
            ? Conv2d(3 * config.classCount, 3, kernelSize: 3, padding: 1, using: &rng) : nil
        classifier = config.useClassification ? Linear(w0, config.classCount, using: &rng) : nil
        styleModulation = config.styleChannels > 0 ? Linear(config.styleChannels, 2 * w0, using: &rng) : nil
        noiseModulation = config.textureNoiseChannels > 0
            ? Conv2d(config.textureNoiseChannels, w0, kernelSize: 1, bias: false, using: &rng) : nil
        radius = config.classKernel / 2
        super.init()
    }

    struct Output {
        /// The fused local image [N, 3, H, W].
        var image: Tensor
        /// Every class's output, class i in channels 3i..<3i+3: [N, 3c, H, W].
        var classImages: Tensor
        /// Class scores of each present (image, class) pair, [pairs, c], in `pairs` order; nil without classifier.
        var classLogits: Tensor?
        var pairs: [(image: Int, classIndex: Int)]
    }

    /// The trunk and decoder: f' at full resolution. With a style code z
    /// [N, S], f' * (1 + gamma(z)) + beta(z) per channel: after the decoder's
    /// last instance norm and before the class convolutions (linear, no
    /// normalisation), so z reaches every class output. Masking by M_i after it
    /// keeps F_i zero outside the class, so sparse generation stays exact.
    /// The texture noise [N, K, H, W] (models with it) is then added through
    /// its 1x1 projection: per-pixel randomness for the class convolutions.
    func features(_ encoded: Tensor, style: Tensor? = nil, noise: TextureNoiseLevel? = nil) -> Tensor {
        var x = encoded
        for block in trunk { x = block(x) }
        var f = decoder(x)
        if let styleModulation, let style {
            let (n, c) = (f.shape[0], f.shape[1])
            let gammaBeta = styleModulation(style).reshaped([n, 2 * c, 1, 1])
            f = f * (gammaBeta.slice(axis: 1, 0 ..< c) + 1) + gammaBeta.slice(axis: 1, c ..< 2 * c)
        }
        if let noiseModulation, let noise { f = f + noise.projected(through: noiseModulation) }
        return f
    }

    func callAsFunction(_ encoded: Tensor, input: SemanticInput) -> Output {
        callAsFunction(features: features(encoded), input: input)
    }

    /// The class outputs and their fusion from f' (what `features` returns).
    func callAsFunction(features f: Tensor, input: SemanticInput) -> Output {
        let (classImages, logits, pairs) = sparseClassImages(f, input: input)
        return Output(image: fuse(classImages), classImages: classImages, classLogits: logits, pairs: pairs)
    }

    /// Eq. 3 or Eq. 4 over [N, 3c, H, W].
    func fuse(_ classImages: Tensor) -> Tensor {
        if let fusion { return fusion(classImages).tanh() }
        let (n, h, w) = (classImages.shape[0], classImages.shape[2], classImages.shape[3])
        return classImages.reshaped([n, classConvs.count, 3 * h * w]).sum(axes: [1]).reshaped([n, 3, h, w])
    }

    /// The constant each class outputs where its mask is out of reach: tanh(bias), [3c].
    func backgroundValues() -> Tensor {
        Tensor.concat(classConvs.map { $0.bias!.reshaped([3]) }, axis: 0).tanh()
    }

    /// Class outputs computed on grown bounding boxes only; the masked-average
    /// pooled features of each present class go to the classifier.
    func sparseClassImages(_ f: Tensor, input: SemanticInput) -> (Tensor, Tensor?, [(image: Int, classIndex: Int)]) {
        let (n, h, w) = (f.shape[0], f.shape[2], f.shape[3])
        let r = radius
        var windows: [Tensor] = [], placements: [WindowPlacement] = []
        var pooled: [Tensor] = [], pairs: [(image: Int, classIndex: Int)] = []
        for image in 0..<n {
            for region in input.regions[image] {
                let top = Swift.max(0, region.top - r), bottom = Swift.min(h, region.bottom + r)
                let left = Swift.max(0, region.left - r), right = Swift.min(w, region.right + r)
                let window = maskedWindow(f, mask: input.oneHot, batchIndex: image, maskChannel: region.classIndex,
                                          top: top - r, left: left - r, height: bottom - top + 2 * r,
                                          width: right - left + 2 * r)
                let conv = classConvs[region.classIndex]
                windows.append(conv2d(window, weight: conv.weight, bias: conv.bias, padding: 0).tanh())
                placements.append(WindowPlacement(batchIndex: image, channelOffset: 3 * region.classIndex, top: top, left: left))
                if classifier != nil {
                    // Semantic-guided average pooling: the mean of f' over the class's own pixels.
                    pooled.append(window.sum(axes: [2, 3]) * (1 / Float(region.pixelCount)))
                }
                pairs.append((image, region.classIndex))
            }
        }
        let images = pasteWindows(background: backgroundValues(), batch: n, height: h, width: w,
                                  windows: windows, placements: placements)
        var logits: Tensor?
        if let classifier, !pooled.isEmpty {
            logits = classifier(Tensor.concat(pooled, axis: 0))
        }
        return (images, logits, pairs)
    }

    /// The dense definition: every class's convolution over the whole masked
    /// feature (zero padding). The sparse path must equal this.
    func denseClassImages(_ f: Tensor, input: SemanticInput) -> Tensor {
        let outputs = classConvs.enumerated().map { i, conv in
            let masked = f * input.oneHot.slice(axis: 1, i ..< i + 1)
            return conv2d(masked, weight: conv.weight, bias: conv.bias, padding: radius).tanh()
        }
        return Tensor.concat(outputs, axis: 1)
    }
}
