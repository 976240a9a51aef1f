/// The parts of ONNX's protobuf schema (onnx/onnx.proto, IR version 8) that an
/// inference graph of float tensors needs. Field numbers are the schema's;
/// repeated integers are written unpacked, as onnx.proto (proto2) declares them.
public enum ONNX {
    /// TensorProto.DataType values used here.
    public enum DataType: Int, Sendable {
        case float = 1
        case int64 = 7
    }

    /// The IR version of opset 17 (ONNX 1.12).
    public static let irVersion = 8
    public static let opsetVersion = 17
}

/// TensorProto: a named constant (initializer), data little-endian in raw_data.
public struct ONNXTensor: ProtobufMessage, Sendable {
    public var name: String
    public var dims: [Int]
    public var dataType: ONNX.DataType
    public var rawData: [UInt8]

    public init(name: String, dims: [Int], floats: [Float]) {
        self.name = name
        self.dims = dims
        dataType = .float
        rawData = []
        rawData.reserveCapacity(4 * floats.count)
        for f in floats {
            let b = f.bitPattern
            rawData += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)]
        }
    }

    public init(name: String, dims: [Int], int64s: [Int64]) {
        self.name = name
        self.dims = dims
        dataType = .int64
        rawData = []
        rawData.reserveCapacity(8 * int64s.count)
        for v in int64s {
            let b = UInt64(bitPattern: v)
            for shift in stride(from: 0, to: 64, by: 8) { rawData.append(UInt8(b >> UInt64(shift) & 0xFF)) }
        }
    }

    public var protobuf: ProtobufWriter {
        var w = ProtobufWriter()
        for d in dims { w.int(1, d) }
        w.int(2, dataType.rawValue)
        w.string(8, name)
        w.bytes(9, rawData)
        return w
    }
}

/// AttributeProto: a node's named setting.
public struct ONNXAttribute: ProtobufMessage, Sendable {
    public enum Value: Sendable {
        case float(Float)
        case int(Int)
        case string(String)
        case ints([Int])
        case floats([Float])
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    public static func int(_ name: String, _ v: Int) -> ONNXAttribute { ONNXAttribute(name, .int(v)) }
    public static func float(_ name: String, _ v: Float) -> ONNXAttribute { ONNXAttribute(name, .float(v)) }
    public static func string(_ name: String, _ v: String) -> ONNXAttribute { ONNXAttribute(name, .string(v)) }
    public static func ints(_ name: String, _ v: [Int]) -> ONNXAttribute { ONNXAttribute(name, .ints(v)) }

    public var protobuf: ProtobufWriter {
        var w = ProtobufWriter()
        w.string(1, name)
        // AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7 (field 20).
        switch value {
        case .float(let f): w.float(2, f); w.int(20, 1)
        case .int(let i): w.int(3, i); w.int(20, 2)
        case .string(let s): w.string(4, s); w.int(20, 3)
        case .floats(let fs): for f in fs { w.float(7, f) }; w.int(20, 6)
        case .ints(let xs): for x in xs { w.int(8, x) }; w.int(20, 7)
        }
        return w
    }
}

/// NodeProto: one operator application.
public struct ONNXNode: ProtobufMessage, Sendable {
    public var opType: String
    public var name: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]

    public init(opType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []) {
        self.opType = opType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    public var protobuf: ProtobufWriter {
        var w = ProtobufWriter()
        for i in inputs { w.string(1, i) }
        for o in outputs { w.string(2, o) }
        w.string(3, name)
        w.string(4, opType)
        for a in attributes { w.message(5, a) }
        return w
    }
}

/// ValueInfoProto of a float tensor: a graph input or output with its shape;
/// a dimension is a fixed size or a symbolic name (e.g. "batch").
public struct ONNXValueInfo: ProtobufMessage, Sendable {
    public enum Dimension: Sendable, Equatable {
        case size(Int)
        case symbol(String)
    }

    public var name: String
    public var dims: [Dimension]
    public var doc: String

    public init(name: String, dims: [Dimension], doc: String = "") {
        self.name = name
        self.dims = dims
        self.doc = doc
    }

    public var protobuf: ProtobufWriter {
        var shape = ProtobufWriter()
        for d in dims {
            var dim = ProtobufWriter()
            switch d {
            case .size(let n): dim.int(1, n)
            case .symbol(let s): dim.string(2, s)
            }
            shape.message(1, dim)               // TensorShapeProto.dim
        }
        var tensorType = ProtobufWriter()
        tensorType.int(1, ONNX.DataType.float.rawValue)  // TypeProto.Tensor.elem_type
        tensorType.message(2, shape)            // TypeProto.Tensor.shape
        var type = ProtobufWriter()
        type.message(1, tensorType)             // TypeProto.tensor_type
        var w = ProtobufWriter()
        w.string(1, name)
        w.message(2, type)
        if !doc.isEmpty { w.string(3, doc) }
        return w
    }
}

/// GraphProto.
public struct ONNXGraph: ProtobufMessage, Sendable {
    public var name: String
    public var nodes: [ONNXNode]
    public var initializers: [ONNXTensor]
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    public var doc: String

    public init(name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
                doc: String = "") {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.doc = doc
    }

    public var protobuf: ProtobufWriter {
        var w = ProtobufWriter()
        for n in nodes { w.message(1, n) }
        w.string(2, name)
        for t in initializers { w.message(5, t) }
        if !doc.isEmpty { w.string(10, doc) }
        for i in inputs { w.message(11, i) }
        for o in outputs { w.message(12, o) }
        return w
    }
}

/// ModelProto: the file.
public struct ONNXModel: ProtobufMessage, Sendable {
    public var graph: ONNXGraph
    public var producerName = "scenepaint"
    public var producerVersion = "1"
    public var doc = ""
    /// metadata_props: free-form key/value pairs (palette, views, source file).
    public var metadata: [(key: String, value: String)] = []

    public init(graph: ONNXGraph) { self.graph = graph }

    public var protobuf: ProtobufWriter {
        var w = ProtobufWriter()
        w.int(1, ONNX.irVersion)
        w.string(2, producerName)
        w.string(3, producerVersion)
        if !doc.isEmpty { w.string(6, doc) }
        w.message(7, graph)
        var opset = ProtobufWriter()
        opset.string(1, "")                    // the default (ai.onnx) domain
        opset.int(2, ONNX.opsetVersion)
        w.message(8, opset)
        for (key, value) in metadata {
            var entry = ProtobufWriter()
            entry.string(1, key)
            entry.string(2, value)
            w.message(14, entry)
        }
        return w
    }
}
