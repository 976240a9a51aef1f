import Datasets
import Foundation
import Layouts
import Support
import XCTest

/// Cityscapes, ADE20K and COCO-Stuff directories as distributed, made small in
/// a temporary directory with the real structure and real PNG/JPEG files.
final class RealDatasetSourcesTests: XCTestCase {
    var root = ""
    let library = try! PaletteLibrary.bundled()

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "real-datasets-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    func open(_ format: DatasetFormat? = nil, split: String? = nil) throws -> PairedDataset {
        try PairedDataset(directory: root, library: library, source: (format ?? DatasetFormat.detect(root)).source(split: split))
    }

    func write(_ data: Data, _ path: String) throws { try RealDatasetFixtures.write(data, path) }

    func greyPNG(_ ids: [UInt8], width: Int, height: Int) throws -> Data {
        try RealDatasetFixtures.grey(ids, width, height)
    }

    func photo(width: Int, height: Int, seed: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for i in 0..<(width * height) {
            image.pixels[3 * i] = UInt8((i * 7 + seed) % 256)
            image.pixels[3 * i + 1] = UInt8((i / width * 9) % 256)
            image.pixels[3 * i + 2] = UInt8(seed * 40 % 256)
        }
        return image
    }

    func testCityscapesPairsAndLicensePlate() throws {
        try RealDatasetFixtures.makeCityscapes(root)
        XCTAssertEqual(DatasetFormat.detect(root), .cityscapes)
        let data = try PairedDataset(directory: root, library: library)   // PairSources.detect finds it too
        XCTAssertEqual(data.count, 3)
        XCTAssertEqual(data.palette.name, "cityscapes")
        let (labels, image) = try data.pair(0)
        XCTAssertEqual([labels.width, labels.height, image.width], [64, 32, 64])
        XCTAssertEqual(labels[0, 0], 23)
        XCTAssertEqual(labels[5, 20], 0, "id 255 (license plate) reads as 0 'unlabeled'")
    }

    func testADE20KReadsJPEGAndSplits() throws {
        let base = root + "/ADEChallengeData2016"
        for (split, name) in [("training", "ADE_train_00000001"), ("validation", "ADE_val_00000001")] {
            var ids = [UInt8](repeating: 3, count: 40 * 24)  // floor
            for i in 0..<40 { ids[i] = 0 }                  // 'other' (the ignore id)
            try write(try greyPNG(ids, width: 40, height: 24), "\(base)/annotations/\(split)/\(name).png")
            try write(try JPEGCodec.encode(photo(width: 40, height: 24, seed: 2)), "\(base)/images/\(split)/\(name).jpg")
        }
        XCTAssertEqual(DatasetFormat.detect(root), .ade20k)
        let train = try open(.ade20k, split: "train"), val = try open(.ade20k, split: "validation")
        XCTAssertEqual([train.count, val.count], [1, 1])
        XCTAssertEqual(train.palette.name, "ade20k")
        let (labels, image) = try train.pair(0)
        XCTAssertEqual([image.width, image.height], [40, 24])
        let original = photo(width: 40, height: 24, seed: 2)
        let meanError = zip(image.pixels, original.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / image.pixels.count
        XCTAssertLessThan(meanError, 12, "the JPEG decodes to (nearly) the photo written")
        XCTAssertEqual(labels[0, 0], 0)
        XCTAssertEqual(labels[5, 5], 3)
    }

    func testCorruptJPEGIsOneLineNamingTheFile() throws {
        let base = root + "/ADEChallengeData2016"
        try write(try greyPNG([UInt8](repeating: 1, count: 16), width: 4, height: 4), "\(base)/annotations/training/a.png")
        var jpeg = try JPEGCodec.encode(photo(width: 4, height: 4, seed: 1))
        jpeg = jpeg.prefix(jpeg.count / 2)
        try write(jpeg, "\(base)/images/training/a.jpg")
        let data = try open()
        XCTAssertThrowsError(try data.pair(0)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("\(base)/images/training/a.jpg: corrupt JPEG"), text)
            XCTAssertFalse(text.contains("\n"))
        }
        XCTAssertThrowsError(try JPEGCodec.decode(Data([0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3]), path: "x.jpg"))
        XCTAssertThrowsError(try JPEGCodec.decode(Data("not a jpeg".utf8), path: "x.jpg")) {
            XCTAssertEqual("\($0)", "x.jpg: corrupt JPEG: not a JPEG file (no start-of-image marker)")
        }
    }

    func testCocoStuffLayoutAndUnknownIdsAreErrors() throws {
        var ids = [UInt8](repeating: 255, count: 16 * 16)   // unlabeled
        for i in 0..<128 { ids[i] = 156 }                   // sky-other
        try write(try greyPNG(ids, width: 16, height: 16), "\(root)/annotations/train2017/000000000009.png")
        try write(try JPEGCodec.encode(photo(width: 16, height: 16, seed: 4)), "\(root)/images/train2017/000000000009.jpg")
        ids[3] = 200                                        // not a COCO-Stuff id
        try write(try greyPNG(ids, width: 16, height: 16), "\(root)/annotations/val2017/000000000001.png")
        try write(try JPEGCodec.encode(photo(width: 16, height: 16, seed: 5)), "\(root)/images/val2017/000000000001.jpg")
        XCTAssertEqual(DatasetFormat.detect(root), .cocoStuff)
        let train = try open()
        XCTAssertEqual(train.palette.name, "coco-stuff")
        XCTAssertEqual(try train.pair(0).labels[0, 0], 156)
        XCTAssertEqual(try train.pair(0).labels[0, 15], 255)
        let val = try open(.cocoStuff, split: "val")
        XCTAssertThrowsError(try val.pair(0)) { error in
            XCTAssertTrue("\(error)".contains("pixel (3, 0) has class id 200"), "\(error)")
        }
    }

    func testEmptySplitIsNamed() throws {
        try FileManager.default.createDirectory(atPath: root + "/gtFine/val", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/leftImg8bit/val", withIntermediateDirectories: true)
        XCTAssertThrowsError(try open()) {
            XCTAssertTrue("\($0)".contains("no layout/image pairs (expected DIR/gtFine/train/CITY/"), "\($0)")
        }
    }
}

