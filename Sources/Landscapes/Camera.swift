/// A level pinhole camera over flat ground. Image coordinates are normalised by
/// the image height: u in [0, aspect] left to right, v in [0, 1] top to bottom, so a
/// scene is the same at every resolution. World: x right, y up (ground at 0),
/// z forward from the camera in metres.
public struct Camera: Sendable {
    public let aspect: Float
    /// Row of the horizon, 0 (top) ... 1 (bottom).
    public let horizon: Float
    /// Camera height above the ground, metres.
    public let eyeHeight: Float
    /// Focal length in image heights (1.2 is about 45 degrees vertical field of view).
    public let focal: Float

    public init(aspect: Float, horizon: Float, eyeHeight: Float, focal: Float = 1.2) {
        self.aspect = aspect
        self.horizon = horizon
        self.eyeHeight = eyeHeight
        self.focal = focal
    }

    public var centerU: Float { aspect * 0.5 }

    /// Screen position of a world point (z > 0).
    @inline(__always) public func project(x: Float, y: Float, z: Float) -> SIMD2<Float> {
        SIMD2(centerU + focal * x / z, horizon + focal * (eyeHeight - y) / z)
    }

    /// Row at which flat ground at distance z appears.
    @inline(__always) public func groundRow(distance z: Float) -> Float { horizon + focal * eyeHeight / z }

    /// Distance of flat ground seen at row v (infinity at or above the horizon).
    @inline(__always) public func groundDistance(v: Float) -> Float {
        let d = v - horizon
        return d > 1e-6 ? focal * eyeHeight / d : .infinity
    }

    /// Ground point (x, z) seen at (u, v); z is infinity above the horizon.
    @inline(__always) public func groundPoint(u: Float, v: Float) -> SIMD2<Float> {
        let z = groundDistance(v: v)
        return SIMD2((u - centerU) * z / focal, z)
    }

    /// Direction of the viewing ray through (u, v) (not normalised; z = 1).
    @inline(__always) public func ray(u: Float, v: Float) -> SIMD3<Float> {
        SIMD3((u - centerU) / focal, (horizon - v) / focal, 1)
    }

    public var eye: SIMD3<Float> { SIMD3(0, eyeHeight, 0) }
}
