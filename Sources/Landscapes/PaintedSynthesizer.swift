import Layouts

/// One painted training pair: the layout, its render, and what made them.
public struct PaintedPair: Sendable {
    public let layout: Layout
    public let image: RGBImage
    public let recipe: PaintedRecipe
    public let style: RenderStyle
}

/// Makes painter-like layout/image pairs from seeds (the painted counterpart of
/// `LandscapeSynthesizer`; the style is drawn the same way from the same seed).
public struct PaintedSynthesizer: Sendable {
    public let sampler: PaintedLayoutSampler
    public let renderer: PaintedRenderer

    public init(supersampling: Int = 3) {
        sampler = PaintedLayoutSampler()
        renderer = PaintedRenderer(supersampling: supersampling)
    }

    public func pair(seed: UInt64, width: Int, height: Int, recipe: PaintedRecipe? = nil, styleSeed: UInt64? = nil) -> PaintedPair {
        let scene = sampler.scene(seed: seed, aspect: Float(width) / Float(height), recipe: recipe)
        let style = RenderStyle.random(seed: styleSeed ?? SeededGenerator.derive(seed, 0x57_1E), winter: scene.isWinter)
        let rendered = renderer.render(scene, width: width, height: height, style: style)
        return PaintedPair(layout: Layout(labels: rendered.labels, palette: LandscapeClass.palette), image: rendered.image,
                           recipe: scene.recipe, style: style)
    }

    /// Only the layout for a seed (fast: no shading).
    public func layout(seed: UInt64, width: Int, height: Int, recipe: PaintedRecipe? = nil) -> Layout {
        let scene = sampler.scene(seed: seed, aspect: Float(width) / Float(height), recipe: recipe)
        return Layout(labels: renderer.labels(scene, width: width, height: height), palette: LandscapeClass.palette)
    }
}
