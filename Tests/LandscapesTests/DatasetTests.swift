import Datasets
import Foundation
import Landscapes
import Layouts
import XCTest

final class DatasetTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "landscapes-test-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testSynthWritesPairsAndManifest() throws {
        let synthesis = DatasetSynthesis(directory: directory, seed: 12, count: 6, width: 48, height: 48, jobs: 2)
        let manifest = try synthesis.run()
        XCTAssertTrue(manifest.complete)
        XCTAssertEqual(manifest.count, 6)
        XCTAssertEqual(manifest.seed, 12)
        XCTAssertEqual(manifest.width, 48)
        XCTAssertEqual(manifest.classes.count, 15)
        XCTAssertEqual(manifest.classes.compactMap(\.pixelShare).reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertEqual(manifest.compositions.values.reduce(0, +), 6)
        XCTAssertEqual(try DatasetManifest.read(directory: directory), manifest)
        var counted = [Int](repeating: 0, count: 256)
        for i in 0..<6 {
            let layout = try LayoutFile.read(path: DatasetPaths.layout(directory, index: i), palette: LandscapeClass.palette)
            let image = try RGBImage.read(path: DatasetPaths.image(directory, index: i))
            XCTAssertEqual(layout.width, 48)
            XCTAssertEqual(image.width, 48)
            // The written pair is the pair of its item seed.
            let expected = LandscapeSynthesizer().pair(seed: synthesis.itemSeed(i), width: 48, height: 48)
            XCTAssertEqual(layout.labels, expected.layout.labels)
            XCTAssertEqual(image.pixels, expected.image.pixels)
            for (c, n) in layout.labels.histogram().enumerated() { counted[c] += n }
        }
        for cls in manifest.classes {
            XCTAssertEqual(try XCTUnwrap(cls.pixelShare), Double(counted[cls.id]) / Double(6 * 48 * 48), accuracy: 1e-9)
        }
    }

    func testRerunKeepsFilesAndResumesMissingOnes() throws {
        let synthesis = DatasetSynthesis(directory: directory, seed: 3, count: 4, width: 32, height: 32, jobs: 2)
        try synthesis.run()
        let path = DatasetPaths.image(directory, index: 2)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let written = WrittenCounter()
        try synthesis.run { _, _, w in written.set(w) }
        XCTAssertEqual(written.value, 0, "a complete dataset is not rewritten")
        try FileManager.default.removeItem(atPath: path)
        try synthesis.run { _, _, w in written.set(w) }
        XCTAssertEqual(written.value, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testOtherOptionsRefuseToMixIntoADataset() throws {
        try DatasetSynthesis(directory: directory, seed: 3, count: 2, width: 32, height: 32).run()
        XCTAssertThrowsError(try DatasetSynthesis(directory: directory, seed: 4, count: 2, width: 32, height: 32).run())
        XCTAssertThrowsError(try DatasetSynthesis(directory: directory, seed: 3, count: 2, width: 64, height: 32).run())
    }

    func testSplitsHaveDisjointSeeds() {
        let train = DatasetSynthesis(directory: directory, seed: 1, count: 200, width: 32, height: 32, split: "train")
        let val = DatasetSynthesis(directory: directory, seed: 1, count: 200, width: 32, height: 32, split: "val")
        let a = Set((0..<200).map(train.itemSeed)), b = Set((0..<200).map(val.itemSeed))
        XCTAssertEqual(a.count, 200)
        XCTAssertTrue(a.isDisjoint(with: b))
    }

    func testContactSheetShowsLayoutBesideImage() throws {
        try DatasetSynthesis(directory: directory, seed: 9, count: 5, width: 40, height: 40).run()
        let sheet = try ContactSheet.make(dataset: PairedDataset(directory: directory), count: 4, columns: 2)
        // 2 columns x 2 rows of (layout | image) tiles of 40 px, with gaps.
        let gap = 2, pairGap = 6
        XCTAssertEqual(sheet.width, 2 * (2 * 40 + gap) + 3 * pairGap)
        XCTAssertEqual(sheet.height, 2 * 40 + 3 * pairGap)
        let layout = try LayoutFile.read(path: DatasetPaths.layout(directory, index: 0), palette: LandscapeClass.palette)
        let image = try RGBImage.read(path: DatasetPaths.image(directory, index: 0))
        XCTAssertEqual(sheet[pairGap + 5, pairGap + 7], layout.colorized()[5, 7])
        XCTAssertEqual(sheet[pairGap + 40 + gap + 5, pairGap + 7], image[5, 7])
    }
}

private final class WrittenCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0
    func set(_ v: Int) { lock.lock(); last = max(last, v); lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return last }
}

final class DatasetReaderTests: XCTestCase {
    func testReaderReturnsTheWrittenPairs() throws {
        let directory = NSTemporaryDirectory() + "landscapes-reader-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let synthesis = DatasetSynthesis(directory: directory, seed: 21, count: 3, width: 32, height: 32, jobs: 1)
        try synthesis.run()
        let reader = try PairedDataset(directory: directory)
        XCTAssertEqual(reader.count, 3)
        XCTAssertEqual(reader.manifest?.seed, 21)
        let expected = LandscapeSynthesizer().pair(seed: synthesis.itemSeed(1), width: 32, height: 32)
        let (layout, image) = try reader.read(1)
        XCTAssertEqual(layout.labels, expected.layout.labels)
        XCTAssertEqual(image.pixels, expected.image.pixels)
    }

    func testReaderRefusesAnUnfinishedDataset() throws {
        let directory = NSTemporaryDirectory() + "landscapes-reader-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DatasetSynthesis(directory: directory, seed: 1, count: 1, width: 32, height: 32).run()
        var manifest = try XCTUnwrap(DatasetManifest.read(directory: directory))
        manifest.complete = false
        try manifest.write(directory: directory)
        XCTAssertThrowsError(try PairedDataset(directory: directory)) { error in
            XCTAssertEqual(error as? DatasetError, .incomplete(directory: directory))
            XCTAssertTrue("\(error)".contains("incomplete"), "\(error)")
        }
    }
}
