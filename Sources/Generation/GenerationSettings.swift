import Foundation
import Support

/// What besides the layout and the model decides a generated picture: the
/// seed and, optionally, a reference image's style. Saved as PNG tEXt with
/// every exported picture so `scenepaint generate LAYOUT --settings-from
/// PICTURE.png` makes it again, bit for bit. The style is stored as its code
/// (posterior mean and log-variance, exact float text), not as a path, so the
/// reference image need not travel with the picture.
public struct GenerationSettings: Equatable, Sendable {
    public var seed: UInt64
    public var style: StyleReference?

    public init(seed: UInt64, style: StyleReference? = nil) {
        self.seed = seed
        self.style = style
    }

    static let seedKey = "scenepaint.seed"
    static let styleSourceKey = "scenepaint.style-source"
    static let styleMeanKey = "scenepaint.style-mean"
    static let styleLogVarianceKey = "scenepaint.style-log-variance"

    /// tEXt entries (Latin-1 key/value).
    public var pngText: [(key: String, text: String)] {
        var entries = [(key: Self.seedKey, text: String(seed))]
        if let style {
            entries.append((Self.styleSourceKey, Self.latin1((style.source as NSString).lastPathComponent)))
            entries.append((Self.styleMeanKey, style.mean.map { "\($0)" }.joined(separator: ",")))
            entries.append((Self.styleLogVarianceKey, style.logVariance.map { "\($0)" }.joined(separator: ",")))
        }
        return entries
    }

    /// Reads the settings back from a picture's tEXt entries; `path` names the
    /// picture in the one-line error when they are missing or malformed.
    public init(pngText texts: [String: String], path: String) throws {
        func fail(_ what: String) -> Failure { Failure("\(path): \(what)") }
        guard let seedText = texts[Self.seedKey] else {
            throw fail("has no \(Self.seedKey) text chunk (not exported by scenepaint, or by a version without seeds)")
        }
        guard let seed = UInt64(seedText) else { throw fail("its \(Self.seedKey) '\(seedText)' is not a seed") }
        self.seed = seed
        guard let meanText = texts[Self.styleMeanKey] else { return }
        func floats(_ text: String?) -> [Float]? {
            guard let text else { return nil }
            let parts = text.split(separator: ",").map { Float(String($0)) }
            return parts.allSatisfy { $0?.isFinite == true } ? parts.map { $0! } : nil
        }
        guard let mean = floats(meanText), let logVariance = floats(texts[Self.styleLogVarianceKey]),
              !mean.isEmpty, mean.count == logVariance.count else {
            throw fail("its style code text chunks are malformed")
        }
        style = StyleReference(mean: mean, logVariance: logVariance, source: texts[Self.styleSourceKey] ?? path)
    }

    /// A one-line description for status lines and messages.
    public var summary: String {
        guard let style else { return "seed \(seed)" }
        return "seed \(seed), style \((style.source as NSString).lastPathComponent)"
    }

    static func latin1(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value <= 255 && $0.value >= 32 ? $0 : "?" }))
    }
}
