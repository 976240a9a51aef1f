import CJPEG
import Foundation
import Support

/// A JPEG problem, with the file it happened in (one line).
public struct JPEGError: UserFacingError, Equatable {
    public enum Kind: Sendable, Equatable { case corrupt, tooLarge, outOfMemory, io }
    public let path: String
    public let kind: Kind
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// libjpeg-turbo through the setjmp-owning C bridge (Sources/CJPEG). Never
/// crashes on bad input: a corrupt or truncated file is one `JPEGError`.
/// Real datasets (ADE20K, COCO-Stuff) ship their images as JPEG.
public enum JPEGCodec {
    public static func decode(_ data: Data, path: String = "<memory>", maxSide: Int = PNGCodec.defaultMaxSide) throws -> RGBImage {
        var image = sp_jpeg_image()
        var err = [CChar](repeating: 0, count: 512)
        let status: Int32 = data.withUnsafeBytes { raw in
            err.withUnsafeMutableBufferPointer { e in
                sp_jpeg_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, UInt32(clamping: maxSide),
                               &image, e.baseAddress, e.count)
            }
        }
        defer { sp_jpeg_free(&image) }
        switch status {
        case 0: break
        case 3: throw JPEGError(path: path, kind: .tooLarge,
                                message: "image is \(image.width)x\(image.height), over the limit of \(maxSide) pixels per side")
        case 4: throw JPEGError(path: path, kind: .outOfMemory, message: "out of memory decoding JPEG")
        default: throw JPEGError(path: path, kind: .corrupt, message: "corrupt JPEG: \(String(cString: err))")
        }
        let count = Int(image.width) * Int(image.height) * 3
        let pixels = [UInt8](UnsafeBufferPointer(start: image.pixels, count: count))
        return RGBImage(width: Int(image.width), height: Int(image.height), pixels: pixels)
    }

    /// Baseline JPEG of an image (quality 1-100).
    public static func encode(_ image: RGBImage, quality: Int = 90) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = [CChar](repeating: 0, count: 512)
        let status = image.pixels.withUnsafeBufferPointer { p in
            err.withUnsafeMutableBufferPointer { e in
                sp_jpeg_encode(p.baseAddress, UInt32(image.width), UInt32(image.height), Int32(Swift.max(1, Swift.min(100, quality))),
                               &out, &size, e.baseAddress, e.count)
            }
        }
        guard status == 0, let out else {
            throw JPEGError(path: "<memory>", kind: .corrupt, message: "cannot encode JPEG: \(String(cString: err))")
        }
        defer { sp_jpeg_free_buffer(out) }
        return Data(bytes: out, count: size)
    }

    /// JPEG files start with the start-of-image marker FF D8.
    public static func isJPEG(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0xFF && data[data.startIndex + 1] == 0xD8
    }
}
