import Foundation
import Generation
import Layouts
import Support
import Tensor

extension StyleReference {
    /// The code [1, S] for a seed: bit-exact for the same seed.
    public func code(seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let eps = Tensor.randomNormal([1, mean.count], using: &rng).values
        let values = (0..<mean.count).map { mean[$0] + exp(0.5 * logVariance[$0]) * eps[$0] }
        return Tensor(shape: [1, mean.count], values: values)
    }
}

/// A trained generator whose network has the style code (LGGAN, ECGAN): a
/// seed draws the code from the prior, a reference image's style
/// (`StyleReference`, through the model's style encoder) from its posterior.
/// Everything but the forward pass is shared here.
public protocol StyleCodedGenerator: StyleSwitching {
    /// Where the model came from (for messages).
    var source: String { get }
    var styleCodedNetwork: any StyleCodedNetwork { get }
    /// Generates with the code drawn by `seed` from `style`'s posterior, or from the prior without one.
    func generate(_ labels: LabelMap, seed: UInt64, style: StyleReference?,
                  shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews
}

extension StyleCodedGenerator {
    /// True when the model can take its style from a reference image.
    public var hasStyleEncoder: Bool { styleCodedNetwork.styleEncoder != nil }

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
        let posterior = GradMode.withoutGrad { styleCodedNetwork.encodeStyle(input)! }
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

    /// Generates with `settings`; a style code of another size than the model's is refused.
    public func generate(_ labels: LabelMap, settings: GenerationSettings,
                         shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        let channels = styleCodedNetwork.styleChannels
        if let style = settings.style, style.mean.count != channels {
            throw Failure("the style code has \(style.mean.count) dimensions but \(source) takes \(channels)")
        }
        return try generate(labels, seed: settings.seed, style: settings.style, shouldCancel: shouldCancel)
    }

    /// The model itself has no reference style: its seeds draw from the prior.
    public var style: StyleReference? { nil }

    public func styled(referencePath path: String?) throws -> any SceneGenerator {
        guard let path else { return self }
        return StyledGenerator(base: self, style: try styleReference(path: path))
    }
}

/// A generator whose style is fixed to a reference image's (the editor's
/// style key): every seed draws its code from that image's posterior.
public struct StyledGenerator: StyleSwitching, @unchecked Sendable {
    public let base: any StyleCodedGenerator
    public let reference: StyleReference

    public init(base: any StyleCodedGenerator, style: StyleReference) {
        self.base = base
        self.reference = style
    }

    public var style: StyleReference? { reference }

    public func styled(referencePath path: String?) throws -> any SceneGenerator { try base.styled(referencePath: path) }

    public var palette: Palette { base.palette }
    public var hasNoiseInput: Bool { base.hasNoiseInput }
    public var views: [SceneView] { base.views }
    public var modelName: String { base.modelName }

    public func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        try base.generate(labels, seed: seed, style: reference, shouldCancel: shouldCancel)
    }
}

extension LGGANGenerator: StyleCodedGenerator {
    public var styleCodedNetwork: any StyleCodedNetwork { network }
}

extension ECGANGenerator: StyleCodedGenerator {
    public var styleCodedNetwork: any StyleCodedNetwork { network }
}
