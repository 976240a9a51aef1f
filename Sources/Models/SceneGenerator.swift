import Layouts

/// Everything one generation produces: the images the papers show as figures.
/// Images are at the layout's size. Weight maps are per pixel, 0...1, row-major.
public struct GeneratedViews: Sendable {
    /// The final output (LGGAN Eq. 7: Wl*local + Wg*global).
    public var fused: RGBImage
    /// The global generator's image, if the model has one.
    public var global: RGBImage?
    /// The fused local generator's image (Eq. 3/4), if the model has one.
    public var local: RGBImage?
    /// Softmax weight of the global image per pixel.
    public var globalWeight: [Float]?
    /// Softmax weight of the local image per pixel (= 1 - globalWeight).
    public var localWeight: [Float]?
    /// Each present class's sub-generator output, keyed by class id.
    public var classOutputs: [Int: RGBImage]
    /// Wall time of the generation in seconds.
    public var seconds: Double

    public init(fused: RGBImage, global: RGBImage? = nil, local: RGBImage? = nil,
                globalWeight: [Float]? = nil, localWeight: [Float]? = nil,
                classOutputs: [Int: RGBImage] = [:], seconds: Double = 0) {
        self.fused = fused
        self.global = global
        self.local = local
        self.globalWeight = globalWeight
        self.localWeight = localWeight
        self.classOutputs = classOutputs
        self.seconds = seconds
    }
}

/// Anything that turns a layout into an image: a trained LGGAN, ECGAN, or a
/// plain colouring for tests. Implementations must be safe to call from a
/// background thread; `shouldCancel` is polled between stages so a stale
/// request in the editor can stop early (it then throws `GenerationCancelled`).
public protocol SceneGenerator: Sendable {
    var palette: Palette { get }
    /// True when different seeds give different images.
    var hasNoiseInput: Bool { get }
    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews
}

public struct GenerationCancelled: Error {
    public init() {}
}
