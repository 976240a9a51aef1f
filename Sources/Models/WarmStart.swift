import Support
import Tensor

/// Starts a network from a trained model's tensors, so a (re)training begins
/// at the trained model's quality instead of from scratch: an LGGAN with a
/// style code from one without, or an ECGAN's encoder, SPADE backbone and
/// style encoder from an LGGAN's encoder, global generator and style encoder.
///
/// Each tensor of the new network is copied from the trained one by name (the
/// `sourceName` mapping; nil: the new network's own part, kept as initialised).
/// Style-code tensors the trained model lacks are zero (the SPADE style
/// projections, the local style modulation), except the style encoder, which
/// keeps its fresh initialisation. Zero weights on the code make the
/// warm-started generator compute what the trained one did, for every code,
/// while the gradients through them are not zero, so the code is learnt from
/// the first step. A trained style code is copied whole: its SPADE projections
/// and its encoder. Texture-noise weights (`TextureNoise.isParameter`) the
/// trained model lacks start at zero the same way, for the same reason.
public enum WarmStart {
    public struct Summary: Equatable, Sendable {
        /// Tensors copied, set to zero, freshly initialised.
        public var copied = 0, zeroed = 0, fresh = 0
    }

    /// The config an LGGAN warm start builds: the trained model's, with the
    /// style settings given and the texture noise channels given (nil: the trained model's).
    public static func config(from trained: LGGANConfig, styleChannels: Int, styleEncoder: Bool,
                              textureNoiseChannels: Int? = nil) throws -> LGGANConfig {
        var c = trained
        c.styleChannels = styleChannels
        c.styleEncoder = styleEncoder
        if let textureNoiseChannels { c.textureNoiseChannels = textureNoiseChannels }
        try c.validate()
        return c
    }

    /// Refuses a new network whose style code would drop or reshape the trained
    /// model's (`trained`: its size and whether it has an encoder).
    public static func checkStyleCode(trained: (channels: Int, encoder: Bool), new: (channels: Int, encoder: Bool),
                                      source: String) throws {
        guard trained.channels > 0 else { return }
        guard new.channels == trained.channels, new.encoder || !trained.encoder else {
            let flags = "--style-code \(trained.channels)" + (trained.encoder ? " --style-encoder" : "")
            throw Failure("\(source): it has a style code of \(trained.channels) dimensions\(trained.encoder ? " with an encoder" : ""); train with \(flags) to start from it")
        }
    }

    /// Refuses a new network whose texture noise has another K than the trained
    /// model's (K = 0, no noise, drops it: that is said with the flag).
    public static func checkTextureNoise(trained: Int, new: Int, source: String) throws {
        guard trained > 0, new > 0, new != trained else { return }
        throw Failure("\(source): it has \(trained) channels of texture noise; train with --texture-noise \(trained) (or 0 to drop it) to start from it")
    }

    /// Loads `trained` (a generator state dict) into `network`. With
    /// `usesEveryTrainedTensor`, a trained tensor with no place in the new
    /// network is refused (another architecture); a mapped tensor the trained
    /// model lacks that is not part of a style code, or of another shape, always is.
    @discardableResult
    public static func load(_ trained: [String: Tensor], into network: Module, source: String,
                            sourceName: (String) -> String? = { $0 }, usesEveryTrainedTensor: Bool = true) throws -> Summary {
        var summary = Summary()
        let mine = network.stateDict().sorted(by: { $0.key < $1.key })
        if usesEveryTrainedTensor {
            let used = Set(mine.compactMap { sourceName($0.key) })
            if let extra = trained.keys.filter({ !used.contains($0) }).sorted().first {
                throw Failure("\(source): its tensor '\(extra)' has no place in the new network (another architecture?)")
            }
        }
        for (name, tensor) in mine {
            guard let from = sourceName(name) else {
                summary.fresh += 1
                continue
            }
            guard let old = trained[from] else {
                if StyleCode.isEncoderParameter(name) {
                    summary.fresh += 1
                } else if StyleCode.isParameter(name) || TextureNoise.isParameter(name) {
                    tensor.fill(0)
                    summary.zeroed += 1
                } else {
                    throw Failure("\(source): it has no tensor '\(from)' for '\(name)' (another architecture?)")
                }
                continue
            }
            guard old.shape == tensor.shape else {
                throw Failure("\(source): tensor '\(from)' has shape \(old.shape), the new network needs \(tensor.shape)")
            }
            tensor.assign(old)
            summary.copied += 1
        }
        return summary
    }
}
