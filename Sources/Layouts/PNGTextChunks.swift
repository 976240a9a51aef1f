import Foundation
import Support

/// Latin-1 tEXt chunks (key -> text) in encoded PNG bytes: added after IHDR
/// when writing, read from anywhere in the file. The chunk layout (length,
/// type, data, CRC-32) is simple enough to splice without re-encoding, and
/// libpng reads the result like any other PNG.
public enum PNGTextChunks {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// `png` with one tEXt chunk per entry, in order, right after IHDR.
    /// Keys must be 1-79 printable Latin-1 characters; text must not hold NUL.
    public static func inserting(_ entries: [(key: String, text: String)], into png: Data) throws -> Data {
        let bytes = [UInt8](png)
        guard bytes.count >= 33, Array(bytes[0..<8]) == signature, String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else {
            throw PNGError(path: "<memory>", kind: .corrupt, message: "not a PNG with an IHDR chunk")
        }
        let ihdrEnd = 8 + 12 + Int(readUInt32(bytes, at: 8))
        var out = Array(bytes[0..<ihdrEnd])
        for (key, text) in entries {
            guard (1...79).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value <= 255 }),
                  !text.unicodeScalars.contains(where: { $0.value == 0 || $0.value > 255 }) else {
                throw PNGError(path: "<memory>", kind: .unsupported, message: "tEXt '\(key)' is not Latin-1 key/text")
            }
            let data = key.unicodeScalars.map { UInt8($0.value) } + [0] + text.unicodeScalars.map { UInt8($0.value) }
            out += chunk(type: "tEXt", data: data)
        }
        out += bytes[ihdrEnd...]
        return Data(out)
    }

    /// Every tEXt chunk of a PNG file, in file order (later duplicates win in the dictionary).
    public static func read(_ png: Data) -> [String: String] {
        let bytes = [UInt8](png)
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { return [:] }
        var texts: [String: String] = [:]
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(readUInt32(bytes, at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8, end = start + length
            guard length >= 0, end + 4 <= bytes.count else { break }
            if type == "tEXt", let zero = bytes[start..<end].firstIndex(of: 0) {
                let key = String(bytes[start..<zero].map { Character(Unicode.Scalar($0)) })
                let text = String(bytes[(zero + 1)..<end].map { Character(Unicode.Scalar($0)) })
                texts[key] = text
            }
            if type == "IEND" { break }
            offset = end + 4
        }
        return texts
    }

    /// The tEXt chunks of a PNG file on disk (a missing or unreadable file: an error naming it).
    public static func read(path: String) throws -> [String: String] {
        read(try PNGCodec.readFile(path))
    }

    static func chunk(type: String, data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = crc32(typeBytes + data)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc)
    }

    static func readUInt32(_ b: [UInt8], at i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    /// CRC-32 (ISO 3309, the polynomial PNG uses).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension RGBImage {
    /// Writes an 8-bit RGB PNG atomically with tEXt chunks (e.g. the seed that made it).
    public func write(path: String, text: [(key: String, text: String)]) throws {
        try AtomicFile.write(try PNGTextChunks.inserting(text, into: try pngData()), to: path)
    }
}
