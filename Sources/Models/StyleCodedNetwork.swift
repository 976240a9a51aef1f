import Tensor

/// A generator network with the per-image style code of issue 15 (LGGAN and
/// ECGAN alike): z of `styleChannels` numbers enters every SPADE modulation
/// (and, in LGGAN, the local features), and an optional style encoder maps a
/// real or reference image to z's posterior. The code's handling lives here
/// once; each network only says how wide its code is and holds the encoder.
public protocol StyleCodedNetwork: Module {
    /// Dimensions of the style code (0: the model has none).
    var styleChannels: Int { get }
    /// Maps an image to the code's posterior (nil: the model has no encoder).
    var styleEncoder: StyleEncoder? { get }
    /// Where a seed's code comes from (`StylePrior`; N(0, I) unless the model file holds a fitted one).
    var stylePrior: StylePrior { get set }
}

extension StyleCodedNetwork {
    /// A per-image style code [N, styleChannels] drawn from the model's prior
    /// (`stylePrior`) by a seed (nil when the model has no style code). The
    /// same seed gives the same code, bit for bit.
    public func styleCode(batch: Int, seed: UInt64) -> Tensor? {
        guard styleChannels > 0 else { return nil }
        return stylePrior.code(batch: batch, channels: styleChannels, seed: seed)
    }

    /// The tensors of a model file: the weights and the fitted prior, if any.
    public var modelFileTensors: [String: Tensor] {
        stateDict().merging(stylePrior.tensors) { weight, _ in weight }
    }

    /// The style encoder's posterior for images [N, 3, H, W] in -1...1 (nil without encoder).
    public func encodeStyle(_ images: Tensor) -> (mean: Tensor, logVariance: Tensor)? {
        styleEncoder.map { $0(images) }
    }

    /// The given style code, or z = 0 (the prior's mean) for a style model called without one.
    func styleCodeOrMean(_ style: Tensor?, batch: Int) -> Tensor? {
        guard styleChannels > 0 else { return nil }
        guard let style else { return Tensor.zeros([batch, styleChannels]) }
        if style.shape != [batch, styleChannels] {
            fatalError("style code \(style.shape) for batch \(batch) x \(styleChannels)")
        }
        return style
    }
}

/// Names of the style code's parameters, the same in every model.
public enum StyleCode {
    /// Parameters that exist only for the style code (its encoder, the SPADE
    /// projections, LGGAN's local modulation): a warm start begins them at
    /// zero or fresh, and training gives them their own learning rate.
    public static func isParameter(_ name: String) -> Bool {
        name.hasPrefix("styleEncoder.") || name.contains("styleProjection.") || name.contains("styleModulation.")
    }

    /// The style encoder's tensors, which a warm start leaves freshly initialised.
    public static func isEncoderParameter(_ name: String) -> Bool { name.hasPrefix("styleEncoder.") }
}
