import CPNG
import Foundation
import Support

/// A PNG problem, with the file it happened in.
public struct PNGError: UserFacingError, Equatable {
    public enum Kind: Sendable, Equatable { case corrupt, unsupported, tooLarge, outOfMemory, io }
    public let path: String
    public let kind: Kind
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// What a PNG file holds, decoded either as raw sample values or as 8-bit RGB.
public struct DecodedPNG: Sendable {
    public enum ColorType: Int, Sendable { case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6 }
    public let width: Int
    public let height: Int
    public let colorType: ColorType
    public let bitDepth: Int
    /// One channel of values (palette indices or grey levels) or three of RGB.
    public let channels: Int
    /// Values widened to UInt16 (VALUES mode) — empty in RGB mode.
    public let values: [UInt16]
    /// 8-bit RGB pixels — empty in VALUES mode.
    public let rgb: [UInt8]
    public let plte: [RGBColor]
    public let paletteName: String?
}

/// libpng through the setjmp-owning C bridge. Never crashes on bad input.
public enum PNGCodec {
    /// Default limit on width and height; a declared size above it is refused
    /// before any pixel memory is allocated.
    public static let defaultMaxSide = 8192

    public enum Mode { case values, rgb8 }

    public static func decode(_ data: Data, mode: Mode, path: String = "<memory>", maxSide: Int = defaultMaxSide) throws -> DecodedPNG {
        var image = sp_png_image()
        var err = [CChar](repeating: 0, count: 512)
        let status: Int32 = data.withUnsafeBytes { raw in
            err.withUnsafeMutableBufferPointer { e in
                sp_png_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count,
                              mode == .values ? SP_PNG_DECODE_VALUES : SP_PNG_DECODE_RGB8,
                              UInt32(clamping: maxSide), &image, e.baseAddress, e.count)
            }
        }
        defer { sp_png_free(&image) }
        if status != 0 {
            let message = String(cString: err)
            switch status {
            case 2: throw PNGError(path: path, kind: .unsupported, message: message)
            case 3: throw PNGError(path: path, kind: .tooLarge,
                                   message: "image is \(image.width)x\(image.height), over the limit of \(maxSide) pixels per side")
            case 4: throw PNGError(path: path, kind: .outOfMemory, message: message)
            default: throw PNGError(path: path, kind: .corrupt, message: "corrupt PNG: \(message)")
            }
        }
        let width = Int(image.width), height = Int(image.height)
        let count = width * height * Int(image.channels)
        var values: [UInt16] = []
        var rgb: [UInt8] = []
        if mode == .values {
            values = [UInt16](repeating: 0, count: count)
            if image.sample_bytes == 2 {
                image.pixels.withMemoryRebound(to: UInt16.self, capacity: count) { p in
                    for i in 0..<count { values[i] = p[i] }
                }
            } else {
                for i in 0..<count { values[i] = UInt16(image.pixels[i]) }
            }
        } else {
            rgb = [UInt8](UnsafeBufferPointer(start: image.pixels, count: count))
        }
        var plte: [RGBColor] = []
        withUnsafeBytes(of: image.palette) { raw in
            for i in 0..<Int(image.palette_count) {
                plte.append(RGBColor(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]))
            }
        }
        let name = withUnsafeBytes(of: image.palette_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return DecodedPNG(width: width, height: height,
                          colorType: DecodedPNG.ColorType(rawValue: Int(image.color_type)) ?? .rgb,
                          bitDepth: Int(image.bit_depth), channels: Int(image.channels),
                          values: values, rgb: rgb, plte: plte, paletteName: name.isEmpty ? nil : name)
    }

    public enum EncodeFormat {
        case grey8, grey16, rgb8, rgba8
        case indexed(palette: [RGBColor], name: String?)
        /// Any PNG colour type (0, 2, 3, 4, 6) and bit depth, rows packed as in
        /// the file (16-bit samples host-endian). For tests and converters.
        case raw(colorType: Int, bitDepth: Int, palette: [RGBColor])
    }

    /// Encodes raw pixel bytes (grey16: host-endian UInt16 bytes).
    public static func encode(pixels: UnsafeRawBufferPointer, width: Int, height: Int,
                              format: EncodeFormat, compressionLevel: Int = 6) throws -> Data {
        let colorType: Int32, bitDepth: Int32
        var plteBytes: [UInt8] = []
        var name: String? = nil
        switch format {
        case .grey8: (colorType, bitDepth) = (0, 8)
        case .grey16: (colorType, bitDepth) = (0, 16)
        case .rgb8: (colorType, bitDepth) = (2, 8)
        case .rgba8: (colorType, bitDepth) = (6, 8)
        case .indexed(let palette, let paletteName):
            (colorType, bitDepth) = (3, 8)
            plteBytes = palette.flatMap { [$0.r, $0.g, $0.b] }
            name = paletteName
        case .raw(let type, let depth, let palette):
            (colorType, bitDepth) = (Int32(type), Int32(depth))
            plteBytes = palette.flatMap { [$0.r, $0.g, $0.b] }
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var err = [CChar](repeating: 0, count: 512)
        let plteCount = Int32(plteBytes.count / 3)
        let status = err.withUnsafeMutableBufferPointer { e in
            plteBytes.withUnsafeBufferPointer { plte in
                sp_png_encode(pixels.bindMemory(to: UInt8.self).baseAddress, UInt32(width), UInt32(height),
                              colorType, bitDepth, plte.baseAddress, plteCount, Int32(compressionLevel),
                              name, &out, &size, e.baseAddress, e.count)
            }
        }
        guard status == 0, let out else {
            throw PNGError(path: "<memory>", kind: .unsupported, message: "cannot encode PNG: \(String(cString: err))")
        }
        defer { sp_png_free_buffer(out) }
        return Data(bytes: out, count: size)
    }

    public static func readFile(_ path: String) throws -> Data {
        try ReadableFile.contents(of: path, expected: "an image file") { PNGError(path: path, kind: .io, message: $0) }
    }
}

extension RGBImage {

    public func pngData(compressionLevel: Int = 6) throws -> Data {
        try pixels.withUnsafeBytes {
            try PNGCodec.encode(pixels: $0, width: width, height: height, format: .rgb8, compressionLevel: compressionLevel)
        }
    }

    /// Writes an 8-bit RGB PNG atomically.
    public func write(path: String, compressionLevel: Int = 6) throws {
        try AtomicFile.write(try pngData(compressionLevel: compressionLevel), to: path)
    }

    /// Writes an 8-bit RGBA PNG atomically, with the given alpha plane (width*height).
    public func write(path: String, alpha: [UInt8]) throws {
        invariant(alpha.count == width * height, "alpha plane of \(alpha.count) for a \(width)x\(height) image")
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for i in 0..<(width * height) {
            rgba[4 * i] = pixels[3 * i]
            rgba[4 * i + 1] = pixels[3 * i + 1]
            rgba[4 * i + 2] = pixels[3 * i + 2]
            rgba[4 * i + 3] = alpha[i]
        }
        let data = try rgba.withUnsafeBytes {
            try PNGCodec.encode(pixels: $0, width: width, height: height, format: .rgba8)
        }
        try AtomicFile.write(data, to: path)
    }
}
