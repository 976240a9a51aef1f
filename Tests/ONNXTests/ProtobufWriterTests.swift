import ONNX
import Tensor
import XCTest

/// The protobuf encoder against bytes worked out by hand from the wire-format
/// rules (tag = field << 3 | wire type; base-128 varints, low group first;
/// length-delimited = tag, length, bytes; fixed32 little-endian) and the field
/// numbers of onnx.proto.
final class ProtobufWriterTests: XCTestCase {
    func testVarintFieldsAndNegativeNumbers() {
        var w = ProtobufWriter()
        w.int(1, 150)                   // the protobuf documentation's example: 08 96 01
        XCTAssertEqual(w.bytes, [0x08, 0x96, 0x01])
        var zero = ProtobufWriter()
        zero.int(15, 0)                 // field 15: tag 0x78, value one byte 0
        XCTAssertEqual(zero.bytes, [0x78, 0x00])
        var big = ProtobufWriter()
        big.int(16, 300)                // field 16 needs a two-byte tag: 0x80 0x01; 300 = 0xAC 0x02
        XCTAssertEqual(big.bytes, [0x80, 0x01, 0xAC, 0x02])
        var negative = ProtobufWriter()
        negative.int(3, -1)             // int64 -1: ten bytes, two's complement
        XCTAssertEqual(negative.bytes, [0x18] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    func testStringsFloatsAndNestedMessages() {
        var w = ProtobufWriter()
        w.string(2, "testing")          // 12 07 74 65 73 74 69 6e 67
        XCTAssertEqual(w.bytes, [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
        var f = ProtobufWriter()
        f.float(2, 1.0)                 // tag 0x15 (wire type 5), 1.0f = 0x3F800000 little-endian
        f.float(2, -2.5)                // -2.5f = 0xC0200000
        XCTAssertEqual(f.bytes, [0x15, 0x00, 0x00, 0x80, 0x3F, 0x15, 0x00, 0x00, 0x20, 0xC0])
        var inner = ProtobufWriter()
        inner.int(1, 150)
        var outer = ProtobufWriter()
        outer.message(3, inner)         // 1a 03 08 96 01
        XCTAssertEqual(outer.bytes, [0x1A, 0x03, 0x08, 0x96, 0x01])
    }

    func testAttributeProto() {
        // name (1) "pads", ints (8) unpacked 1 and 2, type (20, tag 0xA0 0x01) INTS = 7.
        XCTAssertEqual(ONNXAttribute.ints("pads", [1, 2]).serialized,
                       [0x0A, 0x04, 0x70, 0x61, 0x64, 0x73, 0x40, 0x01, 0x40, 0x02, 0xA0, 0x01, 0x07])
        // f (2) as fixed32, type FLOAT = 1.
        XCTAssertEqual(ONNXAttribute.float("alpha", 0.5).serialized,
                       [0x0A, 0x05, 0x61, 0x6C, 0x70, 0x68, 0x61, 0x15, 0x00, 0x00, 0x00, 0x3F, 0xA0, 0x01, 0x01])
    }

    func testTensorProto() {
        // dims (1) 2, data_type (2) FLOAT = 1, name (8) "w", raw_data (9) 1.0 and -2.0 little-endian.
        XCTAssertEqual(ONNXTensor(name: "w", dims: [2], floats: [1, -2]).serialized,
                       [0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        // int64 tensor: data_type INT64 = 7, 8 bytes per value; -1 is all ones.
        XCTAssertEqual(ONNXTensor(name: "i", dims: [1], int64s: [-1]).serialized,
                       [0x08, 0x01, 0x10, 0x07, 0x42, 0x01, 0x69, 0x4A, 0x08] + [UInt8](repeating: 0xFF, count: 8))
    }

    func testValueInfoProto() {
        // dim {dim_value 3}, dim {dim_param "n"} in a TensorShapeProto, inside TypeProto.Tensor
        // (elem_type 1, shape), inside TypeProto (tensor_type), inside ValueInfoProto (name, type).
        let shape: [UInt8] = [0x0A, 0x02, 0x08, 0x03, 0x0A, 0x03, 0x12, 0x01, 0x6E]
        let tensorType: [UInt8] = [0x08, 0x01, 0x12, UInt8(shape.count)] + shape
        let type: [UInt8] = [0x0A, UInt8(tensorType.count)] + tensorType
        let expected: [UInt8] = [0x0A, 0x01, 0x78, 0x12, UInt8(type.count)] + type
        XCTAssertEqual(ONNXValueInfo(name: "x", dims: [.size(3), .symbol("n")]).serialized, expected)
    }

    func testNodeAndModelHeader() {
        let node = ONNXNode(opType: "Relu", name: "r", inputs: ["a"], outputs: ["b"])
        // input (1) "a", output (2) "b", name (3) "r", op_type (4) "Relu".
        XCTAssertEqual(node.serialized, [0x0A, 0x01, 0x61, 0x12, 0x01, 0x62, 0x1A, 0x01, 0x72, 0x22, 0x04, 0x52, 0x65, 0x6C, 0x75])
        let graph = ONNXGraph(name: "g", nodes: [node], initializers: [], inputs: [], outputs: [], doc: "")
        let model = ONNXModel(graph: graph).serialized
        // ir_version (1) = 8 comes first; the opset import (8) names the default domain and version 17.
        XCTAssertEqual(Array(model.prefix(2)), [0x08, 0x08])
        let opset: [UInt8] = [0x42, 0x04, 0x0A, 0x00, 0x10, 0x11]
        XCTAssertTrue(model.count >= opset.count && (0...(model.count - opset.count)).contains { Array(model[$0..<($0 + opset.count)]) == opset })
    }

    func testBuilderNamesAreUniqueAndConstantsShared() {
        var b = ONNXGraphBuilder()
        let a = b.relu("x", scope: "block")
        let c = b.relu(a, scope: "block")
        XCTAssertNotEqual(a, c)
        let first = b.int64s([0, 0, 1, 1]), second = b.int64s([0, 0, 1, 1])
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(b.int64s([2]), first)
        XCTAssertEqual(b.initializers.count, 2)
        XCTAssertEqual(Set(b.nodes.map(\.name)).count, b.nodes.count)
    }

    func testReflectPaddedConvolutionBecomesPadThenConv() {
        var rng = RandomGenerator(seed: 1)
        let conv = Conv2d(2, 4, kernelSize: 3, padding: 1, paddingMode: .reflect, using: &rng)
        var b = ONNXGraphBuilder()
        _ = b.conv("x", conv, scope: "c")
        XCTAssertEqual(b.nodes.map(\.opType), ["Pad", "Conv"])
        XCTAssertEqual(b.initializers.first { $0.name == "c.weight" }?.dims, [4, 2, 3, 3])
        XCTAssertEqual(b.initializers.first { $0.name == "c.weight" }?.rawData.count, 4 * 4 * 2 * 9)
    }
}
