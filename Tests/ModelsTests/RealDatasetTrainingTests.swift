import Datasets
import Foundation
import Layouts
import Models
import Tensor
@testable import Training
import XCTest

/// What training adds on top of the real dataset sources: non-square crops,
/// the ignore class kept out of Eq. 5, the authors' preset and config files.
final class RealDatasetTrainingTests: XCTestCase {
    func testNonSquareCropsFromACityscapesDirectory() throws {
        let root = NSTemporaryDirectory() + "cs-crops-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        for k in 0..<2 {
            let stem = "aachen_00000\(k)_000019"
            try FileManager.default.createDirectory(atPath: root + "/gtFine/train/aachen", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/leftImg8bit/train/aachen", withIntermediateDirectories: true)
            var ids = [UInt8](repeating: 7, count: 96 * 40)
            for i in 0..<(96 * (10 + k)) { ids[i] = 23 }
            try ids.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: 96, height: 40, format: .grey8) }
                .write(to: URL(fileURLWithPath: "\(root)/gtFine/train/aachen/\(stem)_gtFine_labelIds.png"))
            var image = RGBImage(width: 96, height: 40)
            for i in 0..<(96 * 40) { image.pixels[3 * i] = UInt8(i % 251); image.pixels[3 * i + 2] = ids[i] }
            try image.write(path: "\(root)/leftImg8bit/train/aachen/\(stem)_leftImg8bit.png")
        }
        let data = try PairedDataset(directory: root, library: try PaletteLibrary.bundled())
        XCTAssertEqual(data.palette.name, "cityscapes")
        let batches = BatchPrefetcher(dataset: data, size: 16, width: 32, batch: 2, seed: 3)
        let batch = try batches.make(step: 0)
        XCTAssertEqual(batch.real.shape, [2, 3, 16, 32])
        XCTAssertEqual(batch.input.oneHot.shape, [2, 34, 16, 32])
        XCTAssertEqual(try batches.make(step: 0).real.values, batch.real.values, "a step's batch is reproducible")
        XCTAssertNotEqual(try batches.make(step: 1).real.values, batch.real.values)
        var rng = RandomGenerator(seed: 9)
        let (labels, _) = try data.pair(0)
        for _ in 0..<20 {
            let (l, i) = TrainingAugmentation.crop(labels: labels, image: try data.pair(0).image, width: 32, height: 16, using: &rng)
            XCTAssertEqual([l.width, l.height, i.width, i.height], [32, 16, 32, 16])
        }
    }

    func testIgnoreClassIsAnInputButNotLearnedByEq5() throws {
        let palette = try PaletteLibrary.bundled().named("ade20k")
        let ignore = try XCTUnwrap(palette.ignoreID.flatMap { palette.position(ofID: $0) })
        let logits = Tensor(shape: [2, 151], values: (0..<302).map { Float($0 % 7) * 0.1 })
        let all = LGGANLosses.classification(logits: logits, pairs: [(0, ignore), (0, 3)], batch: 1)
        let skipping = LGGANLosses.classification(logits: logits, pairs: [(0, ignore), (0, 3)], batch: 1, ignoring: ignore)
        let only = LGGANLosses.classification(logits: logits.slice(axis: 0, 1..<2), pairs: [(0, 3)], batch: 1)
        XCTAssertEqual(skipping.scalar, only.scalar, accuracy: 1e-6)
        XCTAssertNotEqual(all.scalar, skipping.scalar)
    }

    func testAuthorsPresetAndConfigFile() throws {
        let authors = LGGANPreset.authors.config(classCount: 34)
        XCTAssertEqual([authors.baseWidth, authors.localResBlocks, authors.classKernel, authors.discriminatorWidth], [64, 9, 7, 64])
        let path = NSTemporaryDirectory() + "lggan-config-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"baseWidth": 12, "localFusion": "sum"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let c = try LGGANConfig.read(path: path, classCount: 34)
        XCTAssertEqual([c.baseWidth, c.classCount], [12, 34])
        XCTAssertEqual(c.localFusion, .sum)
        try Data(#"{"classCount": 5}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LGGANConfig.read(path: path, classCount: 34)) { XCTAssertTrue("\($0)".contains("5 classes")) }
    }
}
