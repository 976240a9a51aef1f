import Editor
import Foundation
import Layouts
import XCTest

final class ExportQueueTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "export-queue-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func job(_ scope: ExportJob.Scope, _ labels: LabelMap) -> ExportJob {
        ExportJob(scope: scope, labels: labels, seed: 1, palette: Fixture.palette,
                  exporter: ViewExporter(layoutPath: directory + "/lake.png"))
    }

    func testAnExportWritesTheLayoutAsPaintedAtTheRequestWhileEditsGoOn() throws {
        let generator = SteppedGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        let woke = expectation(description: "onFinish")
        let exports = ExportQueue(onFinish: { woke.fulfill() })
        let painted = Fixture.layout(["0011", "0011"]).labels
        scheduler.request(painted, seed: 1)
        exports.submit(job(.view(.classView, inspectedClass: 1), painted), scheduler: scheduler)
        XCTAssertEqual(exports.pendingCount, 1)
        // The next edits remove class 1: the export must still show it.
        scheduler.request(Fixture.layout(["0022", "0022"]).labels, seed: 1)
        scheduler.request(Fixture.layout(["0033", "0033"]).labels, seed: 1)
        generator.releaseAll()
        XCTAssertTrue(exports.waitUntilIdle(timeout: 20))
        wait(for: [woke], timeout: 5)
        XCTAssertEqual(exports.takeMessages(), ["exported class view to \(directory!)/lake-class-water.png"])
        XCTAssertTrue(exports.takeMessages().isEmpty, "a message is taken once")
        let image = try RGBImage.read(path: directory + "/lake-class-water.png")
        XCTAssertEqual(image.width, 12)
        XCTAssertEqual(image.height, 2)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(scheduler.takeResult()?.labels, Fixture.layout(["0033", "0033"]).labels)
    }

    func testExportsFinishInTheOrderAsked() {
        let generator = SteppedGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        let exports = ExportQueue()
        let first = Fixture.layout(["01"]).labels
        let second = Fixture.layout(["23"]).labels
        scheduler.request(first, seed: 1)
        exports.submit(job(.allViews, first), scheduler: scheduler)
        scheduler.request(second, seed: 1)
        exports.submit(job(.view(.fused, inspectedClass: nil), second), scheduler: scheduler)
        generator.releaseAll()
        XCTAssertTrue(exports.waitUntilIdle(timeout: 20))
        XCTAssertEqual(exports.takeMessages(), [
            "exported 8 views to \(directory!)/lake-*.png",  // 6 views + 2 classes present
            "exported fused view to \(directory!)/lake-fused.png",
        ])
    }

    func testAFailedGenerationIsOneLine() {
        let scheduler = PreviewScheduler(generator: BrokenGenerator(), debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        let exports = ExportQueue()
        exports.submit(job(.allViews, Fixture.layout(["01"]).labels), scheduler: scheduler)
        XCTAssertTrue(exports.waitUntilIdle(timeout: 20))
        let messages = exports.takeMessages()
        XCTAssertEqual(messages.count, 1)
        XCTAssertTrue(messages[0].hasPrefix("export failed: "), messages[0])
        XCTAssertTrue(messages[0].contains("out of paint"), messages[0])
        XCTAssertFalse(messages[0].contains("\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/lake-fused.png"))
    }

    func testAnExportWhoseGeneratorStopsSaysSo() {
        let scheduler = PreviewScheduler(generator: StubGenerator(), debounce: 0, clock: ManualClock())
        scheduler.stop()
        let exports = ExportQueue()
        exports.submit(job(.allViews, Fixture.layout(["01"]).labels), scheduler: scheduler)
        XCTAssertTrue(exports.waitUntilIdle(timeout: 20))
        XCTAssertEqual(exports.takeMessages().first?.hasPrefix("export cancelled"), true)
    }
}
