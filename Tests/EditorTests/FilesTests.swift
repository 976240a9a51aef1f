import Editor
import Foundation
import Layouts
import XCTest

final class FilesTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "editor-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testExportNames() {
        XCTAssertEqual(ExportNaming.baseName(layoutPath: "/a/b/lake.png"), "lake")
        XCTAssertEqual(ExportNaming.baseName(layoutPath: nil), "untitled")
        XCTAssertEqual(ExportNaming.directory(layoutPath: "/a/b/lake.png"), "/a/b")
        XCTAssertEqual(ExportNaming.directory(layoutPath: "lake.png", workingDirectory: "/w"), "/w")
        XCTAssertEqual(ExportNaming.fileName(base: "lake", view: .fused), "lake-fused.png")
        XCTAssertEqual(ExportNaming.fileName(base: "lake", view: .localWeight), "lake-weight-local.png")
        XCTAssertEqual(ExportNaming.fileName(base: "lake", view: .classView, className: "Traffic Light"), "lake-class-traffic-light.png")
        XCTAssertEqual(ExportNaming.fileName(base: "lake", view: .sideBySide), "lake-side-by-side.png")
    }

    func testExportAllWritesEveryViewAndEachClassWithTheRightSizes() throws {
        let layout = Fixture.layout(["0011", "0011", "2222"])
        let views = try StubGenerator().generate(layout.labels, seed: 1, shouldCancel: { false })
        let exporter = ViewExporter(layoutPath: directory + "/lake.png")
        let paths = try exporter.exportAll(views: views, labels: layout.labels, palette: layout.palette)
        let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        XCTAssertEqual(names, ["lake-fused.png", "lake-global.png", "lake-local.png", "lake-weight-global.png",
                               "lake-weight-local.png", "lake-side-by-side.png",
                               "lake-class-sky.png", "lake-class-water.png", "lake-class-grass.png"])
        let fused = try RGBImage.read(path: directory + "/lake-fused.png")
        XCTAssertEqual(fused.width, 4); XCTAssertEqual(fused.height, 3)
        XCTAssertEqual(try RGBImage.read(path: directory + "/lake-side-by-side.png").width, 8)
        XCTAssertEqual(try RGBImage.read(path: directory + "/lake-class-water.png").width, 12)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testRecoveryRoundTripPerFileAndDiscard() throws {
        let store = RecoveryStore(directory: directory + "/recovery")
        let layout = Fixture.layout(["0123", "3210"])
        XCTAssertNil(store.entry(for: "/some/lake.png"))
        try store.save(layout, for: "/some/lake.png", now: Date(timeIntervalSince1970: 1_700_000_000))
        try store.save(Fixture.blank(2, 2), for: nil)
        let entry = try XCTUnwrap(store.entry(for: "/some/lake.png"))
        XCTAssertEqual(entry.layoutPath, "/some/lake.png")
        XCTAssertEqual(entry.paletteName, "test")
        XCTAssertEqual(entry.savedAt, Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(try store.load(entry, palette: Fixture.palette), layout)
        XCTAssertNil(store.entry(for: "/other/lake.png"), "same name in another folder is another recovery")
        XCTAssertNotNil(store.entry(for: nil))
        store.discard(for: "/some/lake.png")
        XCTAssertNil(store.entry(for: "/some/lake.png"))
        XCTAssertNotNil(store.entry(for: nil))
        XCTAssertEqual(RecoveryStore.standard(environment: ["SCENEPAINT_RECOVERY_DIR": "/r"]).directory, "/r")
        XCTAssertEqual(RecoveryStore.standard(environment: ["HOME": "/h"]).directory, "/h/.local/state/scenepaint/recovery")
    }

}
