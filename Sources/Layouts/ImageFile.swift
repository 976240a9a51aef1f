import Foundation

extension RGBImage {
    /// Reads a PNG (every colour type and bit depth) or a JPEG as 8-bit RGB,
    /// told apart by their signatures, not the file name: a style reference or a
    /// dataset image is as often a camera JPEG as a PNG. Alpha is dropped.
    public static func read(path: String, maxSide: Int = PNGCodec.defaultMaxSide) throws -> RGBImage {
        let data = try PNGCodec.readFile(path)
        if JPEGCodec.isJPEG(data) { return try JPEGCodec.decode(data, path: path, maxSide: maxSide) }
        let decoded = try PNGCodec.decode(data, mode: .rgb8, path: path, maxSide: maxSide)
        return RGBImage(width: decoded.width, height: decoded.height, pixels: decoded.rgb)
    }
}
