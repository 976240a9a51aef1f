#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one image of a scene looks: time of day, season, weather, sun. Drawn per
/// image from its own seed, so one layout renders many ways (multi-modal data).
public struct RenderStyle: Sendable, Equatable, Codable {
    public enum TimeOfDay: String, CaseIterable, Sendable, Codable { case morning, noon, afternoon, goldenHour = "golden-hour", dusk }
    public enum Season: String, CaseIterable, Sendable, Codable { case spring, summer, autumn, winter }
    public enum Weather: String, CaseIterable, Sendable, Codable { case clear, hazy, overcast }

    public var timeOfDay: TimeOfDay
    public var season: Season
    public var weather: Weather
    /// Sun direction: azimuth from straight ahead (radians, + to the right) and elevation.
    public var sunAzimuth: Float
    public var sunElevation: Float
    /// Seed for per-object colours (house walls, boat hulls, flower colours).
    public var seed: UInt64

    public init(timeOfDay: TimeOfDay, season: Season, weather: Weather, sunAzimuth: Float, sunElevation: Float, seed: UInt64) {
        self.timeOfDay = timeOfDay
        self.season = season
        self.weather = weather
        self.sunAzimuth = sunAzimuth
        self.sunElevation = sunElevation
        self.seed = seed
    }

    /// A random style. Winter scenes (snow on the ground) always get the winter season.
    public static func random(seed: UInt64, winter: Bool) -> RenderStyle {
        var rng = SeededGenerator(seed: seed)
        let time = rng.pick([(TimeOfDay.morning, 0.22), (.noon, 0.3), (.afternoon, 0.25), (.goldenHour, 0.17), (.dusk, 0.06)] as [(TimeOfDay, Float)])
        let season: Season = winter ? .winter : rng.pick([(Season.spring, 0.25), (.summer, 0.45), (.autumn, 0.3)] as [(Season, Float)])
        let weather = rng.pick([(Weather.clear, 0.6), (.hazy, 0.22), (.overcast, 0.18)] as [(Weather, Float)])
        let elevation: Float
        switch time {
        case .noon: elevation = rng.uniform(40, 60)
        case .morning, .afternoon: elevation = rng.uniform(18, 35)
        case .goldenHour: elevation = rng.uniform(5, 12)
        case .dusk: elevation = rng.uniform(1, 4)
        }
        // Mostly side or back light (readable scenes); low suns sometimes face the camera.
        var azimuth = rng.uniform(0.7, 2.6) * (time == .morning ? -1 : (time == .afternoon ? 1 : rng.sign()))
        if (time == .goldenHour || time == .dusk) && rng.chance(0.4) { azimuth = rng.uniform(-0.35, 0.35) }
        return RenderStyle(timeOfDay: time, season: season, weather: weather, sunAzimuth: azimuth,
                           sunElevation: elevation * .pi / 180, seed: rng.next())
    }

    /// A short name, e.g. "summer noon, clear".
    public var summary: String { "\(season.rawValue) \(timeOfDay.rawValue), \(weather.rawValue)" }
}

/// Colours in linear light from 8-bit sRGB.
@inline(__always) func srgb(_ r: Float, _ g: Float, _ b: Float) -> SIMD3<Float> {
    SIMD3(powf(r / 255, 2.2), powf(g / 255, 2.2), powf(b / 255, 2.2))
}

@inline(__always) func mix(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ t: Float) -> SIMD3<Float> { a + (b - a) * t }

@inline(__always) func clamp01(_ x: Float) -> Float { min(1, max(0, x)) }

@inline(__always) func smoothstep(_ e0: Float, _ e1: Float, _ x: Float) -> Float {
    let t = clamp01((x - e0) / (e1 - e0))
    return t * t * (3 - 2 * t)
}

/// Light and atmosphere derived from a style, in linear RGB.
struct Lighting: Sendable {
    /// Unit vector toward the sun (world: x right, y up, z forward).
    let sun: SIMD3<Float>
    let sunColor: SIMD3<Float>
    let ambient: SIMD3<Float>
    let skyZenith: SIMD3<Float>
    let skyHorizon: SIMD3<Float>
    let haze: SIMD3<Float>
    /// Metres at which haze reaches 63%.
    let visibility: Float
    let cloudLit: SIMD3<Float>
    let cloudShade: SIMD3<Float>
    let sunGlow: Float
    let exposure: Float
    /// 0 in full sun, 1 overcast: how much of the light is direct.
    let overcast: Float

