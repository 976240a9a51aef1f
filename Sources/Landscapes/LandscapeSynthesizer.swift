import Layouts

/// One training pair: the layout, its render, and what made them.
public struct LandscapePair: Sendable {
    public let layout: Layout
    public let image: RGBImage
    public let composition: Composition
    public let style: RenderStyle
}

/// Makes layout/image pairs from seeds: the entry point for datasets, samples and tests.
public struct LandscapeSynthesizer: Sendable {
    public let sampler: LandscapeSampler
    public let renderer: LandscapeRenderer

    public init(supersampling: Int = 3) {
        sampler = LandscapeSampler()
        renderer = LandscapeRenderer(supersampling: supersampling)
    }

    /// The pair for a seed. The layout depends on the seed (and aspect); the style
    /// on `styleSeed` (by default derived from the seed), so one layout can be
    /// rendered many ways.
    public func pair(seed: UInt64, width: Int, height: Int, composition: Composition? = nil,
                     styleSeed: UInt64? = nil) -> LandscapePair {
        let scene = sampler.scene(seed: seed, aspect: Float(width) / Float(height), composition: composition)
        let style = RenderStyle.random(seed: styleSeed ?? SeededGenerator.derive(seed, 0x57_1E), winter: scene.isWinter)
        let rendered = renderer.render(scene, width: width, height: height, style: style)
        return LandscapePair(layout: Layout(labels: rendered.labels, palette: LandscapeClass.palette),
                             image: rendered.image, composition: scene.composition, style: style)
    }

    /// Only the layout for a seed (fast: no shading).
    public func layout(seed: UInt64, width: Int, height: Int, composition: Composition? = nil) -> Layout {
        let scene = sampler.scene(seed: seed, aspect: Float(width) / Float(height), composition: composition)
        return Layout(labels: renderer.labels(scene, width: width, height: height), palette: LandscapeClass.palette)
    }
}
