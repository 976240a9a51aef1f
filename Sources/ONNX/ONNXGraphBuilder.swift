import Tensor

/// Builds an ONNX graph node by node: each call adds one operator and returns
/// the name of the tensor it produces, so an exporter reads like the forward
/// pass it mirrors. Names come from the caller's scope (the module's parameter
/// path), made unique with a counter.
public struct ONNXGraphBuilder {
    public private(set) var nodes: [ONNXNode] = []
    public private(set) var initializers: [ONNXTensor] = []
    private var names: Set<String> = []
    /// Shared small constants (ones/zeros of a width, int64 lists), by content.
    private var constants: [String: String] = [:]

    public init() {}

    /// A name not used yet, based on `base`.
    mutating func unique(_ base: String) -> String {
        var name = base, k = 1
        while names.contains(name) {
            k += 1
            name = "\(base)_\(k)"
        }
        names.insert(name)
        return name
    }

    /// Adds one node; returns its outputs' names (scope/opType, numbered when taken).
    @discardableResult
    public mutating func add(_ opType: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [],
                             scope: String, outputs: Int = 1, outputNames: [String]? = nil) -> [String] {
        let base = scope.isEmpty ? opType : scope + "/" + opType
        let nodeName = unique(base)
        let produced = outputNames?.map { unique($0) } ?? (0..<outputs).map { outputs == 1 ? nodeName + ":0" : nodeName + ":\($0)" }
        for name in produced where outputNames == nil { names.insert(name) }
        nodes.append(ONNXNode(opType: opType, name: nodeName, inputs: inputs, outputs: produced, attributes: attributes))
        return produced
    }

    /// Single-output form of `add`.
    public mutating func op(_ opType: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], scope: String) -> String {
        add(opType, inputs, attributes, scope: scope)[0]
    }

    /// A float initializer named `name` (a parameter path, kept as the file's weight name).
    public mutating func constant(_ name: String, dims: [Int], values: [Float]) -> String {
        let unique = unique(name)
        initializers.append(ONNXTensor(name: unique, dims: dims, floats: values))
        return unique
    }

    /// A float initializer holding a tensor's values with its shape.
    public mutating func constant(_ name: String, _ tensor: Tensor) -> String {
        constant(name, dims: tensor.shape, values: tensor.values)
    }

    /// An int64 vector initializer, shared between nodes that need the same values.
    public mutating func int64s(_ values: [Int]) -> String {
        let key = "i64:" + values.map(String.init).joined(separator: ",")
        if let name = constants[key] { return name }
        let name = unique("const_i64_" + values.map { $0 < 0 ? "m\(-$0)" : String($0) }.joined(separator: "_"))
        initializers.append(ONNXTensor(name: name, dims: [values.count], int64s: values.map(Int64.init)))
        constants[key] = name
        return name
    }

    /// A float vector initializer with these values, shared.
    public mutating func floats(_ values: [Float]) -> String {
        let key = "f32:" + values.map { String($0.bitPattern) }.joined(separator: ",")
        if let name = constants[key] { return name }
        let name = unique("const_f32_\(values.count)")
        initializers.append(ONNXTensor(name: name, dims: [values.count], floats: values))
        constants[key] = name
        return name
    }

    /// A rank-0 float initializer, shared.
    public mutating func scalar(_ value: Float) -> String {
        let key = "scalar:\(value.bitPattern)"
        if let name = constants[key] { return name }
        let name = unique("const_scalar")
        initializers.append(ONNXTensor(name: name, dims: [], floats: [value]))
        constants[key] = name
        return name
    }

    /// `count` copies of `value` as a shared vector initializer.
    public mutating func filled(_ value: Float, count: Int) -> String {
        floats([Float](repeating: value, count: count))
    }

    /// Gives a tensor its public name (a graph output) through an Identity node.
    public mutating func output(_ tensor: String, as name: String) -> String {
        add("Identity", [tensor], scope: "output." + name, outputNames: [name])[0]
    }

    /// The finished graph.
    public func graph(name: String, inputs: [ONNXValueInfo], outputs: [ONNXValueInfo], doc: String = "") -> ONNXGraph {
        ONNXGraph(name: name, nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs, doc: doc)
    }
}
