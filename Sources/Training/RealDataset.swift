import Foundation
import Layouts
import Support

/// A Cityscapes, ADE20K or COCO-Stuff directory as distributed: label-id PNGs
/// (the dataset's own ids, which the bundled palette of the same name carries)
/// paired with PNG or JPEG photos. Only pairs whose both files exist are used.
public struct RealDataset: TrainingPairSource {
    public let directory: String
    public let format: DatasetFormat
    public let split: String
    public let palette: Palette
    public let pairs: [(layout: String, image: String)]

    public var count: Int { pairs.count }

    public init(directory: String, format: DatasetFormat, split: String? = nil, palette: Palette) throws {
        precondition(format != .paired, "RealDataset reads real layouts; PairedDataset reads scenepaint's own")
        self.directory = directory
        self.format = format
        self.palette = palette
        self.split = format.splitName(split)
        let (pairs, expected) = Self.listPairs(directory: directory, format: format, split: self.split)
        guard !pairs.isEmpty else { throw Failure("\(directory): no \(format.rawValue) pairs (\(expected))") }
        self.pairs = pairs
    }

    static func listPairs(directory: String, format: DatasetFormat, split: String)
        -> (pairs: [(layout: String, image: String)], expected: String) {
        let fm = FileManager.default
        func list(_ path: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
        func isDirectory(_ path: String) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &d) && d.boolValue
        }
        switch format {
        case .cityscapes:
            let labels = directory + "/gtFine/" + split, suffix = "_gtFine_labelIds.png"
            var pairs: [(String, String)] = []
            for city in list(labels) {
                for name in list(labels + "/" + city) where name.hasSuffix(suffix) {
                    let image = "\(directory)/leftImg8bit/\(split)/\(city)/\(name.dropLast(suffix.count))_leftImg8bit.png"
                    if fm.fileExists(atPath: image) { pairs.append((labels + "/" + city + "/" + name, image)) }
                }
            }
            return (pairs.map { (layout: $0.0, image: $0.1) }, "gtFine/\(split)/CITY/*\(suffix) with leftImg8bit/\(split)/CITY/*_leftImg8bit.png")
        case .ade20k:
            let base = isDirectory(directory + "/ADEChallengeData2016") ? directory + "/ADEChallengeData2016" : directory
            return (pairsByStem(labels: base + "/annotations/" + split, images: base + "/images/" + split, list: list),
                    "ADEChallengeData2016/annotations/\(split)/X.png with images/\(split)/X.jpg")
        case .cocoStuff:
            var labels = directory + "/annotations/" + split
            if !isDirectory(labels) { labels = directory + "/stuffthingmaps_trainval2017/" + split }
            return (pairsByStem(labels: labels, images: directory + "/images/" + split, list: list),
                    "annotations/\(split)/X.png with images/\(split)/X.jpg")
        case .paired:
            return ([], "layouts/ and images/")
        }
    }

    /// X.png labels matched with X.jpg / X.jpeg / X.png images.
    static func pairsByStem(labels: String, images: String, list: (String) -> [String]) -> [(layout: String, image: String)] {
        var imageByStem: [String: String] = [:]
        for name in list(images) {
            let ext = (name as NSString).pathExtension.lowercased()
            if ["jpg", "jpeg", "png"].contains(ext) { imageByStem[(name as NSString).deletingPathExtension] = name }
        }
        return list(labels).compactMap { name in
            guard name.hasSuffix(".png"), let image = imageByStem[String(name.dropLast(4))] else { return nil }
            return (labels + "/" + name, images + "/" + image)
        }
    }

    public func pair(_ index: Int) throws -> (labels: LabelMap, image: RGBImage) {
        let (layoutPath, imagePath) = pairs[index]
        let labels = try readLabels(layoutPath)
        let image = try RGBImage.readPNGOrJPEG(path: imagePath)
        guard labels.width == image.width && labels.height == image.height else {
            throw Failure("\(imagePath): image is \(image.width)x\(image.height) but its labels are \(labels.width)x\(labels.height)")
        }
        return (labels, image)
    }

    /// The label ids of a dataset PNG (grey or indexed: the values are ids).
    /// Cityscapes' 'license plate' has id -1, which an 8-bit labelIds PNG holds
    /// as 255: it is read as 0 'unlabeled' (void, as cityscapesScripts treats it).
    func readLabels(_ path: String) throws -> LabelMap {
        let decoded = try PNGCodec.decode(try PNGCodec.readFile(path), mode: .values, path: path)
        var known = [Bool](repeating: false, count: 256)
        for c in palette.classes { known[c.id] = true }
        if let ignore = palette.ignoreID { known[ignore] = true }
        var ids = [UInt8](repeating: 0, count: decoded.values.count)
        for (i, raw) in decoded.values.enumerated() {
            var v = Int(raw)
            if format == .cityscapes && v == 255 { v = 0 }
            guard v <= 255, known[v] else {
                throw Failure("\(path): pixel (\(i % decoded.width), \(i / decoded.width)) has class id \(v), which palette \(palette.name) does not have")
            }
            ids[i] = UInt8(v)
        }
        return LabelMap(width: decoded.width, height: decoded.height, ids: ids)
    }
}
