import Layouts
import Tensor

/// The evaluator: a small U-Net that labels every pixel of an RGB image with a
/// palette class, and summarises the image as a pooled feature vector (the
/// global average of its bottleneck) for the Fréchet distance and diversity.
///
/// It is trained on real renders only and used only to measure generators; no
/// training loss may use it (a network that a generator is trained against
/// stops being an independent judge).
public final class Segmenter: Module {
    public let configuration: SegmenterConfiguration
    /// Level 0 at full resolution, then one stage per downsampling.
    public let encoder: [SegmenterStage]
    /// decoder[k] merges the upsampled level k+1 with the encoder's level k.
    public let decoder: [SegmenterConvUnit]
    /// 1x1 conv to class logits.
    public let head: Conv2d

    public init(_ configuration: SegmenterConfiguration, seed: UInt64 = 1) throws {
        try configuration.validate()
        self.configuration = configuration
        var rng = RandomGenerator(seed: seed)
        let widths = configuration.levelWidths
        var stages: [SegmenterStage] = [SegmenterStage(3, widths[0], downsample: false, using: &rng)]
        for level in 1..<widths.count {
            stages.append(SegmenterStage(widths[level - 1], widths[level], downsample: true, using: &rng))
        }
        encoder = stages
        decoder = (0..<(widths.count - 1)).map { level in
            SegmenterConvUnit(widths[level + 1] + widths[level], widths[level], using: &rng)
        }
        head = Conv2d(widths[0], configuration.classCount, kernelSize: 1, using: &rng)
        super.init()
    }

    /// Logits [N, classes, H, W] and pooled features [N, featureDimension] for
    /// input [N, 3, H, W] in -1...1 (see `SegmenterInput`).
    public func forward(_ x: Tensor) -> (logits: Tensor, features: Tensor) {
        var skips: [Tensor] = []
        var h = x
        for (level, stage) in encoder.enumerated() {
            h = stage(h)
            if level < encoder.count - 1 { skips.append(h) }
        }
        let features = globalAvgPool(h).reshaped([x.shape[0], configuration.featureDimension])
        for level in stride(from: decoder.count - 1, through: 0, by: -1) {
            let skip = skips[level]
            h = resizeNearest(h, height: skip.shape[2], width: skip.shape[3])
            h = decoder[level](Tensor.concat([h, skip], axis: 1))
        }
        return (head(h), features)
    }
}
