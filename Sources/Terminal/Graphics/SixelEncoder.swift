import CSixel
import Foundation
import Layouts
import Support

public struct SixelError: UserFacingError {
    public let message: String
    public var description: String { "sixel encoding failed: \(message)" }
}

/// Turns images into DEC sixel byte streams with libsixel.
public enum SixelEncoder {
    /// Encodes a photo-like image: libsixel picks up to `colors` palette
    /// entries (median cut) and dithers. The encoder writes into its input, so
    /// it works on a copy.
    public static func encode(_ image: RGBImage, colors: Int = 256) throws -> [UInt8] {
        var dither: OpaquePointer? = nil
        guard sixel_dither_new(&dither, Int32(colors), nil) == SIXEL_OK, let dither else {
            throw SixelError(message: "cannot create a dither")
        }
        defer { sixel_dither_unref(dither) }
        var pixels = image.pixels
        let status = pixels.withUnsafeMutableBufferPointer { buffer -> SIXELSTATUS in
            sixel_dither_initialize(dither, buffer.baseAddress, Int32(image.width), Int32(image.height),
                                    Int32(SIXEL_PIXELFORMAT_RGB888), Int32(SIXEL_LARGE_AUTO),
                                    Int32(SIXEL_REP_AUTO), Int32(SIXEL_QUALITY_AUTO))
        }
        guard status == SIXEL_OK else { throw SixelError(message: "cannot build a palette (status \(status))") }
        var copy = image.pixels
        return try encode(pixels: &copy, width: image.width, height: image.height, dither: dither)
    }

    /// Encodes a label image exactly: a fixed palette (the class colours) and
    /// one index per pixel, no dithering.
    public static func encode(indices: [UInt8], width: Int, height: Int, palette: [RGBColor]) throws -> [UInt8] {
        precondition(indices.count == width * height && !palette.isEmpty && palette.count <= 256)
        var dither: OpaquePointer? = nil
        guard sixel_dither_new(&dither, Int32(palette.count), nil) == SIXEL_OK, let dither else {
            throw SixelError(message: "cannot create a dither")
        }
        defer { sixel_dither_unref(dither) }
        var table = palette.flatMap { [$0.r, $0.g, $0.b] }
        table.withUnsafeMutableBufferPointer { sixel_dither_set_palette(dither, $0.baseAddress) }
        sixel_dither_set_pixelformat(dither, Int32(SIXEL_PIXELFORMAT_PAL8))
        sixel_dither_set_diffusion_type(dither, Int32(SIXEL_DIFFUSE_NONE))
        var copy = indices
        return try encode(pixels: &copy, width: width, height: height, dither: dither)
    }

    private static func encode(pixels: inout [UInt8], width: Int, height: Int, dither: OpaquePointer) throws -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var output: OpaquePointer? = nil
        let write: sixel_write_function = { data, size, priv in
            guard let data, let priv else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(priv).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: Int(size)) {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(size)))
            }
            return size
        }
        guard sixel_output_new(&output, write, unmanaged.toOpaque(), nil) == SIXEL_OK, let output else {
            throw SixelError(message: "cannot create an output")
        }
        defer { sixel_output_unref(output) }
        let status = pixels.withUnsafeMutableBufferPointer {
            sixel_encode($0.baseAddress, Int32(width), Int32(height), 3, dither, output)
        }
        guard status == SIXEL_OK else { throw SixelError(message: "status \(status)") }
        return sink.bytes
    }
}
