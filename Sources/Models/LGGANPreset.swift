import Foundation

/// Named architectures for `train lggan --preset` (the same names in
/// python/scenepaint_torch: LGGANConfig.preset).
public enum LGGANPreset: String, CaseIterable, Sendable {
    /// The shipped CPU default.
    case standard
    /// A very small model for tests and smoke runs.
    case tiny
    /// The paper's full size (ngf 64, 9 local blocks, 7x7 kernels, SPADE hidden 128, ndf 64).
    case authors

    public func config(classCount: Int) -> LGGANConfig {
        switch self {
        case .standard: return .standard(classCount: classCount)
        case .tiny: return .tiny(classCount: classCount)
        case .authors: return .authors(classCount: classCount)
        }
    }
}

extension LGGANConfig {
    /// A config JSON file (LGGANConfig keys; missing keys take the defaults,
    /// a missing classCount the dataset's). The class count must match the dataset.
    public static func read(path: String, classCount: Int) throws -> LGGANConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelConfigError(message: "\(path): cannot be read")
        }
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelConfigError(message: "\(path): is not a JSON object")
        }
        if object["classCount"] == nil { object["classCount"] = classCount }
        let normalized = try JSONSerialization.data(withJSONObject: object)
        let config: LGGANConfig
        do {
            config = try JSONDecoder().decode(LGGANConfig.self, from: normalized)
        } catch {
            throw ModelConfigError(message: "\(path): is not an LGGAN config (\(error))")
        }
        guard config.classCount == classCount else {
            throw ModelConfigError(message: "\(path): has \(config.classCount) classes but the dataset's palette \(classCount)")
        }
        return config
    }
}
