import Support

/// A building block of a network: holds parameters, buffers and child modules.
///
/// Subclass it and store layers and tensors as properties; they are found by
/// reflection, named by property path ("encoder.blocks.2.conv.weight"), so
/// checkpoints save and load by name with no registration code. Arrays of
/// modules/tensors are named by index, dictionaries by key, optionals when set.
/// Leaf layers override `namedLocalTensors` to give their own names.
open class Module {
    /// Training or evaluation mode (batch-norm statistics, spectral-norm updates).
    public private(set) var isTraining = true

    public init() {}

    /// Direct child modules with their names.
    open func namedChildren() -> [(String, Module)] {
        reflectedMembers().compactMap { name, value in (value as? Module).map { (name, $0) } }
    }

    /// Tensors held directly by this module (parameters and buffers).
    open func namedLocalTensors() -> [(String, Tensor)] {
        reflectedMembers().compactMap { name, value in (value as? Tensor).map { (name, $0) } }
    }

    /// Stored properties of this object and its superclasses up to Module,
    /// with arrays and dictionaries expanded into "name.index" / "name.key".
    private func reflectedMembers() -> [(String, Any)] {
        var result: [(String, Any)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror, m.subjectType != Module.self {
            for child in m.children {
                guard let label = child.label else { continue }
                let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
                Module.expand(name, child.value, into: &result)
            }
            mirror = m.superclassMirror
        }
        return result
    }

    private static func expand(_ name: String, _ value: Any, into result: inout [(String, Any)]) {
        if value is Module || value is Tensor {
            result.append((name, value))
        } else if let array = value as? [Any] {
            for (i, element) in array.enumerated() { expand("\(name).\(i)", element, into: &result) }
        } else if let dict = value as? [String: Any] {
            for key in dict.keys.sorted() { expand("\(name).\(key)", dict[key]!, into: &result) }
        } else if let dict = value as? [Int: Any] {
            for key in dict.keys.sorted() { expand("\(name).\(key)", dict[key]!, into: &result) }
        } else {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first {
                expand(name, wrapped.value, into: &result)
            }
        }
    }

    /// Every tensor in this module and below, by dotted name.
    public func namedTensors(prefix: String = "") -> [(String, Tensor)] {
        var result = namedLocalTensors().map { (prefix + $0.0, $0.1) }
        for (name, child) in namedChildren() {
            result += child.namedTensors(prefix: prefix + name + ".")
        }
        return result
    }

    /// Trainable parameters (made with `Tensor.parameter`), by dotted name.
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        namedTensors(prefix: prefix).filter { $0.1.isParameter }
    }

    public func parameters() -> [Tensor] { namedParameters().map { $0.1 } }

    /// Buffers (saved state that is not trained: running statistics, power-iteration vectors).
    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        namedTensors(prefix: prefix).filter { !$0.1.isParameter }
    }

    /// Everything a checkpoint needs: parameters and buffers by name.
    public func stateDict(prefix: String = "") -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        for (name, tensor) in namedTensors(prefix: prefix) { dict[name] = tensor }
        return dict
    }

    /// Copies values from `state` into this module's tensors by name. With
    /// `strict`, every tensor must be present and no extra name may appear.
    public func loadStateDict(_ state: [String: Tensor], prefix: String = "", strict: Bool = true) throws {
        let mine = namedTensors(prefix: prefix)
        for (name, tensor) in mine {
            guard let source = state[name] else {
                if strict { throw ModuleStateError.missing(name: name) }
                continue
            }
            guard source.shape == tensor.shape else {
                throw ModuleStateError.shapeMismatch(name: name, expected: tensor.shape, found: source.shape)
            }
            tensor.assign(source)
        }
        if strict {
            let names = Set(mine.map { $0.0 })
            if let extra = state.keys.filter({ $0.hasPrefix(prefix) && !names.contains($0) }).sorted().first {
                throw ModuleStateError.unexpected(name: extra)
            }
        }
    }

    /// Training mode for this module and all below.
    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, child) in namedChildren() { child.train(on) }
    }

    /// Evaluation mode for this module and all below.
    public func eval() { train(false) }

    /// Switches gradient recording for all parameters below (freeze D while G steps).
    public func setRequiresGrad(_ on: Bool) {
        for p in parameters() { p.requiresGrad = on }
    }

    /// Drops accumulated gradients of all parameters below.
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    /// Re-initialises every parameter named "weight" with rank >= 2 using
    /// `weights` and every "bias" with `biases` (LGGAN: xavier-normal 0.02, zeros).
    /// Normalisation scales (rank-1 weights) are left as they are.
    public func initialize(weights: Initializer, biases: Initializer = .zeros, using rng: inout RandomGenerator) {
        for (name, p) in namedParameters() {
            let leaf = name.split(separator: ".").last.map(String.init) ?? name
            if leaf == "weight" && p.rank >= 2 {
                weights.fill(p, using: &rng)
            } else if leaf == "bias" {
                biases.fill(p, using: &rng)
            }
        }
    }

    /// Number of trainable values.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }
}

/// A module that maps one tensor to one tensor.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// Loading a checkpoint into a module went wrong.
public enum ModuleStateError: UserFacingError, Equatable {
    case missing(name: String)
    case unexpected(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missing(let name): return "checkpoint has no tensor '\(name)'"
        case .unexpected(let name): return "checkpoint has tensor '\(name)' that the model does not use"
        case .shapeMismatch(let name, let expected, let found):
            return "checkpoint tensor '\(name)' has shape \(found), the model expects \(expected)"
        }
    }
}