    init(style: RenderStyle) {
        let e = style.sunElevation, a = style.sunAzimuth
        sun = SIMD3(sinf(a) * cosf(e), sinf(e), cosf(a) * cosf(e))
        var sunC: SIMD3<Float>, zenith: SIMD3<Float>, horizon: SIMD3<Float>, exposure: Float = 1.0
        switch style.timeOfDay {
        case .noon:
            sunC = SIMD3(1.0, 0.97, 0.92) * 1.4; zenith = srgb(55, 115, 215); horizon = srgb(170, 205, 240)
        case .morning:
            sunC = SIMD3(1.0, 0.93, 0.82) * 1.45; zenith = srgb(65, 120, 210); horizon = srgb(190, 210, 235)
        case .afternoon:
            sunC = SIMD3(1.0, 0.92, 0.8) * 1.45; zenith = srgb(60, 115, 205); horizon = srgb(185, 208, 235)
        case .goldenHour:
            sunC = SIMD3(1.0, 0.72, 0.42) * 1.5; zenith = srgb(70, 110, 190); horizon = srgb(250, 195, 140); exposure = 1.1
        case .dusk:
            sunC = SIMD3(1.0, 0.5, 0.28) * 1.0; zenith = srgb(55, 70, 140); horizon = srgb(245, 150, 110); exposure = 1.25
        }
        var overcast: Float = 0, visibility: Float = 60_000
        switch style.weather {
        case .clear: break
        case .hazy:
            visibility = 14_000
            horizon = mix(horizon, SIMD3(repeating: (horizon.x + horizon.y + horizon.z) / 3), 0.35)
            zenith = mix(zenith, horizon, 0.25)
            sunC *= 0.85
            overcast = 0.2
        case .overcast:
            visibility = 20_000
            let grey = srgb(195, 200, 205)
            zenith = mix(srgb(145, 155, 172), zenith, 0.15); horizon = mix(grey, horizon, 0.2)
            sunC *= 0.2
            overcast = 0.85
            exposure *= 1.15
        }
        // A very low sun is dimmer and redder through more air.
        sunColor = sunC * (0.55 + 0.45 * min(1, sinf(max(e, 0.02)) * 5))
        skyZenith = zenith
        skyHorizon = horizon
        haze = horizon * 0.95
        let skyMean = mix(zenith, horizon, 0.6)
        let grey = SIMD3<Float>(repeating: (skyMean.x + skyMean.y + skyMean.z) / 3)
        ambient = mix(grey, skyMean, 0.55) * (0.6 + 0.75 * overcast)
        self.visibility = visibility
        self.overcast = overcast
        switch style.timeOfDay {
        case .goldenHour: cloudLit = SIMD3(1.0, 0.8, 0.62); cloudShade = srgb(150, 140, 160)
        case .dusk: cloudLit = SIMD3(1.0, 0.6, 0.45) * 0.9; cloudShade = srgb(110, 95, 125)
        default: cloudLit = SIMD3(1, 1, 1) * 0.98; cloudShade = srgb(160, 168, 185)
        }
        sunGlow = 1 - overcast
        self.exposure = exposure
    }

    /// Direct plus ambient light on a surface with unit normal n.
    @inline(__always) func light(_ n: SIMD3<Float>, shadow: Float = 1) -> SIMD3<Float> {
        let d = max(0, (n * sun).sum()) * shadow
        // Ambient from above is stronger than from the side.
        let sky = 0.75 + 0.25 * n.y
        return sunColor * d + ambient * sky
    }

    /// The sky seen along a viewing ray: horizon-to-zenith gradient, sun glow and disc.
    func sky(_ ray: SIMD3<Float>) -> SIMD3<Float> {
        let d = normalize(ray)
        let t = clamp01(d.y * 2.6)
        var c = mix(skyHorizon, skyZenith, powf(t, 0.6))
        if sunGlow > 0 {
            let a = max(0, dot(d, sun))
            let a2 = a * a, a4 = a2 * a2, a8 = a4 * a4, a16 = a8 * a8
            c += sunColor * sunGlow * (0.22 * a8 + 0.35 * a16 * a16 * a16)
            if a > 0.99982 { c += sunColor * 6 * sunGlow }
            else if a > 0.9996 { c += sunColor * 2.5 * sunGlow * (a - 0.9996) / 0.00022 }
        }
        return c
    }

    @inline(__always) func fog(_ c: SIMD3<Float>, distance: Float) -> SIMD3<Float> {
        guard distance.isFinite else { return haze }
        let t = 1 - expf(-distance / visibility)
        return mix(c, haze, t)
    }
}
