import Tensor

/// conv3x3 (no bias) -> BatchNorm -> ReLU: the segmenter's only building block.
/// Batch norm (not instance norm) keeps absolute brightness and colour, which
/// separate classes such as snow and cloud.
public final class SegmenterConvUnit: Module, Layer {
    public let conv: Conv2d
    public let norm: BatchNorm2d

    public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 1, using rng: inout RandomGenerator) {
        conv = Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1, bias: false,
                      initializer: .xavierNormal(gain: Float(2).squareRoot()), using: &rng)
        norm = BatchNorm2d(outChannels)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { norm(conv(x)).relu() }
}

/// Two conv units; the first may downsample by 2.
public final class SegmenterStage: Module, Layer {
    public let units: [SegmenterConvUnit]

    public init(_ inChannels: Int, _ outChannels: Int, downsample: Bool, using rng: inout RandomGenerator) {
        units = [SegmenterConvUnit(inChannels, outChannels, stride: downsample ? 2 : 1, using: &rng),
                 SegmenterConvUnit(outChannels, outChannels, using: &rng)]
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { units.reduce(x) { $1($0) } }
}
