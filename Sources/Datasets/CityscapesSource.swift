import Foundation
import Layouts

/// Cityscapes as distributed: DIR/gtFine/SPLIT/CITY/X_gtFine_labelIds.png with
/// DIR/leftImg8bit/SPLIT/CITY/X_leftImg8bit.png; label ids 0-33 (palette
/// `cityscapes`, no ignore id: every id is an input class). cityscapesScripts'
/// 'license plate' has id -1, which an 8-bit labelIds PNG holds as 255: it is
/// read as 0 'unlabeled' (void, as the scripts treat it).
public struct CityscapesSource: PairSource {
    public let split: String

    public init(split: String? = nil) {
        self.split = splitName(split, default: "train", aliases: ["training": "train", "validation": "val"])
    }

    public var expected: String {
        "DIR/gtFine/\(split)/CITY/*_gtFine_labelIds.png with DIR/leftImg8bit/\(split)/CITY/*_leftImg8bit.png (Cityscapes)"
    }

    public var paletteName: String? { "cityscapes" }

    public func recognizes(_ directory: String) -> Bool {
        LabelIDPairs.isDirectory(directory + "/gtFine") && LabelIDPairs.isDirectory(directory + "/leftImg8bit")
    }

    public func pairs(in directory: String) throws -> [DatasetPair] {
        let labels = directory + "/gtFine/" + split, suffix = "_gtFine_labelIds.png"
        var pairs: [DatasetPair] = []
        for city in LabelIDPairs.list(labels) {
            for name in LabelIDPairs.list(labels + "/" + city) where name.hasSuffix(suffix) {
                let image = "\(directory)/leftImg8bit/\(split)/\(city)/\(name.dropLast(suffix.count))_leftImg8bit.png"
                if FileManager.default.fileExists(atPath: image) {
                    pairs.append(DatasetPair(name: city + "/" + name, layoutPath: labels + "/" + city + "/" + name, imagePath: image))
                }
            }
        }
        return try LabelIDPairs.nonEmpty(pairs, directory: directory, expected: expected)
    }

    public func readLayout(path: String, palette: Palette) throws -> Layout {
        let decoded = try PNGCodec.decode(try PNGCodec.readFile(path), mode: .values, path: path)
        var ids = [UInt8](repeating: 0, count: decoded.values.count)
        for (i, raw) in decoded.values.enumerated() {
            let v = raw == 255 ? 0 : Int(raw)
            guard palette.contains(id: v) || v == palette.ignoreID else {
                throw LayoutError(path: path, message: "pixel (\(i % decoded.width), \(i / decoded.width)) has class id \(v), which palette \(palette.name) does not have")
            }
            ids[i] = UInt8(v)
        }
        return Layout(labels: LabelMap(width: decoded.width, height: decoded.height, ids: ids), palette: palette)
    }

    public func readImage(path: String) throws -> RGBImage { try RGBImage.read(path: path) }
}
