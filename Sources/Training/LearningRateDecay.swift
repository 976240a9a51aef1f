import Foundation

/// The learning-rate schedule both trainers use: constant, then from
/// `decayFrom` a linear decay to zero at `steps` (nil: constant throughout).
public enum LearningRateDecay {
    public static func factor(step: Int, decayFrom: Int?, steps: Int) -> Float {
        guard let decayFrom, step >= decayFrom, steps > decayFrom else { return 1 }
        return Swift.max(0, 1 - Float(step - decayFrom) / Float(steps - decayFrom))
    }

    /// Options as one line of JSON with sorted keys (checkpoint metadata).
    public static func sortedJSON<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(data: (try? encoder.encode(value)) ?? Data(), encoding: .utf8) ?? "{}"
    }
}
