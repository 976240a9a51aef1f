import Datasets
import Foundation
import Layouts
import Support

/// Which layout samplers a dataset draws its pairs from, and how often: the
/// procedural world's camera views, painter-like layouts, or a mix. Written
/// `procedural=0.5,painted=0.5`; `procedural` and `painted` alone mean all of one.
public struct LayoutMix: Sendable, Equatable, CustomStringConvertible {
    /// Share of painted pairs, 0...1; the rest are procedural.
    public let paintedShare: Double

    public static let procedural = LayoutMix(paintedShare: 0)
    public static let painted = LayoutMix(paintedShare: 1)

    public init(paintedShare: Double) {
        // Three decimals, as written in manifests, so a resumed run draws the same pairs.
        self.paintedShare = (min(1, max(0, paintedShare)) * 1000).rounded() / 1000
    }

    public init(parsing text: String) throws {
        let known = ["procedural", "painted"]
        var weights: [String: Double] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard known.contains(pieces[0]) else {
                throw Failure("--mix: unknown layout source \"\(pieces[0])\" in \"\(text)\" (known: procedural, painted)")
            }
            guard weights[pieces[0]] == nil else { throw Failure("--mix: \(pieces[0]) is named twice in \"\(text)\"") }
            if pieces.count == 1 {
                weights[pieces[0]] = 1
            } else if pieces.count == 2, let w = Double(pieces[1]), w >= 0, w.isFinite {
                weights[pieces[0]] = w
            } else {
                throw Failure("--mix: \"\(item)\" is not SOURCE=WEIGHT with a weight >= 0 (e.g. procedural=0.5,painted=0.5)")
            }
        }
        let total = weights.values.reduce(0, +)
        guard total > 0 else { throw Failure("--mix: the weights in \"\(text)\" add up to 0") }
        self.init(paintedShare: (weights["painted"] ?? 0) / total)
    }

    /// `procedural`, `painted` or `procedural=P,painted=Q` (shares to 3 decimals).
    public var description: String {
        if paintedShare == 0 { return "procedural" }
        if paintedShare == 1 { return "painted" }
        let p = (paintedShare * 1000).rounded() / 1000
        return "procedural=\(Self.format(1 - p)),painted=\(Self.format(p))"
    }

    private static func format(_ x: Double) -> String {
        let rounded = (x * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Whether the pair with this seed is painted (fixed per seed and share).
    public func isPainted(seed: UInt64) -> Bool {
        if paintedShare <= 0 { return false }
        if paintedShare >= 1 { return true }
        let draw = Double(SeededGenerator.derive(seed, 0xFA_1173) >> 11) / Double(1 << 53)
        return draw < paintedShare
    }
}

/// A layout, its render and the name of what made it (a composition or a painted recipe).
public struct MixedPair: Sendable {
    public let layout: Layout
    public let image: RGBImage
    public let kind: String
}

/// Makes pairs from either sampler as a `LayoutMix` says, from one seed.
public struct MixedSynthesizer: Sendable {
    public let mix: LayoutMix
    public let procedural: LandscapeSynthesizer
    public let painted: PaintedSynthesizer

    public init(mix: LayoutMix, supersampling: Int = 3) {
        self.mix = mix
        procedural = LandscapeSynthesizer(supersampling: supersampling)
        painted = PaintedSynthesizer(supersampling: supersampling)
    }

    public func pair(seed: UInt64, width: Int, height: Int) -> MixedPair {
        if mix.isPainted(seed: seed) {
            let p = painted.pair(seed: seed, width: width, height: height)
            return MixedPair(layout: p.layout, image: p.image, kind: p.recipe.manifestName)
        }
        let p = procedural.pair(seed: seed, width: width, height: height)
        return MixedPair(layout: p.layout, image: p.image, kind: p.composition.rawValue)
    }

    /// The kind of the pair for a seed, without rendering it.
    public func kind(seed: UInt64, width: Int, height: Int) -> String {
        let aspect = Float(width) / Float(height)
        if mix.isPainted(seed: seed) { return painted.sampler.scene(seed: seed, aspect: aspect).recipe.manifestName }
        return procedural.sampler.scene(seed: seed, aspect: aspect).composition.rawValue
    }
}

extension DatasetManifest {
    /// The mix as a value (absent: procedural).
    public var layoutMix: LayoutMix {
        get { mix.flatMap { try? LayoutMix(parsing: $0) } ?? .procedural }
        set { mix = newValue == .procedural ? nil : newValue.description }
    }
}
