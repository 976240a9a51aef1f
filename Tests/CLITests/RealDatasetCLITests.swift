import Foundation
import Layouts
import XCTest

/// `train lggan` on a Cityscapes directory (real structure, small files made
/// here) with non-square crops, then `generate` with the model it wrote.
final class RealDatasetCLITests: XCTestCase {
    func greyPNG(_ ids: [UInt8], width: Int, height: Int, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let data = try ids.withUnsafeBytes { try PNGCodec.encode(pixels: $0, width: width, height: height, format: .grey8) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    func testTrainsOnCityscapesDirectoryAndGenerates() throws {
        let root = NSTemporaryDirectory() + "cli-cityscapes-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (w, h) = (64, 32)
        for k in 0..<2 {
            let stem = "aachen_00000\(k)_000019"
            var ids = [UInt8](repeating: 7, count: w * h)
            for i in 0..<(w * (10 + 2 * k)) { ids[i] = 23 }
            try greyPNG(ids, width: w, height: h, to: "\(root)/data/gtFine/train/aachen/\(stem)_gtFine_labelIds.png")
            var photo = RGBImage(width: w, height: h)
            for i in 0..<(w * h) { photo.pixels[3 * i] = ids[i] == 23 ? 200 : 90; photo.pixels[3 * i + 2] = UInt8(i % 200) }
            try FileManager.default.createDirectory(atPath: "\(root)/data/leftImg8bit/train/aachen", withIntermediateDirectories: true)
            try photo.write(path: "\(root)/data/leftImg8bit/train/aachen/\(stem)_leftImg8bit.png")
        }
        let cli = CLIRunner()
        let train = try cli.run(["train", "lggan", "--data", root + "/data", "--out", root + "/run", "--preset", "tiny",
                                 "--size", "32x16", "--batch", "1", "--steps", "2", "--log-every", "1",
                                 "--checkpoint-every", "1000", "--sample-every", "1000", "--threads", "1"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("palette cityscapes (34 classes)"), train.stderr)
        XCTAssertTrue(train.stderr.contains("crops 32x16"), train.stderr)
        var layout = [UInt8](repeating: 7, count: 40 * 20)
        for i in 0..<(40 * 8) { layout[i] = 23 }
        try greyPNG(layout, width: 40, height: 20, to: root + "/layout.png")
        let generate = try cli.run(["generate", root + "/layout.png", "--model", root + "/run/model.safetensors",
                                    "-o", root + "/fused.png"])
        XCTAssertEqual(generate.status, 0, generate.stderr)
        let image = try RGBImage.read(path: root + "/fused.png")
        XCTAssertEqual([image.width, image.height], [40, 20])

        let wrongFormat = try cli.run(["train", "lggan", "--data", root + "/data", "--out", root + "/run2", "--format", "ade20k"])
        XCTAssertEqual(wrongFormat.status, 1)
        XCTAssertTrue(wrongFormat.stderr.contains("no layout/image pairs (expected DIR/ADEChallengeData2016"), wrongFormat.stderr)
        XCTAssertEqual(wrongFormat.stderr.split(separator: "\n").count, 1, wrongFormat.stderr)
        let badSize = try cli.run(["train", "lggan", "--data", root + "/data", "--out", root + "/run3", "--size", "36x16"])
        XCTAssertNotEqual(badSize.status, 0)
        XCTAssertTrue(badSize.stderr.contains("multiples of 8"), badSize.stderr)
    }
}
