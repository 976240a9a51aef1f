/// The protocol-buffers wire format, write side only: enough to serialise
/// ONNX's messages without a protobuf library (none is available to this
/// package). Fields are written in the order they are added; a message field
/// is its own writer's bytes, length-delimited.
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The wire types this writer uses.
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// Base-128 varint, least significant group first.
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func appendTag(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// int32/int64/enum/bool field (negative values as 10-byte two's complement, as protobuf does).
    public mutating func int(_ field: Int, _ value: Int64) {
        appendTag(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    public mutating func int(_ field: Int, _ value: Int) { int(field, Int64(value)) }

    /// float field (fixed32, little-endian IEEE 754).
    public mutating func float(_ field: Int, _ value: Float) {
        appendTag(field, .fixed32)
        let b = value.bitPattern
        bytes += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)]
    }

    /// bytes field.
    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        appendTag(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    /// string field (UTF-8).
    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// Embedded message field.
    public mutating func message(_ field: Int, _ value: ProtobufWriter) { bytes(field, value.bytes) }

    /// Embedded message field from anything that serialises itself.
    public mutating func message(_ field: Int, _ value: some ProtobufMessage) { message(field, value.protobuf) }
}

/// A message that can write itself in the wire format.
public protocol ProtobufMessage {
    var protobuf: ProtobufWriter { get }
}

extension ProtobufMessage {
    /// The message's serialised bytes.
    public var serialized: [UInt8] { protobuf.bytes }
}
