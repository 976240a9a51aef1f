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
    case realImagePosterior = "real-image-posterior"

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

    /// The generator for one pair: the model itself, or the model styled by
    /// the posterior of the pair's real image (`real`, read from `path`).
    func generator(_ generator: any SceneGenerator, real: RGBImage, path: String) throws -> any SceneGenerator {
        guard let coded = try encoder(of: generator) else { return generator }
        return StyledGenerator(base: coded, style: try coded.styleReference(of: real, source: path))
    }
}
