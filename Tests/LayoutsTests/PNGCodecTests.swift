import Foundation
import Layouts
import XCTest

final class PNGCodecTests: XCTestCase {
    /// Packs samples (already in range for the depth) into PNG row bytes.
    private func pack(_ samples: [Int], width: Int, channels: Int, depth: Int) -> [UInt8] {
        let height = samples.count / (width * channels)
        var out: [UInt8] = []
        for y in 0..<height {
            let row = samples[(y * width * channels)..<((y + 1) * width * channels)]
            if depth == 16 {
                for s in row { out += [UInt8(s & 0xFF), UInt8(s >> 8)] } // host (little) endian
            } else if depth == 8 {
                out += row.map { UInt8($0) }
            } else {
                var byte = 0, bits = 0
                for s in row {
                    byte = (byte << depth) | s
                    bits += depth
                    if bits == 8 { out.append(UInt8(byte)); byte = 0; bits = 0 }
                }
                if bits > 0 { out.append(UInt8(byte << (8 - bits))) }
            }
        }
        return out
    }

    private func encode(_ samples: [Int], width: Int, height: Int, colorType: Int, depth: Int, palette: [RGBColor] = []) throws -> Data {
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]!
        let bytes = pack(samples, width: width, channels: channels, depth: depth)
        return try bytes.withUnsafeBytes {
            try PNGCodec.encode(pixels: $0, width: width, height: height,
                                format: .raw(colorType: colorType, bitDepth: depth, palette: palette))
        }
    }

    /// Every colour type and bit depth PNG allows decodes to the right 8-bit RGB
    /// (and, for single-channel types, to the exact stored values).
    func testEveryColorTypeAndBitDepthDecodes() throws {
        let width = 7, height = 3  // odd width exercises sub-byte row padding
        let cases: [(type: Int, depths: [Int])] = [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]
        for (type, depths) in cases {
            for depth in depths {
                let maxValue = (1 << depth) - 1
                let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][type]!
                var samples: [Int] = []
                for i in 0..<(width * height * channels) { samples.append((i * 37 + 11) % (maxValue + 1)) }
                var palette: [RGBColor] = []
                if type == 3 {
                    for v in 0...maxValue {
                        let r = UInt8((v * 3) % 256), g = UInt8(255 - v), b = UInt8((v * 7) % 256)
                        palette.append(RGBColor(r, g, b))
                    }
                }
                let data = try encode(samples, width: width, height: height, colorType: type, depth: depth, palette: palette)
                let rgb = try PNGCodec.decode(data, mode: .rgb8)
                XCTAssertEqual(rgb.width, width)
                XCTAssertEqual(rgb.height, height)
                XCTAssertEqual(rgb.bitDepth, depth)
                XCTAssertEqual(rgb.colorType.rawValue, type)
                for p in 0..<(width * height) {
                    let expected: [UInt8]
                    func to8(_ v: Int) -> UInt8 {
                        depth == 16 ? UInt8(v >> 8) : UInt8((v * 255) / maxValue)  // libpng scales low depths, strips 16 to the high byte
                    }
                    switch type {
                    case 0: let g = to8(samples[p]); expected = [g, g, g]
                    case 2: expected = (0..<3).map { to8(samples[3 * p + $0]) }
                    case 3: let c = palette[samples[p]]; expected = [c.r, c.g, c.b]
                    case 4: let g = to8(samples[2 * p]); expected = [g, g, g]
                    default: expected = (0..<3).map { to8(samples[4 * p + $0]) }
                    }
                    XCTAssertEqual(Array(rgb.rgb[(3 * p)..<(3 * p + 3)]), expected, "type \(type) depth \(depth) pixel \(p)")
                }
                if type == 0 || type == 3 {
                    let values = try PNGCodec.decode(data, mode: .values)
                    XCTAssertEqual(values.values.map(Int.init), samples, "type \(type) depth \(depth) values")
                } else {
                    XCTAssertThrowsError(try PNGCodec.decode(data, mode: .values))
                }
            }
        }
    }

    func testRGBImageWriteReadRoundTrip() throws {
        let dir = temporaryDirectory()
        var image = RGBImage(width: 5, height: 4)
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8((i * 53) % 256) }
        try image.write(path: dir + "/a.png")
        XCTAssertEqual(try RGBImage.read(path: dir + "/a.png"), image)
        try image.write(path: dir + "/b.png", alpha: [UInt8](repeating: 128, count: 20))
        XCTAssertEqual(try RGBImage.read(path: dir + "/b.png"), image, "alpha is dropped, colours kept")
        // Atomic writes leave no temporary files behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["a.png", "b.png"])
    }

    /// The header read eval uses to size every pair: the real size of a written PNG, nil for a
    /// file cut inside the header, a non-PNG or a missing file.
    func testDimensionsComeFromTheHeaderAlone() throws {
        let dir = temporaryDirectory()
        try RGBImage(width: 300, height: 7).write(path: dir + "/a.png")
        let size = try XCTUnwrap(PNGDimensions.read(path: dir + "/a.png"))
        XCTAssertEqual([size.width, size.height], [300, 7])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png"))
        try bytes.prefix(23).write(to: URL(fileURLWithPath: dir + "/cut.png"))
        try Data("not a png at all, not at all".utf8).write(to: URL(fileURLWithPath: dir + "/text.png"))
        for name in ["cut.png", "text.png", "missing.png"] { XCTAssertNil(PNGDimensions.read(path: dir + "/" + name), name) }
    }

    private func validPNG() throws -> [UInt8] {
        var image = RGBImage(width: 16, height: 16)
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8(i % 251) }
        return [UInt8](try image.pngData())
    }

    func testTruncatedFilesAreRejectedAtEveryLength() throws {
        let png = try validPNG()
        for cut in stride(from: 0, to: png.count - 1, by: 7) {
            XCTAssertThrowsError(try PNGCodec.decode(Data(png[0..<cut]), mode: .rgb8, path: "t.png"), "cut at \(cut)") { error in
                let e = error as? PNGError
                XCTAssertNotNil(e)
                XCTAssertTrue(e!.description.hasPrefix("t.png: "), e!.description)
            }
        }
    }

    func testBadCRCInImageDataIsRejected() throws {
        let png = try validPNG()
        let idat = PNGBytes.chunks(of: png).first { $0.type == "IDAT" }!
        var badCRC = png
        badCRC[idat.offset + 8 + idat.length] ^= 0x5A  // first byte of the chunk's CRC
        XCTAssertThrowsError(try PNGCodec.decode(Data(badCRC), mode: .rgb8)) { error in
            XCTAssertEqual((error as? PNGError)?.kind, .corrupt)
            XCTAssertTrue("\(error)".lowercased().contains("crc"), "\(error)")
        }
        var badData = png
        badData[idat.offset + 8 + idat.length / 2] ^= 0x5A  // data changed, CRC no longer matches
        XCTAssertThrowsError(try PNGCodec.decode(Data(badData), mode: .rgb8)) { error in
            XCTAssertEqual((error as? PNGError)?.kind, .corrupt)
        }
    }

    func testHugeDeclaredDimensionsAreRefusedBeforeAllocation() {
        let png = PNGBytes.signature + PNGBytes.ihdr(width: 1_000_000, height: 1_000_000)
            + PNGBytes.chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + PNGBytes.chunk("IEND", [])
        XCTAssertThrowsError(try PNGCodec.decode(Data(png), mode: .rgb8, path: "huge.png")) { error in
            XCTAssertEqual((error as? PNGError)?.kind, .tooLarge)
        }
        // The limit is configurable: a 9000-wide image passes an explicit larger limit's size check.
        let wide = PNGBytes.signature + PNGBytes.ihdr(width: 9000, height: 1) + PNGBytes.chunk("IEND", [])
        XCTAssertThrowsError(try PNGCodec.decode(Data(wide), mode: .rgb8)) { error in
            XCTAssertEqual((error as? PNGError)?.kind, .tooLarge)
        }
        XCTAssertThrowsError(try PNGCodec.decode(Data(wide), mode: .rgb8, maxSide: 10000)) { error in
            XCTAssertEqual((error as? PNGError)?.kind, .corrupt, "passes the size check, then fails on missing data")
        }
    }

    /// Fuzz finding (fuzz-layout, docs/reliability.md): 180 bytes whose tEXt
    /// chunk declares 1.5 GB. libpng allocated and zeroed the declared length
    /// before reading it (1.5 GB resident, seconds); now refused from the bytes.
    func testChunkLongerThanTheFileIsRefusedBeforeLibpngAllocatesIt() throws {
        let finding = try XCTUnwrap(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAUAAAADCAMAAABs6DXKAAAALVBMVEVuquvI0uR9aZb6+vqHeGlpvkYeaS2bqjfwX7QoWsjozoxVVVrNRjKlczz6tB5xmewuWgAAHHRFWHRzY2VuZXBhaW5zLnBhbGV0dGUAMGFuJ3NjYXBl//aK6AAAABpJREFUCJljYGBkYmZhYGVj5+Bk4OLm4eUDAAJ5AGoAKFrIAAAAAElFTkSuQmCC"))
        for mode in [PNGCodec.Mode.values, .rgb8] {
            XCTAssertThrowsError(try PNGCodec.decode(finding, mode: mode, path: "text.png")) { error in
                XCTAssertEqual((error as? PNGError)?.kind, .corrupt)
                XCTAssertEqual("\(error)", "text.png: corrupt PNG: chunk tEXt at byte 90 declares 1509949468 bytes, past the end of the file")
            }
        }
        // The same check on an honest file cut short inside its IDAT.
        let cut = try validPNG().dropLast(20)
        XCTAssertThrowsError(try PNGCodec.decode(Data(cut), mode: .rgb8)) { error in
            XCTAssertTrue("\(error)".contains("chunk IDAT") && "\(error)".contains("past the end of the file"), "\(error)")
        }
    }

    func testZeroSizeAndGarbageAreRejected() {
        let zero = PNGBytes.signature + PNGBytes.ihdr(width: 0, height: 10) + PNGBytes.chunk("IEND", [])
        XCTAssertThrowsError(try PNGCodec.decode(Data(zero), mode: .rgb8))
        XCTAssertThrowsError(try PNGCodec.decode(Data("hello, not a png".utf8), mode: .rgb8)) { error in
            XCTAssertTrue("\(error)".contains("not a PNG"), "\(error)")
        }
        XCTAssertThrowsError(try PNGCodec.decode(Data(), mode: .values))
    }

    func testMissingFileAndDirectoryGiveOneLineErrors() {
        XCTAssertThrowsError(try RGBImage.read(path: "/nonexistent/x.png")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/x.png: no such file")
        }
        XCTAssertThrowsError(try RGBImage.read(path: NSTemporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("is a directory"))
        }
    }

    /// A stranger's paths: each reason named, not "no such file" for a file that is there.
    func testLinksPipesAndNonFilesAreNamedForWhatTheyAre() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop1.png", withDestinationPath: dir + "/loop2.png")
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop2.png", withDestinationPath: dir + "/loop1.png")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.png", withDestinationPath: dir + "/gone.png")
        XCTAssertEqual(mkfifo(dir + "/fifo.png", 0o644), 0)
        try Data([1]).write(to: URL(fileURLWithPath: dir + "/file"))
        for (name, expected) in [("loop1.png", "is a symbolic link loop"), ("dangling.png", "is a symbolic link to a file that does not exist"),
                                 ("fifo.png", "is a FIFO (named pipe), not an image file"), ("file/x.png", "a part of the path before the file name is not a directory"),
                                 ("", "is a directory, not an image file")] {
            XCTAssertThrowsError(try RGBImage.read(path: dir + "/" + name)) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(dir)/\(name): \(expected)"), "\(error)")
            }
        }
    }

    /// CMYK JPEGs (print, Photoshop) decode to RGB; libjpeg alone refuses them.
    /// The fixture is an Adobe (inverted) CMYK JPEG of four flat 8x8 quadrants,
    /// red, green, blue and grey 128, written by Pillow at quality 100.
    func testCMYKJPEGDecodesToItsColours() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let image = try RGBImage.read(path: root + "/Tests/Fixtures/cmyk-quadrants.jpg")
        XCTAssertEqual(image.width, 16)
        XCTAssertEqual(image.height, 16)
        for (i, expected) in [RGBColor(255, 0, 0), RGBColor(0, 255, 0), RGBColor(0, 0, 255), RGBColor(128, 128, 128)].enumerated() {
            let got = image[(i % 2) * 8 + 4, (i / 2) * 8 + 4]
            for (a, b) in [(got.r, expected.r), (got.g, expected.g), (got.b, expected.b)] {
                XCTAssertLessThanOrEqual(abs(Int(a) - Int(b)), 8, "quadrant \(i): \(got) for \(expected)")
            }
        }
    }

    /// Fuzz-ish: random byte flips in a valid file never crash the process.
    func testRandomCorruptionNeverCrashes() throws {
        let png = try validPNG()
        var rng = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0..<300 {
            var copy = png
            for _ in 0..<3 { copy[Int.random(in: 8..<copy.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            if (try? PNGCodec.decode(Data(copy), mode: .rgb8)) == nil { failures += 1 }
        }
        XCTAssertGreaterThan(failures, 0, "some corruptions must be detected")
    }
}
