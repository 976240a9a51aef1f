import Foundation
import Layouts

/// iTerm2 inline images (iTerm2, WezTerm, mintty): OSC 1337 File=... with a
/// base64 PNG, drawn at the cursor at its pixel size.
public enum ITermImage {
    public static func encode(_ image: RGBImage) throws -> [UInt8] {
        try encode(png: image.pngData(compressionLevel: 1), width: image.width, height: image.height)
    }

    public static func encode(png: Data, width: Int, height: Int) -> [UInt8] {
        let header = "\u{1B}]1337;File=inline=1;size=\(png.count);width=\(width)px;height=\(height)px;preserveAspectRatio=0;doNotMoveCursor=1:"
        return Array(header.utf8) + Array(png.base64EncodedData()) + [0x07]
    }

    /// The PNG inside an OSC 1337 sequence (tests).
    public static func png(in bytes: [UInt8]) -> Data? {
        let marker = Array("\u{1B}]1337;File=".utf8)
        guard let start = (0...(max(0, bytes.count - marker.count))).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker }),
              let colon = bytes[start...].firstIndex(of: 0x3A),
              let bell = bytes[colon...].firstIndex(of: 0x07) else { return nil }
        return Data(base64Encoded: Data(bytes[(colon + 1)..<bell]))
    }
}
