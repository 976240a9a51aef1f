import Foundation
import Generation
import Layouts
import Tensor

/// A trained LGGAN behind the editor's `SceneGenerator` protocol. Fills every
/// view (fused, global, local, weight maps, each present class's output).
/// Layouts of any size work: sides are padded (edge labels repeated) to the
/// model's multiple and the views cropped back. One generation runs at a time
/// (a lock), so the editor may call it from any thread.
public final class LGGANGenerator: SceneGenerator, @unchecked Sendable {
    public let palette: Palette
    public let network: LGGANNetwork
    /// Where the model came from (for messages), if a file.
    public let source: String
    /// Number format of the convolutions while generating (bf16: weights and
    /// activations rounded to bf16, f32 accumulation; see docs/engine.md).
    public let precision: ConvolutionPrecision
    private let lock = NSLock()
    /// The last seed's texture noise (guarded by `lock`).
    private var textureNoise = SeedTextureNoise()

    /// Throws when the palette's class count is not the network's: every id
    /// lookup below indexes per-class tensors by palette position.
    public init(network: LGGANNetwork, palette: Palette, source: String = "model", precision: ConvolutionPrecision = .f32) throws {
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

    public var modelName: String { "LGGAN" }

    public func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        try generate(labels, seed: seed, style: nil, shouldCancel: shouldCancel)
    }

    /// With `style` (a reference image's posterior, `StyleReference`), the code is
    /// drawn from it by the seed; without, from the prior N(0, 1).
    public func generate(_ labels: LabelMap, seed: UInt64, style: StyleReference?,
                         shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        let start = Date()
        if shouldCancel() { throw GenerationCancelled() }
        let (input, indices) = try SemanticInput.padded(labels, palette: palette, multiple: network.config.sizeMultiple)
        let output: LGGANOutput = try lock.withLock {
            try GradMode.withoutGrad { try ConvolutionSettings.with(precision: precision) {
                let code = style.map { $0.code(seed: seed) } ?? network.styleCode(batch: 1, seed: seed)
                let texture = textureNoise.pyramid(of: network, seed: seed, height: input.height, width: input.width)
                return try network.forward(input, noise: network.noise(batch: 1, seed: seed), style: code,
                                           texture: texture) { _ in
                    if shouldCancel() { throw GenerationCancelled() }
                }
            } }
        }
        var views = Self.views(output, classes: Set(indices.filter { $0 >= 0 }).sorted(), palette: palette,
                               width: labels.width, height: labels.height)
        views.seconds = Date().timeIntervalSince(start)
        return views
    }

    /// The 8-bit views of one output (`classes`: the palette positions present).
    /// Each image is an independent conversion (2.8 ms for the 15 of a 12-class
    /// scene on one thread), so they are split over the threads.
    static func views(_ output: LGGANOutput, classes: [Int], palette: Palette, width w: Int, height h: Int) -> GeneratedViews {
        let classImages = output.classImages.map { images in classes.map { (images, 3 * $0) } } ?? []
        let sources: [(Tensor, Int)?] = [(output.fused, 0), output.global.map { ($0, 0) }, output.local.map { ($0, 0) }]
            + classImages
        var images = [RGBImage?](repeating: nil, count: sources.count)
        images.withUnsafeMutableBufferPointer { slots in
            Parallel.forEach(sources.count, costPerItem: 8 * w * h, minimumWork: 1 << 18) { i in
                slots[i] = sources[i].map { TensorImages.rgbImage($0.0, channel: $0.1, width: w, height: h) }
            }
        }
        var views = GeneratedViews(fused: images[0]!)
        views.global = images[1]
        views.local = images[2]
        if let weights = output.weights {
            views.globalWeight = TensorImages.plane(weights, channel: 0, width: w, height: h)
            views.localWeight = TensorImages.plane(weights, channel: 1, width: w, height: h)
        }
        for (k, image) in zip(output.classImages == nil ? [] : classes, images.dropFirst(3)) {
            views.classOutputs[palette.classes[k].id] = image
        }
        return views
    }

    /// Grows a row-major index grid to toWidth x toHeight by repeating the last column and row.
    static func padByRepeatingEdges(_ indices: [Int], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Int] {
        if width == toWidth && height == toHeight { return indices }
        var out = [Int](repeating: 0, count: toWidth * toHeight)
        for y in 0..<toHeight {
            let sy = Swift.min(y, height - 1)
            for x in 0..<toWidth { out[y * toWidth + x] = indices[sy * width + Swift.min(x, width - 1)] }
        }
        return out
    }
}
