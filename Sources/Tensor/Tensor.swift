import Foundation

/// A Float32 tensor with an explicit shape (images are NCHW), stored contiguously.
///
/// A reference type on purpose: parameters are shared between a module, its
/// optimiser and the graph, and gradients accumulate into the one object. Ops
/// never modify their inputs; they return new tensors. `reshaped` and `detach`
/// share memory with their source (documented on each).
public final class Tensor {
    public let shape: [Int]
    public let count: Int
    /// The NCHW values; for a tensor an inference op made channels-last,
    /// converted from `channelsLast` when first asked for (the network's edge).
    private var plainStorage: Storage?
    /// The same values channels-last ([N][H][W][C], `ChannelsLast`), set only by
    /// inference ops (no graph) that run on that layout; never changed.
    let channelsLast: Storage?
    var storage: Storage {
        if let plainStorage { return plainStorage }
        let plain = ChannelsLast.plain(from: channelsLast!, shape: shape)
        plainStorage = plain
        return plain
    }

    /// For a leaf (made by you, not by an op): whether backward accumulates a
    /// gradient into `grad`. Ops set it on their results when any input needs grad.
    public var requiresGrad: Bool
    /// Set for tensors made with `Tensor.parameter`: modules list these as
    /// parameters (trained), everything else they hold is a buffer (saved only).
    public internal(set) var isParameter: Bool = false
    /// Accumulated gradient of a leaf after `backward`; nil until then.
    public var grad: Tensor?
    /// How this tensor was computed, while the graph is alive.
    var node: Node?
    /// Set when backward freed this tensor's node (it was computed, not a leaf).
    var graphReleased = false

