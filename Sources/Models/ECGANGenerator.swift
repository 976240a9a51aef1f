import Foundation
import Generation
import Layouts
import Tensor

/// The images an ECGAN generation shows (paper Fig. 1, 11): at the layout's size.
public struct ECGANViews: Sendable {
    /// I'': the final image.
    public var final: RGBImage
    /// I': before the semantic preserving module.
    public var coarse: RGBImage
    /// I'_e, the generated edge map, and sigma(I'_e) averaged over its channels (0...1 per pixel).
    public var edge: RGBImage?
    public var attention: [Float]?
    /// ECGAN++: each present class's image I_gi, keyed by class id.
    public var classImages: [Int: RGBImage]
    public var seconds: Double
}

/// A trained ECGAN behind the editor's `SceneGenerator` protocol. Layouts of
/// any size work (padded by repeating edges to the model's multiple, views
/// cropped back); one generation at a time.
public final class ECGANGenerator: SceneGenerator, @unchecked Sendable {
    public let palette: Palette
    public let network: ECGANNetwork
    public let source: String
    /// Number format of the convolutions while generating (as LGGANGenerator's).
    public let precision: ConvolutionPrecision
    private let lock = NSLock()
    /// The last seed's texture noise (guarded by `lock`).
    private var textureNoise = SeedTextureNoise()

    public init(network: ECGANNetwork, palette: Palette, source: String = "model", precision: ConvolutionPrecision = .f32) throws {
        guard palette.count == network.config.classCount else {
            throw ModelFileError(path: source, reason: "palette \(palette.name) has \(palette.count) classes but the network \(network.config.classCount)")
        }
        self.palette = palette
        self.network = network
        self.source = source
        self.precision = precision
        network.eval()
    }

    public var hasNoiseInput: Bool {
        network.config.noiseChannels > 0 || network.config.styleChannels > 0 || network.config.textureNoiseChannels > 0
    }

    /// Every ECGAN view of a layout. With `style` (a reference image's
    /// posterior) the style code is drawn from it by the seed; without, from the prior.
    public func views(_ labels: LabelMap, seed: UInt64 = 0, style: StyleReference? = nil,
                      shouldCancel: @Sendable () -> Bool = { false }) throws -> ECGANViews {
        let start = Date()
        if shouldCancel() { throw GenerationCancelled() }
        let (input, _) = try SemanticInput.padded(labels, palette: palette, multiple: network.config.sizeMultiple)
        let output: ECGANOutput = try lock.withLock {
            try GradMode.withoutGrad { try ConvolutionSettings.with(precision: precision) {
                let code = style.map { $0.code(seed: seed) } ?? network.styleCode(batch: 1, seed: seed)
                let texture = textureNoise.pyramid(of: network, seed: seed, height: input.height, width: input.width)
                return try network.forward(input, noise: network.noise(batch: 1, seed: seed), style: code,
                                           texture: texture) { _ in
                    if shouldCancel() { throw GenerationCancelled() }
                }
            } }
        }
        let (w, h) = (labels.width, labels.height)
        var classImages: [Int: RGBImage] = [:]
        if let images = output.classImages {
            for (k, pair) in output.classPairs.enumerated() {
                classImages[palette.classes[pair.classIndex].id] = TensorImages.rgbImage(images, image: k, width: w, height: h)
            }
        }
        let attention = output.attention.map { a -> [Float] in
            let planes = (0..<3).map { TensorImages.plane(a, channel: $0, width: w, height: h) }
            return (0..<(w * h)).map { (planes[0][$0] + planes[1][$0] + planes[2][$0]) / 3 }
        }
        return ECGANViews(final: TensorImages.rgbImage(output.final, width: w, height: h),
                          coarse: TensorImages.rgbImage(output.coarse.clamped(min: -1, max: 1), width: w, height: h),
                          edge: output.edge.map { TensorImages.rgbImage($0, width: w, height: h) },
                          attention: attention, classImages: classImages, seconds: Date().timeIntervalSince(start))
    }

    /// I'' is the `fused` view; I', the edge map and the attention are ECGAN's own views.
    public func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        try generate(labels, seed: seed, style: nil, shouldCancel: shouldCancel)
    }

    public func generate(_ labels: LabelMap, seed: UInt64, style: StyleReference?,
                         shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        let v = try views(labels, seed: seed, style: style, shouldCancel: shouldCancel)
        var extra = ["coarse": v.coarse]
        if let edge = v.edge { extra["edge"] = edge }
        var generated = GeneratedViews(fused: v.final, classOutputs: v.classImages, extra: extra, seconds: v.seconds)
        generated.attention = v.attention
        return generated
    }

    public var views: [SceneView] { SceneView.ecganViews }

    public var modelName: String {
        let c = network.config
        return c.useClassSpecific || c.useMultiScaleContrastive || c.useCrossScaleContrastive ? "ECGAN++" : "ECGAN"
    }
}
