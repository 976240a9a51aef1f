import Foundation
import Generation
import Layouts
import Models

/// The layout painted in its palette colours: no texture, no shading. A floor
/// for the metrics (what a "generator" that learned nothing scores) and a
/// stand-in that needs no model file.
public struct PaletteColorGenerator: SceneGenerator {
    public let palette: Palette
    public var hasNoiseInput: Bool { false }

    public init(palette: Palette) { self.palette = palette }

    public func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        if shouldCancel() { throw GenerationCancelled() }
        return GeneratedViews(fused: labels.colorized(with: palette))
    }
}
