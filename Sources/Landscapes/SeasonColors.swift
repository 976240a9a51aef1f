/// Vegetation and ground colours for a season (linear RGB albedos).
struct SeasonColors: Sendable {
    let grassA: SIMD3<Float>
    let grassB: SIMD3<Float>
    let grassDry: SIMD3<Float>
    /// Leaf colours trees pick from.
    let leaves: [SIMD3<Float>]
    let conifer: SIMD3<Float>
    let bush: [SIMD3<Float>]
    /// Lower mountain slopes.
    let slopeVegetation: SIMD3<Float>

    init(_ season: RenderStyle.Season) {
        switch season {
        case .spring:
            grassA = srgb(110, 170, 60); grassB = srgb(75, 140, 45); grassDry = srgb(140, 160, 70)
            leaves = [srgb(105, 160, 55), srgb(85, 145, 50), srgb(120, 170, 70), srgb(95, 150, 60)]
            conifer = srgb(40, 85, 45); bush = [srgb(90, 140, 50), srgb(75, 120, 45)]
            slopeVegetation = srgb(80, 115, 55)
        case .summer:
            grassA = srgb(95, 150, 50); grassB = srgb(65, 120, 40); grassDry = srgb(150, 150, 70)
            leaves = [srgb(55, 110, 40), srgb(70, 120, 45), srgb(45, 95, 35), srgb(85, 130, 50)]
            conifer = srgb(35, 75, 40); bush = [srgb(60, 105, 40), srgb(80, 110, 45)]
            slopeVegetation = srgb(70, 100, 50)
        case .autumn:
            grassA = srgb(140, 145, 65); grassB = srgb(100, 120, 50); grassDry = srgb(170, 145, 80)
            leaves = [srgb(205, 110, 35), srgb(185, 60, 30), srgb(215, 165, 50), srgb(150, 120, 40), srgb(120, 125, 45)]
            conifer = srgb(40, 75, 42); bush = [srgb(150, 80, 40), srgb(120, 110, 45)]
            slopeVegetation = srgb(120, 105, 60)
        case .winter:
            grassA = srgb(150, 140, 100); grassB = srgb(120, 115, 85); grassDry = srgb(165, 150, 110)
            leaves = [srgb(120, 100, 80), srgb(105, 90, 75)]
            conifer = srgb(35, 65, 45); bush = [srgb(110, 95, 75), srgb(90, 85, 70)]
            slopeVegetation = srgb(100, 100, 90)
        }
    }
}