    init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        let n = Tensor.elementCount(shape)
        check(n <= storage.count, "shape \(shape) needs \(n) floats, storage has \(storage.count)")
        self.shape = shape
        self.count = n
        self.plainStorage = storage
        self.channelsLast = nil
        self.requiresGrad = requiresGrad
    }

    /// A rank-4 tensor whose values are `channelsLast` ([N][H][W][C]).
    init(shape: [Int], channelsLast: Storage) {
        check(shape.count == 4 && channelsLast.count >= Tensor.elementCount(shape), "channels-last \(shape) in \(channelsLast.count) floats")
        self.shape = shape
        self.count = Tensor.elementCount(shape)
        self.plainStorage = nil
        self.channelsLast = channelsLast
        self.requiresGrad = false
    }

    /// True when the values are (also) held channels-last.
    var isChannelsLast: Bool { channelsLast != nil }

    /// The class map when the values are a one-hot map of this shape (`OneHotLabels`)
    /// and nothing has written to them since it was attached (`writeCount`).
    var oneHotLabels: OneHotLabels? {
        guard let plainStorage, let tag = plainStorage.oneHot, tag.writes == plainStorage.writes,
              tag.labels.describes(shape) else { return nil }
        return tag.labels
    }

    /// Attaches the class map of the values just computed (`Tensor.oneHot`, `resizeNearest`).
    func attachOneHotLabels(_ labels: OneHotLabels?) {
        guard let labels else { return }
        storage.oneHot = (labels, storage.writes)
    }

    /// A tensor filled with `value`.
    public convenience init(shape: [Int], repeating value: Float = 0, requiresGrad: Bool = false) {
        let n = Tensor.elementCount(shape)
        self.init(shape: shape, storage: Storage(repeating: value, count: n), requiresGrad: requiresGrad)
    }

    /// A tensor holding `values` (row-major, count must match the shape).
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
        let n = Tensor.elementCount(shape)
        check(values.count == n, "\(values.count) values for shape \(shape) (\(n) elements)")
        let storage = Storage(uninitializedCount: n)
        values.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: n) }
        self.init(shape: shape, storage: storage, requiresGrad: requiresGrad)
    }

    /// A single number (shape []).
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], values: [scalar], requiresGrad: requiresGrad)
    }

    /// Memory the caller fills completely before anyone reads it.
    package static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: Storage(uninitializedCount: elementCount(shape)))
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// A trainable parameter: `requiresGrad` on, listed by `Module.parameters`.
    public static func parameter(shape: [Int], repeating value: Float = 0) -> Tensor {
        let t = Tensor(shape: shape, repeating: value, requiresGrad: true)
        t.isParameter = true
        return t
    }

    public static func parameter(shape: [Int], values: [Float]) -> Tensor {
        let t = Tensor(shape: shape, values: values, requiresGrad: true)
        t.isParameter = true
        return t
    }

    /// Normal(mean, std) samples.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using rng: inout RandomGenerator) -> Tensor {
        let t = uninitialized(shape)
        for i in 0..<t.count { t.storage.base[i] = mean + std * rng.nextNormal() }
        return t
    }

    /// Uniform samples in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using rng: inout RandomGenerator) -> Tensor {
        let t = uninitialized(shape)
        for i in 0..<t.count { t.storage.base[i] = low + (high - low) * rng.nextUniform() }
        return t
    }

    static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            check(d >= 0, "negative dimension in shape \(shape)")
            n *= d
        }
        return n
    }

    // MARK: Shape helpers

    public var rank: Int { shape.count }
    /// NCHW accessors; only meaningful for rank-4 tensors.
    public var batch: Int { shape[0] }
    public var channels: Int { shape[1] }
    public var height: Int { shape[2] }
    public var width: Int { shape[3] }

    /// True when this tensor was computed by ops that recorded a graph.
    public var hasGraph: Bool { node != nil }
    /// True for tensors not produced by a recorded op.
    public var isLeaf: Bool { node == nil && !graphReleased }

    /// The values for ops: they read their inputs and fill the fresh tensors
    /// they return through it. Writing into an existing tensor through it (an
    /// optimiser step, an initialiser) must be followed by `noteWritten()`.
    package var data: UnsafeMutablePointer<Float> { storage.base }

    /// How many in-place writes the values have had (`noteWritten`): the same
    /// number means the same values, so a result computed from them can be kept.
    /// Every in-place writer bumps it: `assign`, `fill`, the subscript setter,
    /// `withUnsafeMutableBufferPointer`, `Initializer.fill`, `Adam.step`, spectral
    /// norm's power iteration (so also `Module.loadStateDict` and warm starts).
    package var writeCount: Int { storage.writes }

    /// Records an in-place write of the values (see `writeCount`).
    package func noteWritten() { storage.writes &+= 1 }

    // MARK: Reading and writing values

    /// A copy of the values, row-major.
    public var values: [Float] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }

    /// The value of a one-element tensor.
    public var scalar: Float {
        check(count == 1, "scalar of a tensor with shape \(shape)")
        return storage.base[0]
    }

    /// The value at a multi-index (slow; for tests and inspection).
    public subscript(_ index: Int...) -> Float {
        get { storage.base[flatIndex(index)] }
        set {
            storage.base[flatIndex(index)] = newValue
            noteWritten()
        }
    }

    func flatIndex(_ index: [Int]) -> Int {
        check(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            check(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Writes values in place. Do this only to leaves (parameters, buffers,
    /// inputs), never to a tensor a recorded op still needs for backward.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        defer { noteWritten() }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    /// Copies `source`'s values into this tensor in place (same element count).
    public func assign(_ source: Tensor) {
        check(source.count == count, "assign \(source.shape) into \(shape)")
        if source.storage.base != storage.base {
            storage.base.update(from: source.storage.base, count: count)
            noteWritten()
        }
    }

    /// Fills in place.
    public func fill(_ value: Float) {
        if value == 0 { memset(storage.base, 0, count * 4) } else { storage.base.update(repeating: value, count: count) }
        noteWritten()
    }

    /// The same values without a graph: backward stops here. Shares memory.
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy without a graph.
    public func copy() -> Tensor {
        let t = Tensor.uninitialized(shape)
        t.storage.base.update(from: storage.base, count: count)
        return t
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = values.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", ..." : "")])"
    }
}
