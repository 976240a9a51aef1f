import Foundation
import FuzzSupport
import Layouts
import Models

/// PNG bytes through the layout reader (indexed, grey label ids, colour) and the
/// RGB image reader, then what `generate` and `layout info` do with a layout.
/// Promises: no crash, and an accepted layout re-encodes to the same layout.
let library = FuzzInput.bundledPalettes()
/// The side limit the decoder is given. The limit check is the same code for
/// any value; 1024 instead of the CLI's 8192 keeps each execution's buffers
/// (and the address sanitizer's bookkeeping of them) at most 3 MB.
let maxSide = 1024
let landscape = try! library.named("landscape")

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    FuzzInput.writeSeedsIfAsked {
        var labels = LabelMap(width: 5, height: 3)
        for i in 0..<labels.ids.count { labels.ids[i] = UInt8(landscape.classes[i % landscape.count].id) }
        let layout = Layout(labels: labels, palette: landscape)
        var seeds: [String: Data] = [:]
        for encoding in LayoutEncoding.allCases {
            seeds["tiny-\(encoding.rawValue).png"] = try LayoutFile.encode(layout, as: encoding)
        }
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLayout(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = FuzzInput.data(bytes, count)
    _ = try? PNGCodec.decode(data, mode: .rgb8, path: "fuzz.png", maxSide: maxSide)
    for explicit in [nil, landscape] as [Palette?] {
        guard let layout = try? LayoutFile.decode(data, path: "fuzz.png", palette: explicit, library: library, maxSide: maxSide) else { continue }
        _ = layout.classShares()
        _ = layout.colorized()
        _ = try? SemanticInput.indices(of: layout.labels, palette: landscape)
        for encoding in LayoutEncoding.allCases {
            let encoded: Data
            do { encoded = try LayoutFile.encode(layout, as: encoding) } catch {
                FuzzInput.expect(false, "an accepted layout does not encode as \(encoding): \(error)")
                continue
            }
            // Colour PNGs cannot hold the ignore id (it has no colour).
            let hasIgnore = layout.palette.ignoreID.map { layout.labels.histogram()[$0] > 0 } ?? false
            if encoding == .color && hasIgnore { continue }
            let back = try? LayoutFile.decode(encoded, path: "round-trip.png", palette: layout.palette)
            FuzzInput.expect(back == layout, "a \(layout.width)x\(layout.height) layout does not survive a \(encoding) round trip")
        }
    }
    return 0
}
