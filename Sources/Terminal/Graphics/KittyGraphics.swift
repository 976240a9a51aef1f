import Foundation
import Layouts

/// The kitty graphics protocol (kitty, Ghostty, WezTerm, Konsole): an image
/// travels as APC `ESC _ G keys ; base64 ESC \` in chunks of at most 4096
/// base64 bytes (m=1 while more follow). Sending an image with the same image
/// id and placement id replaces the one on screen in place (no flicker, no
/// scrolling: C=1 keeps the cursor where it is); q=2 silences the replies.
public enum KittyGraphics {
    public static let chunkSize = 4096

    /// The pixels to send: raw 24-bit RGB (f=24) or a PNG file (f=100).
    public enum Payload {
        case rgb(RGBImage)
        case png(Data, width: Int, height: Int)
    }

    /// Transmits and places an image at the cursor (a=T), replacing image `id`.
    /// With `cells` the terminal scales it to that many columns and rows
    /// (fewer bytes than sending it at screen resolution).
    public static func place(_ payload: Payload, id: Int, placement: Int = 1, cells: (columns: Int, rows: Int)? = nil) -> [UInt8] {
        let data: Data, format: Int, width: Int, height: Int
        switch payload {
        case .rgb(let image): (data, format, width, height) = (Data(image.pixels), 24, image.width, image.height)
        case .png(let png, let w, let h): (data, format, width, height) = (png, 100, w, h)
        }
        let base64 = Array(data.base64EncodedData())
        let scale = cells.map { ",c=\($0.columns),r=\($0.rows)" } ?? ""
        var out: [UInt8] = []
        out.reserveCapacity(base64.count + base64.count / chunkSize * 8 + 64)
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, base64.count)
            let more = end < base64.count ? 1 : 0
            let keys = offset == 0
                ? "a=T,f=\(format),s=\(width),v=\(height),i=\(id),p=\(placement)\(scale),C=1,q=2,m=\(more)"
                : "m=\(more)"
            out += Array("\u{1B}_G\(keys);".utf8)
            out += base64[offset..<end]
            out += Array("\u{1B}\\".utf8)
            offset = end
        } while offset < base64.count
        return out
    }

    /// Deletes every image placement on the screen (before a popup, on exit).
    public static let deleteAll = Array("\u{1B}_Ga=d,d=a,q=2\u{1B}\\".utf8)

    /// The support query: a 1x1 image that is checked, not stored (a=q). A
    /// terminal that speaks the protocol answers `ESC _ G i=31;OK ESC \`.
    public static let query = "\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\"

    /// True when `reply` holds an OK answer to `query`.
    public static func answeredOK(_ reply: String) -> Bool {
        guard let start = reply.range(of: "\u{1B}_Gi=31") else { return false }
        let rest = reply[start.upperBound...]
        guard let end = rest.range(of: "\u{1B}\\") else { return false }
        return rest[..<end.lowerBound].hasSuffix(";OK")
    }

    /// Decodes the images in a byte stream (tests): the payloads of each
    /// transmission, joined across its chunks, with the keys of its first chunk.
    public static func transmissions(in bytes: [UInt8]) -> [(keys: [String: String], data: Data)] {
        var result: [(keys: [String: String], data: Data)] = []
        var current: (keys: [String: String], base64: [UInt8])? = nil
        var i = 0
        while i + 2 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == 0x5F, bytes[i + 2] == 0x47 else { i += 1; continue }  // ESC _ G
            var j = i + 3
            while j + 1 < bytes.count, !(bytes[j] == 0x1B && bytes[j + 1] == 0x5C) { j += 1 }
            let body = bytes[(i + 3)..<j]
            let split = body.firstIndex(of: 0x3B) ?? body.endIndex
            var keys: [String: String] = [:]
            for pair in String(decoding: body[body.startIndex..<split], as: UTF8.self).split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { keys[String(kv[0])] = String(kv[1]) }
            }
            let payload = split < body.endIndex ? Array(body[(split + 1)...]) : []
            if current == nil { current = (keys, []) }
            current!.base64 += payload
            if keys["m"] != "1" {
                result.append((current!.keys, Data(base64Encoded: Data(current!.base64)) ?? Data()))
                current = nil
            }
            i = j + 2
        }
        return result
    }
}
