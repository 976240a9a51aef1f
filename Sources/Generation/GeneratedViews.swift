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
    /// Images a model adds under view names of its own (shown by `SceneView.image(named:title:)`).
    public var extra: [String: RGBImage]
    /// ECGAN's edge attention sigma(I'_e) per pixel, 0...1 (the `attention` view).
    public var attention: [Float]?
    /// Wall time of the generation in seconds.
    public var seconds: Double

    public init(fused: RGBImage, global: RGBImage? = nil, local: RGBImage? = nil,
                globalWeight: [Float]? = nil, localWeight: [Float]? = nil,
                classOutputs: [Int: RGBImage] = [:], extra: [String: RGBImage] = [:], seconds: Double = 0) {
        self.fused = fused
        self.global = global
        self.local = local
        self.globalWeight = globalWeight
        self.localWeight = localWeight
        self.classOutputs = classOutputs
        self.extra = extra
        self.seconds = seconds
    }
}
