#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The water surface both renderers share: waves in world space (their screen size
/// follows perspective), and the colour of water given what it mirrors: Fresnel
/// (grazing water is a mirror, near water shows its body colour), wind streaks and a
/// glitter path under a visible sun.
struct WaterSurface {
    let x: Float
    let z: Float
    /// A pixel's footprint on the water, metres.
    let footprint: Float
    let seed: UInt32
    let wave: Float
    let wave2: Float
    /// How far the mirror image is pushed down (rows) and sideways (columns).
    let rippleY: Float
    let rippleX: Int

    init(x: Float, z: Float, footprint fp: Float, seed: UInt32, calm: Float, depthBelow: Float) {
        self.x = x
        self.z = z
        footprint = fp
        self.seed = seed
        wave = Noise.fbm(x / 2.5, z / 0.9, seed, octaves: 3, footprint: fp / 0.9)
        wave2 = Noise.fbm(x / 0.8, z / 0.35, seed &+ 1, octaves: 2, footprint: fp / 0.35)
        rippleY = (wave * 2.2 + wave2 * 1.2) * calm * (1 + depthBelow * 0.04)
        rippleX = Int((wave2 * 1.5 * calm).rounded())
    }

    /// The water's colour at (u, v) (`viewV`: the row the viewing ray is taken at),
    /// mirroring `reflected`; `reflectivity` is (base, Fresnel gain) outside winter.
    func color(reflected: SIMD3<Float>, light: Lighting, camera: Camera, u: Float, v: Float, viewV: Float, winter: Bool,
               bodyTint: SIMD3<Float>, reflectivity: (base: Float, gain: Float)) -> SIMD3<Float> {
        let d = normalize(camera.ray(u: u, v: viewV))
        let cosI = max(0.02, -d.y)
        let fresnel = 0.02 + 0.98 * powf(1 - cosI, 5)
        let mirror = min(winter ? 0.6 : 0.9, (winter ? 0.15 : reflectivity.base) + fresnel * reflectivity.gain)
        let body = bodyTint * light.light(SIMD3(0, 1, 0))
        var c = mix(body, reflected * SIMD3(0.82, 0.88, 0.95), mirror)
        let streak = Noise.fbm(x / 12, z / 2.5, seed &+ 2, octaves: 2, footprint: footprint / 2.5)
        c *= 0.92 + 0.12 * streak + 0.06 * wave2
        if light.sunGlow > 0.3 && light.sun.z > 0.05 {
            let su = camera.centerU + camera.focal * light.sun.x / light.sun.z
            let spread = 0.03 + max(0, v - camera.horizon) * 0.6
            let path = expf(-abs(u - su) / spread)
            let sparkle = max(0, wave2 + wave * 0.5 - 0.35) * 3
            c += light.sunColor * path * sparkle * light.sunGlow * 1.5
        }
        return light.fog(c, distance: z)
    }
}
