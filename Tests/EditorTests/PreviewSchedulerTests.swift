import Editor
import Layouts
import Models
import XCTest

final class PreviewSchedulerTests: XCTestCase {
    func testABurstOfRequestsIsDebouncedIntoOneGeneration() {
        let generator = StubGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.2)
        defer { scheduler.stop() }
        var labels = LabelMap(width: 4, height: 4)
        for i in 0..<10 {
            labels.ids[i] = 1
            scheduler.request(labels, seed: 1)
        }
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(generator.calls, 1)
        let result = scheduler.takeResult()
        XCTAssertEqual(result?.requestID, 10)
        XCTAssertEqual(result?.labels, labels, "the newest layout is the one generated")
        XCTAssertNil(scheduler.takeResult(), "a result is taken once")
        XCTAssertNotNil(scheduler.latestResult)
    }

    func testAStaleRunningGenerationIsCancelled() {
        let generator = StubGenerator(delay: 0.5)
        let woke = expectation(description: "onUpdate")
        woke.assertForOverFulfill = false
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, onUpdate: { woke.fulfill() })
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(first, seed: 1)
        let deadline = Date().addingTimeInterval(5)
        while scheduler.statistics.started == 0 && Date() < deadline { usleep(1000) }
        let start = Date()
        scheduler.request(second, seed: 1)
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.1, "requests never wait for the generator")
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        wait(for: [woke], timeout: 5)
        let stats = scheduler.statistics
        XCTAssertEqual(stats.cancelled, 1)
        XCTAssertEqual(stats.completed, 1)
        XCTAssertEqual(scheduler.takeResult()?.labels, second)
    }

    func testFailuresAreReported() {
        struct OutOfPaint: Error, CustomStringConvertible { var description: String { "out of paint" } }
        struct Broken: SceneGenerator {
            let palette = Fixture.palette
            var hasNoiseInput: Bool { false }
            func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
                throw OutOfPaint()
            }
        }
        let scheduler = PreviewScheduler(generator: Broken(), debounce: 0)
        defer { scheduler.stop() }
        scheduler.request(LabelMap(width: 2, height: 2), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 5))
        XCTAssertEqual(scheduler.takeFailure(), "out of paint")
        XCTAssertNil(scheduler.takeResult())
    }
}
