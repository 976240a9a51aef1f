import Foundation
import Support

/// The three ways a layout is stored in a PNG.
public enum LayoutEncoding: String, CaseIterable, Sendable {
    /// Native: palette PNG, pixel values are class ids, PLTE holds the class
    /// colours, and a tEXt chunk names the palette.
    case indexed
    /// 8-bit greyscale, pixel value = class id (Cityscapes *_labelIds.png, ADE20K).
    case ids
    /// RGB, each pixel is its class's colour.
    case color
}

public struct LayoutError: UserFacingError, Equatable {
    /// What went wrong, for callers that act on it (the message is for people).
    public enum Kind: Sendable {
        case invalid
        /// A greyscale label-id PNG read without a palette: its ids mean nothing yet.
        case paletteNeeded
    }

    public let path: String
    public let message: String
    public let kind: Kind
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String, kind: Kind = .invalid) {
        self.path = path
        self.message = message
        self.kind = kind
    }
}

/// Reading and writing layouts in any of the three encodings.
public enum LayoutFile {
    /// Reads a layout. The palette is `palette` when given; otherwise the one
    /// named in the file, or the only palette in `library` whose colours match.
    public static func read(path: String, palette explicit: Palette? = nil, library: PaletteLibrary? = nil,
                            maxSide: Int = PNGCodec.defaultMaxSide) throws -> Layout {
        try decode(try PNGCodec.readFile(path), path: path, palette: explicit, library: library, maxSide: maxSide)
    }

    /// Decodes layout PNG bytes; `path` names them in errors (the fuzzers call this).
    public static func decode(_ data: Data, path: String, palette explicit: Palette? = nil, library: PaletteLibrary? = nil,
                              maxSide: Int = PNGCodec.defaultMaxSide) throws -> Layout {
        if JPEGCodec.isJPEG(data) {
            throw LayoutError(path: path, message: "is a JPEG image, not a layout PNG: JPEG compression blurs class colours, save the layout as PNG")
        }
        let decoded: DecodedPNG
        do {
            decoded = try PNGCodec.decode(data, mode: .values, path: path, maxSide: maxSide)
        } catch let error as PNGError where error.kind == .unsupported {
            let rgb = try PNGCodec.decode(data, mode: .rgb8, path: path, maxSide: maxSide)
            return try readColor(rgb, path: path, palette: explicit, library: library)
        }
        if decoded.colorType == .palette, decoded.paletteName == nil, !plteHoldsClassColors(decoded, explicit: explicit, library: library) {
            // A palette PNG from an image editor (GIMP, ImageMagick): its indices
            // are arbitrary, its colours are what the painter chose. Read by colour.
            // With --palette, indices may still be ids under a PLTE of other colours.
            let rgb = try PNGCodec.decode(data, mode: .rgb8, path: path, maxSide: maxSide)
            do {
                return try readColor(rgb, path: path, palette: explicit, library: library)
            } catch let error as LayoutError where explicit == nil {
                throw error
            } catch is LayoutError {}
        }
        let palette: Palette
        if let explicit {
            palette = explicit
        } else if decoded.colorType == .palette {
            palette = try inferPalette(for: decoded, path: path, library: library)
        } else {
            throw LayoutError(path: path, message: "greyscale label-id PNG: say which palette its ids use (--palette NAME)",
                              kind: .paletteNeeded)
        }
        var ids = [UInt8](repeating: 0, count: decoded.values.count)
        for (i, v) in decoded.values.enumerated() {
            guard v <= 255, palette.contains(id: Int(v)) || Int(v) == palette.ignoreID else {
                throw LayoutError(path: path, message: "pixel (\(i % decoded.width), \(i / decoded.width)) has class id \(v), which palette \(palette.name) does not have")
            }
            ids[i] = UInt8(v)
        }
        return Layout(labels: LabelMap(width: decoded.width, height: decoded.height, ids: ids), palette: palette)
    }

    /// Whether a palette PNG's indices are class ids: its PLTE gives each index
    /// in use the colour of that id's class (in `explicit`, or in some palette
    /// of `library`). Without either there is nothing to compare, so yes.
    private static func plteHoldsClassColors(_ decoded: DecodedPNG, explicit: Palette?, library: PaletteLibrary?) -> Bool {
        var present = Set<Int>()
        for v in decoded.values { present.insert(Int(v)) }
        let used = present.sorted()
        if let explicit { return !PaletteLibrary(palettes: [explicit]).matching(plte: decoded.plte, idsInUse: used).isEmpty }
        guard let library else { return true }
        return !library.matching(plte: decoded.plte, idsInUse: used).isEmpty
    }

