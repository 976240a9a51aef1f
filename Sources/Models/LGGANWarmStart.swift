import Support
import Tensor

/// Starts a network with a style code from a trained model without one, so a
/// retrain begins at the trained model's quality instead of from scratch.
///
/// Every tensor of the trained model is copied by name. Tensors the old model
/// lacks are zero (the SPADE style projections, the local style modulation),
/// except the style encoder, which keeps its fresh initialisation. Zero
/// weights on the code make the warm-started generator compute what the
/// trained one did, for every code, while the gradients through them are not
/// zero, so the code is learnt from the first step.
public enum LGGANWarmStart {
    public struct Summary: Equatable, Sendable {
        /// Tensors copied, set to zero, freshly initialised.
        public var copied = 0, zeroed = 0, fresh = 0
    }

    /// The config a warm start builds: the trained model's, with the style settings of `style`.
    public static func config(from trained: LGGANConfig, styleChannels: Int, styleEncoder: Bool) throws -> LGGANConfig {
        var c = trained
        c.styleChannels = styleChannels
        c.styleEncoder = styleEncoder
        try c.validate()
        return c
    }

    /// Loads `trained` (a generator state dict) into `network`. Throws when a
    /// trained tensor has no place in the new network or its shape differs.
    @discardableResult
    public static func load(_ trained: [String: Tensor], into network: LGGANNetwork, source: String) throws -> Summary {
        var summary = Summary()
        let mine = network.stateDict()
        if let extra = trained.keys.filter({ mine[$0] == nil }).sorted().first {
            throw Failure("\(source): its tensor '\(extra)' has no place in the new network (another architecture?)")
        }
        for (name, tensor) in mine.sorted(by: { $0.key < $1.key }) {
            guard let old = trained[name] else {
                if name.hasPrefix("styleEncoder.") {
                    summary.fresh += 1
                } else {
                    tensor.fill(0)
                    summary.zeroed += 1
                }
                continue
            }
            guard old.shape == tensor.shape else {
                throw Failure("\(source): tensor '\(name)' has shape \(old.shape), the new network needs \(tensor.shape)")
            }
            tensor.assign(old)
            summary.copied += 1
        }
        return summary
    }
}
