import Datasets
import Foundation
import Layouts
import Support
import XCTest

/// The one dataset reader: pair listing, manifest parsing, the `complete: false`
/// policy and the palette order, on real files in a temporary directory.
final class PairedDatasetTests: XCTestCase {
    var directory = ""
    let two = try! Palette(name: "two", classes: [PaletteClass(id: 0, name: "sky", color: RGBColor(110, 170, 235)),
                                                  PaletteClass(id: 1, name: "grass", color: RGBColor(105, 190, 70))])

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "datasets-test-\(UUID().uuidString)"
        try AtomicFile.ensureDirectory(directory + "/layouts")
        try AtomicFile.ensureDirectory(directory + "/images")
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Pair `index`: a 4x3 layout whose left half is class 0 and right half class 1, and a matching image.
    func writePair(_ index: Int, image: Bool = true, imageWidth: Int = 4) throws {
        var labels = LabelMap(width: 4, height: 3)
        for y in 0..<3 { for x in 2..<4 { labels[x, y] = 1 } }
        try LayoutFile.write(Layout(labels: labels, palette: two), to: DatasetPaths.layout(directory, index: index))
        if image {
            try RGBImage(width: imageWidth, height: 3, fill: RGBColor(UInt8(index), 0, 0)).write(path: DatasetPaths.image(directory, index: index))
        }
    }

    func writeManifest(_ json: String) throws {
        try AtomicFile.write(Data(json.utf8), to: directory + "/" + DatasetManifest.fileName)
    }

    func testPairsAreSortedAndUnpairedLayoutsSkipped() throws {
        try writePair(2)
        try writePair(0)
        try writePair(1, image: false)
        let dataset = try PairedDataset(directory: directory, library: PaletteLibrary(palettes: [two]))
        XCTAssertEqual(dataset.names, ["000000.png", "000002.png"])
        XCTAssertNil(dataset.manifest)
        XCTAssertEqual(dataset.palette, two, "without a manifest the palette is the one the first layout names")
        let (labels, image) = try dataset.pair(1)
        XCTAssertEqual(labels[3, 2], 1)
        XCTAssertEqual(image[0, 0], RGBColor(2, 0, 0))
    }

    func testIncompleteManifestIsRefusedWithTheOneMessage() throws {
        try writePair(0)
        try writeManifest(#"{"complete": false}"#)
        XCTAssertThrowsError(try PairedDataset(directory: directory, palette: two)) { error in
            XCTAssertEqual(error as? DatasetError, .incomplete(directory: directory))
            XCTAssertEqual("\(error)", "\(directory): manifest.json says the dataset is incomplete (synthesis still running or stopped): "
                + "run the same `scenepaint dataset synth` again to finish it")
        }
        try writeManifest(#"{"complete": true}"#)
        XCTAssertEqual(try PairedDataset(directory: directory, palette: two).count, 1)
    }

    func testPartialManifestsParseAndAbsentFieldsDefault() throws {
        try writePair(0)
        try writeManifest(#"{"palette": "made-up", "classes": [{"id": 0, "name": "a", "color": [1, 2, 3]}, {"id": 1, "name": "b", "color": [4, 5, 6]}]}"#)
        let dataset = try PairedDataset(directory: directory)
        let manifest = try XCTUnwrap(dataset.manifest)
        XCTAssertTrue(manifest.complete)
        XCTAssertNil(manifest.seed)
        XCTAssertEqual(manifest.compositions, [:])
        // The manifest's palette comes before the file's: built from its class list when the library lacks it.
        XCTAssertEqual(dataset.palette.name, "made-up")
        XCTAssertEqual(dataset.palette.classes.map(\.color), [RGBColor(1, 2, 3), RGBColor(4, 5, 6)])
        // A library palette of that name wins over the class list; an explicit one over both.
        let library = PaletteLibrary(palettes: [try Palette(name: "made-up", classes: two.classes)])
        XCTAssertEqual(try PairedDataset(directory: directory, library: library).palette.classes, two.classes)
        let other = try Palette(name: "other", classes: [PaletteClass(id: 0, name: "x", color: RGBColor(0, 0, 0)),
                                                         PaletteClass(id: 1, name: "y", color: RGBColor(9, 9, 9))])
        XCTAssertEqual(try PairedDataset(directory: directory, palette: other, library: library).palette, other)
    }

    func testBrokenManifestNamesTheFileAndTheKey() throws {
        try writePair(0)
        try writeManifest(#"{"complete": "yes"}"#)
        XCTAssertThrowsError(try PairedDataset(directory: directory)) { error in
            guard case .unreadableManifest(let path, let detail)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, directory + "/manifest.json")
            XCTAssertTrue(detail.contains("complete"), detail)
        }
    }

    func testMissingDirectoryNoPairsAndSizeMismatchAreTypedErrors() throws {
        let empty = directory + "/nothing"
        XCTAssertThrowsError(try PairedDataset(directory: empty)) { error in
            guard case .missingDirectory(let dir, let sub, _)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual([dir, sub], [empty, "layouts"])
        }
        XCTAssertThrowsError(try PairedDataset(directory: directory)) { error in
            guard case .noPairs(let dir, _)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(dir, directory)
        }
        try writePair(0, imageWidth: 5)
        let dataset = try PairedDataset(directory: directory, palette: two)
        XCTAssertThrowsError(try dataset.read(0)) { error in
            XCTAssertEqual("\(error)", "\(DatasetPaths.image(directory, index: 0)): image is 5x3 but its layout is 4x3")
        }
    }

    func testManifestWrittenBySynthesisRoundTrips() throws {
        let manifest = DatasetManifest(palette: "landscape", seed: 7, split: "val", count: 1, width: 4, height: 3, supersampling: 3,
                                       complete: true, classes: [.init(id: 0, name: "sky", color: RGBColor(1, 2, 3), pixelShare: 0.5, imageShare: 1)],
                                       compositions: ["lake": 1])
        try manifest.write(directory: directory)
        XCTAssertEqual(try DatasetManifest.read(directory: directory), manifest)
        let text = try String(contentsOfFile: directory + "/manifest.json", encoding: .utf8)
        XCTAssertTrue(text.contains("\"format\" : \"scenepaint-landscapes\""), text)
    }

    func testSourceDetection() throws {
        XCTAssertTrue(PairSources.detect(directory) is LayoutsImagesSource)
        XCTAssertFalse(LayoutsImagesSource().recognizes(directory + "/nothing"))
    }
}