    private static func inferPalette(for decoded: DecodedPNG, path: String, library: PaletteLibrary?) throws -> Palette {
        guard let library else {
            throw LayoutError(path: path, message: "cannot tell which palette this layout uses (--palette NAME)")
        }
        if let name = decoded.paletteName, let p = library.palettes.first(where: { $0.name == name }) {
            return p
        }
        var present = Set<Int>()
        for v in decoded.values { present.insert(Int(v)) }
        let candidates = library.matching(plte: decoded.plte, idsInUse: present.sorted())
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty {
            throw LayoutError(path: path, message: "its colours match no known palette (--palette NAME)")
        }
        throw LayoutError(path: path, message: "its colours match several palettes (\(candidates.map(\.name).joined(separator: ", "))): choose one with --palette")
    }

    private static func readColor(_ decoded: DecodedPNG, path: String, palette explicit: Palette?, library: PaletteLibrary?) throws -> Layout {
        let palette: Palette
        if let explicit {
            palette = explicit
        } else {
            var colors = Set<UInt32>()
            for i in 0..<(decoded.width * decoded.height) {
                colors.insert(UInt32(decoded.rgb[3 * i]) << 16 | UInt32(decoded.rgb[3 * i + 1]) << 8 | UInt32(decoded.rgb[3 * i + 2]))
                if colors.count > 256 { break }
            }
            let candidates = library?.matching(colors: colors) ?? []
            guard candidates.count == 1 else {
                throw LayoutError(path: path, message: candidates.isEmpty
                    ? "colour PNG whose colours match no known palette (--palette NAME)"
                    : "colour PNG matching several palettes (\(candidates.map(\.name).joined(separator: ", "))): choose one with --palette")
            }
            palette = candidates[0]
        }
        var lookup: [UInt32: UInt8] = [:]
        for cls in palette.classes { lookup[cls.color.packed] = UInt8(cls.id) }
        var ids = [UInt8](repeating: 0, count: decoded.width * decoded.height)
        for i in 0..<ids.count {
            let packed = UInt32(decoded.rgb[3 * i]) << 16 | UInt32(decoded.rgb[3 * i + 1]) << 8 | UInt32(decoded.rgb[3 * i + 2])
            guard let id = lookup[packed] else {
                let c = RGBColor(decoded.rgb[3 * i], decoded.rgb[3 * i + 1], decoded.rgb[3 * i + 2])
                throw LayoutError(path: path, message: "pixel (\(i % decoded.width), \(i / decoded.width)) has colour \(c), which is no class of palette \(palette.name)")
            }
            ids[i] = id
        }
        return Layout(labels: LabelMap(width: decoded.width, height: decoded.height, ids: ids), palette: palette)
    }

    /// Encodes a layout as PNG bytes.
    public static func encode(_ layout: Layout, as encoding: LayoutEncoding = .indexed, compressionLevel: Int = 6) throws -> Data {
        let labels = layout.labels
        switch encoding {
        case .indexed:
            let maxID = max(layout.palette.idLimit, (labels.idsPresent.last ?? 0) + 1)
            let table = Array(layout.palette.colorTable.prefix(maxID))
            return try labels.ids.withUnsafeBytes {
                try PNGCodec.encode(pixels: $0, width: labels.width, height: labels.height,
                                    format: .indexed(palette: table, name: layout.palette.name),
                                    compressionLevel: compressionLevel)
            }
        case .ids:
            return try labels.ids.withUnsafeBytes {
                try PNGCodec.encode(pixels: $0, width: labels.width, height: labels.height, format: .grey8,
                                    compressionLevel: compressionLevel)
            }
        case .color:
            return try layout.colorized().pngData(compressionLevel: compressionLevel)
        }
    }

    /// Writes a layout atomically.
    public static func write(_ layout: Layout, to path: String, as encoding: LayoutEncoding = .indexed, compressionLevel: Int = 6) throws {
        try AtomicFile.write(try encode(layout, as: encoding, compressionLevel: compressionLevel), to: path)
    }
}
