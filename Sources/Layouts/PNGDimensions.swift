import Foundation

/// A PNG's width and height from its IHDR chunk (the first 24 bytes), without
/// decoding it: `eval` sizes every test pair this way before generating any.
public enum PNGDimensions {
    /// nil when the file cannot be read or does not start like a PNG (the
    /// caller decodes it then, which names the problem).
    public static func read(path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 24), data.count == 24 else { return nil }
        let bytes = [UInt8](data)
        guard Array(bytes[0..<8]) == PNGTextChunks.signature, bytes[12...15].elementsEqual("IHDR".utf8) else { return nil }
        let (width, height) = (Int(PNGTextChunks.readUInt32(bytes, at: 16)), Int(PNGTextChunks.readUInt32(bytes, at: 20)))
        return width > 0 && height > 0 ? (width, height) : nil
    }
}
