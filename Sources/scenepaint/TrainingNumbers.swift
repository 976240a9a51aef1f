import ArgumentParser

/// Refuses a training number (rate, loss weight, step count) that is NaN,
/// infinite or negative when parsing, before any data is read: the trainer
/// would otherwise run for hours and save weights that are all NaN.
enum TrainingNumbers {
    static func check(_ value: Float?, _ option: String, positive: Bool = false) throws {
        guard let value else { return }
        guard value.isFinite, positive ? value > 0 : value >= 0 else {
            throw ValidationError("\(option) must be a \(positive ? "positive" : "non-negative") number, got \(value)")
        }
    }

    static func check(_ value: Int?, _ option: String) throws {
        guard let value, value < 0 else { return }
        throw ValidationError("\(option) must be 0 or more, got \(value)")
    }
}
