import Foundation
import Layouts
import Support
import Tensor

/// A reference image's style as the model's style encoder reads it: the
/// posterior mean and log-variance of the style code. A seed draws a code from
/// it (mean + sigma * eps), so re-rolling under a style varies within it.
public struct StyleReference: Sendable, Equatable {
    public let mean: [Float]
    public let logVariance: [Float]
    /// Where it came from (a file name, for the status line and PNG metadata).
    public let source: String

    public init(mean: [Float], logVariance: [Float], source: String) {
        self.mean = mean
        self.logVariance = logVariance
        self.source = source
    }

    /// The code [1, S] for a seed: bit-exact for the same seed.
    public func code(seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let eps = Tensor.randomNormal([1, mean.count], using: &rng).values
        let values = (0..<mean.count).map { mean[$0] + exp(0.5 * logVariance[$0]) * eps[$0] }
        return Tensor(shape: [1, mean.count], values: values)
    }

    /// Sides a reference image may have; it is resampled to `encoderSide` square
    /// (the training crop size the encoder saw), so colour and light matter, not layout.
    public static let minimumSide = 32
    public static let maximumSide = 4096
    public static let encoderSide = 128
}

/// A reference image the style path cannot use.
public struct StyleReferenceError: UserFacingError, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot use as a style reference: \(reason)" }
}

extension LGGANGenerator {
    /// True when the model can take its style from a reference image.
    public var hasStyleEncoder: Bool { network.styleEncoder != nil }

    /// Encodes a reference image's style. Throws one `StyleReferenceError`
    /// naming `source` when the model has no encoder or the image's size is out of range.
    public func styleReference(of image: RGBImage, source: String) throws -> StyleReference {
        guard hasStyleEncoder else {
            throw StyleReferenceError(path: source, reason: "the model has no style encoder (train with --style-code N --style-encoder)")
        }
        let (lo, hi) = (StyleReference.minimumSide, StyleReference.maximumSide)
        guard image.width >= lo, image.height >= lo, image.width <= hi, image.height <= hi else {
            throw StyleReferenceError(path: source, reason: "it is \(image.width)x\(image.height); each side must be \(lo)-\(hi) pixels")
        }
        let side = StyleReference.encoderSide
        let input = TensorImages.tensor([SegmenterInput.resample(image, width: side, height: side)])
        let posterior = GradMode.withoutGrad { network.encodeStyle(input)! }
        return StyleReference(mean: posterior.mean.values, logVariance: posterior.logVariance.values, source: source)
    }

    /// Reads a PNG and encodes its style (a corrupt or missing file: one error naming it).
    public func styleReference(path: String) throws -> StyleReference {
        let image: RGBImage
        do {
            image = try RGBImage.read(path: path)
        } catch let error as PNGError {
            throw StyleReferenceError(path: path, reason: error.message)
        }
        return try styleReference(of: image, source: path)
    }
}
