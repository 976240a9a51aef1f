/// An 8-bit sRGB colour. Encoded in palette JSON as `[r, g, b]`.
public struct RGBColor: Hashable, Sendable, Codable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var parts: [Int] = []
        while !container.isAtEnd { parts.append(try container.decode(Int.self)) }
        guard parts.count == 3, parts.allSatisfy({ (0...255).contains($0) }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a colour is [r, g, b] with three values 0-255, got \(parts)"))
        }
        self.init(UInt8(parts[0]), UInt8(parts[1]), UInt8(parts[2]))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(Int(r))
        try container.encode(Int(g))
        try container.encode(Int(b))
    }

    /// Packed 0xRRGGBB, handy as a dictionary key.
    public var packed: UInt32 { UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }

    public var description: String { "(\(r), \(g), \(b))" }
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined()
    }
}
