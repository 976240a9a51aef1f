import Layouts

/// Anything that turns a layout into an image: a trained LGGAN, ECGAN, or a
/// plain colouring for tests. Implementations must be safe to call from a
/// background thread; `shouldCancel` is polled between stages so a stale
/// request in the editor can stop early (it then throws `GenerationCancelled`).
public protocol SceneGenerator: Sendable {
    var palette: Palette { get }
    /// True when different seeds give different images.
    var hasNoiseInput: Bool { get }
    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews
    /// The views this model fills, in the order of the editor's keys (default: LGGAN's).
    var views: [SceneView] { get }
    /// The model's kind for status lines ("LGGAN", "ECGAN++", ...).
    var modelName: String { get }
    /// Throws a one-line error when generating at width x height would not fit
    /// in the memory the machine has; called before generating at a new size
    /// (default: fits, for generators that hold a few bytes a pixel).
    func checkMemory(width: Int, height: Int) throws
}

extension SceneGenerator {
    public var views: [SceneView] { SceneView.lgganViews }
    public var modelName: String { "model" }
    public func checkMemory(width: Int, height: Int) throws {}
}

public struct GenerationCancelled: Error {
    public init() {}
}
