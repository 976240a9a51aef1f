import CSixel
import Layouts

/// Sixel bytes back to pixels with libsixel's decoder (the one `sixel2png`
/// uses), for measuring encoders (`bench cells`).
public enum SixelDecoder {
    public static func decode(_ bytes: [UInt8]) throws -> RGBImage {
        var allocator: OpaquePointer? = nil
        guard sixel_allocator_new(&allocator, nil, nil, nil, nil) == SIXEL_OK, let allocator else {
            throw SixelError(message: "cannot create an allocator")
        }
        defer { sixel_allocator_unref(allocator) }
        var input = bytes
        var pixels: UnsafeMutablePointer<UInt8>? = nil, palette: UnsafeMutablePointer<UInt8>? = nil
        var width: Int32 = 0, height: Int32 = 0, colors: Int32 = 0
        let status = input.withUnsafeMutableBufferPointer {
            sixel_decode_raw($0.baseAddress, Int32($0.count), &pixels, &width, &height, &palette, &colors, allocator)
        }
        defer {
            sixel_allocator_free(allocator, pixels)
            sixel_allocator_free(allocator, palette)
        }
        guard status == SIXEL_OK, let pixels, let palette, width > 0, height > 0 else {
            throw SixelError(message: "cannot decode (status \(status))")
        }
        // One palette index a pixel; the palette holds 3 bytes (RGB) per colour.
        var image = RGBImage(width: Int(width), height: Int(height))
        for i in 0..<Int(width * height) {
            let c = Int(pixels[i])
            guard c < Int(colors) else { continue }
            image.pixels[3 * i] = palette[3 * c]
            image.pixels[3 * i + 1] = palette[3 * c + 1]
            image.pixels[3 * i + 2] = palette[3 * c + 2]
        }
        return image
    }
}
