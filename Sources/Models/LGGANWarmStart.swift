import Support
import Tensor

/// Starts a network with a style code from a trained model without one, so a
/// retrain begins at the trained model's quality instead of from scratch.
///
/// Every tensor of the trained model is copied by name. Where the new network
/// reads more input channels (each SPADE's label convolution now also sees
/// the style code), the old channels are copied and the new ones set to zero;
/// tensors the old model lacks are zero (the local style modulation), except
/// the style encoder, which keeps its fresh initialisation. Zero weights on
/// the code make the warm-started generator compute what the trained one did,
/// for every code, while the gradients through them are not zero, so the
/// code is learnt from the first step.
public enum LGGANWarmStart {
    public struct Summary: Equatable, Sendable {
        /// Tensors copied whole, widened (old channels copied, new zero), zeroed, freshly initialised.
        public var copied = 0, widened = 0, zeroed = 0, fresh = 0
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
    /// trained tensor has no place in the new network or a shape differs other
    /// than by added input channels.
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
            if old.shape == tensor.shape {
                tensor.assign(old)
                summary.copied += 1
            } else if let widened = widenInputChannels(old, to: tensor.shape) {
                tensor.assign(widened)
                summary.widened += 1
            } else {
                throw Failure("\(source): tensor '\(name)' has shape \(old.shape), the new network needs \(tensor.shape)")
            }
        }
        return summary
    }

    /// A convolution weight [out, in, k, k] grown to [out, in', k, k] (in' > in)
    /// with zeros in the added input channels; nil when the shapes differ otherwise.
    static func widenInputChannels(_ old: Tensor, to shape: [Int]) -> Tensor? {
        guard old.rank == 4, shape.count == 4, old.shape[0] == shape[0], old.shape[2] == shape[2], old.shape[3] == shape[3],
              shape[1] > old.shape[1] else { return nil }
        let (outs, oldIn, newIn, plane) = (shape[0], old.shape[1], shape[1], shape[2] * shape[3])
        let source = old.values
        var values = [Float](repeating: 0, count: outs * newIn * plane)
        for o in 0..<outs {
            for i in 0..<oldIn {
                for p in 0..<plane { values[(o * newIn + i) * plane + p] = source[(o * oldIn + i) * plane + p] }
            }
        }
        return Tensor(shape: shape, values: values)
    }
}
