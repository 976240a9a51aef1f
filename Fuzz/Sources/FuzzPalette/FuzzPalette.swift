import Foundation
import FuzzSupport
import Layouts

/// Bytes through the palette JSON reader. Promises: no crash; an accepted
/// palette has consistent id lookups for every id 0-255 and survives a JSON
/// round trip unchanged.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    FuzzInput.writeSeedsIfAsked {
        var seeds: [String: Data] = [:]
        for palette in FuzzInput.bundledPalettes().palettes where palette.count <= 40 {
            seeds[palette.name + ".json"] = palette.encodeJSON()
        }
        seeds["ignore.json"] = Data(#"{"name":"i","ignore":255,"classes":[{"id":0,"name":"a","color":[1,2,3]}]}"#.utf8)
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPalette(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let palette = try? Palette.decode(json: FuzzInput.data(bytes, count), source: "fuzz.json") else { return 0 }
    FuzzInput.expect(palette.colorTable.count == Palette.maxID + 1, "colour table of \(palette.colorTable.count)")
    for id in 0...Palette.maxID {
        let position = palette.position(ofID: id)
        FuzzInput.expect(palette.contains(id: id) == (position != nil), "contains and position disagree on id \(id)")
        if let position { FuzzInput.expect(palette.classes[position].id == id, "position of id \(id) is wrong") }
    }
    FuzzInput.expect(palette.idLimit >= 1 && palette.idLimit <= Palette.maxID + 1, "id limit \(palette.idLimit)")
    let back = try? Palette.decode(json: palette.encodeJSON(), source: "round-trip")
    FuzzInput.expect(back == palette, "palette \(palette.name) does not survive a JSON round trip")
    return 0
}
