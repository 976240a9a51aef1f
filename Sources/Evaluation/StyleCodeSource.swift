import Generation
import Layouts
import Models
import Support

/// Where eval takes each pair's style code from (issue 13/15): the prior
/// (seed S+i, the default), or the style encoder's posterior of that pair's
/// real image (`generate --style IMAGE`'s path), which separates generator
/// quality from prior/posterior mismatch. Written into the report so that
/// scores of the two are never mixed.
public enum StyleCodeSource: String, Sendable, Codable {
    case prior
    /// The prior, a Gaussian fitted to the encoder's codes (`model fit-style-prior`), not N(0, I).
    case fittedPrior = "fitted-prior"
    case realImagePosterior = "real-image-posterior"
    /// The model has no style code (single-mode LGGAN or ECGAN, the stand-ins): nothing was drawn.
    case withoutStyleCode = "none"

    /// What the report records: `.prior` becomes `.fittedPrior` for a model whose file holds a fitted prior,
    /// and `.withoutStyleCode` for a model without one.
    func recorded(for generator: any SceneGenerator) -> StyleCodeSource {
        guard self == .prior else { return self }
        guard let coded = generator as? any StyleCodedGenerator, coded.styleCodedNetwork.styleChannels > 0 else { return .withoutStyleCode }
        guard case .fitted = coded.styleCodedNetwork.stylePrior else { return self }
        return .fittedPrior
    }

    /// How the report's text names it ("..., seed 0, style code from the prior").
    var description: String {
        switch self {
        case .prior: return "style code from the prior"
        case .fittedPrior: return "style code from the fitted prior"
        case .realImagePosterior: return "style code from the real images' posterior"
        case .withoutStyleCode: return "no style code"
        }
    }

    /// The model's style encoder for a posterior (nil for the prior); a model
    /// that cannot encode a style is refused in one line.
    func encoder(of generator: any SceneGenerator) throws -> (any StyleCodedGenerator)? {
        guard self == .realImagePosterior else { return nil }
        guard let coded = generator as? any StyleCodedGenerator else {
            throw Failure("--style-from-real needs a model with a style encoder (LGGAN or ECGAN trained with --style-code N --style-encoder); \(generator.modelName) has no style code")
        }
        guard coded.hasStyleEncoder else {
            throw Failure("--style-from-real needs a model with a style encoder; \(coded.source) has none (train with --style-code N --style-encoder)")
        }
        return coded
    }

    /// The generator for one pair: the model itself (no encoder: the prior), or
    /// the model styled by its encoder's posterior of the pair's real image
    /// (`real`, read from `path`). `encoder` is what `encoder(of:)` returned.
    static func pairGenerator(_ generator: any SceneGenerator, encoder: (any StyleCodedGenerator)?,
                              real: RGBImage, path: String) throws -> any SceneGenerator {
        guard let encoder else { return generator }
        return StyledGenerator(base: encoder, style: try encoder.styleReference(of: real, source: path))
    }
}
