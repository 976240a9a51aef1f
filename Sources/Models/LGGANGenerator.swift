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
    /// The last texture noise map drawn (guarded by `lock`): the editor
    /// regenerates the same seed at the same size on every stroke, and
    /// drawing K x H x W normals costs about as much as a sixth of the forward pass.
    private var lastTextureNoise: (seed: UInt64, height: Int, width: Int, map: Tensor)?

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
                let texture = textureNoise(seed: seed, height: input.height, width: input.width)
                return try network.forward(input, noise: network.noise(batch: 1, seed: seed), style: code,
                                           textureNoise: texture) { _ in
                    if shouldCancel() { throw GenerationCancelled() }
                }
            } }
        }
        let (w, h) = (labels.width, labels.height)
        var views = GeneratedViews(fused: TensorImages.rgbImage(output.fused, width: w, height: h))
        views.global = output.global.map { TensorImages.rgbImage($0, width: w, height: h) }
        views.local = output.local.map { TensorImages.rgbImage($0, width: w, height: h) }
        if let weights = output.weights {
            views.globalWeight = TensorImages.plane(weights, channel: 0, width: w, height: h)
            views.localWeight = TensorImages.plane(weights, channel: 1, width: w, height: h)
        }
        if let classImages = output.classImages {
            let present = Set(indices.filter { $0 >= 0 })
            for k in present.sorted() {
                views.classOutputs[palette.classes[k].id] = TensorImages.rgbImage(classImages, channel: 3 * k, width: w, height: h)
            }
        }
        views.seconds = Date().timeIntervalSince(start)
        return views
    }

    /// The seed's texture noise map at this size (call with `lock` held).
    private func textureNoise(seed: UInt64, height: Int, width: Int) -> Tensor? {
        if let last = lastTextureNoise, last.seed == seed, last.height == height, last.width == width { return last.map }
        let map = network.textureNoise(batch: 1, height: height, width: width, seed: seed)
        lastTextureNoise = map.map { (seed, height, width, $0) }
        return map
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