/// A Cityscapes directory (64x32, three pairs, one orphan label) for the dataset and training tests.
enum RealDatasetFixtures {
    static func write(_ data: Data, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// An 8-bit grey PNG of label ids.
    static func grey(_ ids: [UInt8], _ w: Int, _ h: Int) throws -> Data {
        try ids.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: w, height: h, format: .grey8) }
    }

    static func makeCityscapes(_ root: String) throws {
        for (city, n) in [("aachen", 2), ("bochum", 1)] {
            for k in 0..<n {
                let stem = "\(city)_00000\(k)_000019"
                var ids = [UInt8](repeating: 7, count: 64 * 32)   // road
                for i in 0..<(64 * 12) { ids[i] = 23 }                // sky
                ids[64 * 20 + 5] = 255                                // license plate (-1 as uint8)
                try write(try grey(ids, 64, 32), "\(root)/gtFine/train/\(city)/\(stem)_gtFine_labelIds.png")
                var image = RGBImage(width: 64, height: 32)
                for i in 0..<(64 * 32) { image.pixels[3 * i] = UInt8((i * 7 + k) % 256); image.pixels[3 * i + 1] = ids[i] }
                try write(try image.pngData(), "\(root)/leftImg8bit/train/\(city)/\(stem)_leftImg8bit.png")
            }
        }
        // A label without its photo is skipped, not an error.
        try write(try grey([0, 0, 0, 0], 2, 2), "\(root)/gtFine/train/bochum/orphan_gtFine_labelIds.png")
    }
}
