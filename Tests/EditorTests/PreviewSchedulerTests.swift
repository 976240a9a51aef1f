import Editor
import Generation
import Layouts
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
        XCTAssertEqual(scheduler.statistics.superseded, 9)
        let result = scheduler.takeResult()
        XCTAssertEqual(result?.requestID, 10)
        XCTAssertEqual(result?.labels, labels, "the newest layout is the one generated")
        XCTAssertNil(scheduler.takeResult(), "a result is taken once")
        XCTAssertNotNil(scheduler.latestResult)
    }

    func testTheNextGenerationWaitsUntilTheResultIsShown() {
        let generator = StubGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, displayGrace: 600)
        defer { scheduler.stop() }
        let first = scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        XCTAssertFalse(scheduler.waitUntilIdle(timeout: 0.3), "held until the first image is on screen")
        scheduler.markShown(through: first - 1)
        XCTAssertFalse(scheduler.waitUntilIdle(timeout: 0.1), "an older image on screen does not count")
        XCTAssertEqual(generator.calls, 1)
        scheduler.markShown(through: first)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(generator.calls, 2)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 2))
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
        let scheduler = PreviewScheduler(generator: BrokenGenerator(), debounce: 0)
        defer { scheduler.stop() }
        scheduler.request(LabelMap(width: 2, height: 2), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 5))
        XCTAssertEqual(scheduler.takeFailure(), "out of paint")
        XCTAssertNil(scheduler.takeResult())
    }

    /// Waits (polling) until the scheduler has started `count` generations.
    private func waitForStart(_ scheduler: PreviewScheduler, count: Int) {
        let deadline = Date().addingTimeInterval(10)
        while scheduler.statistics.started < count && Date() < deadline { usleep(1000) }
    }

    /// One finished generation (so the scheduler knows how long one takes),
    /// then a second one, of a layout of 1s, running.
    private func finishOneAndStartAnother(_ scheduler: PreviewScheduler) {
        scheduler.request(LabelMap(width: 2, height: 2, fill: 0), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        waitForStart(scheduler, count: 2)
    }

    func testANearlyFinishedStaleGenerationIsFinishedAndShown() {
        let generator = StubGenerator(delay: 0.4)
        let scheduler = PreviewScheduler(generator: generator, debounce: 0)
        defer { scheduler.stop() }
        finishOneAndStartAnother(scheduler)
        usleep(300_000)  // past half of a generation (later is fine too)
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        let stats = scheduler.statistics
        XCTAssertEqual(stats.cancelled, 0, "a generation past half-way is finished")
        XCTAssertEqual(stats.completed, 3)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 2))
    }

    func testAWaitingRequestIsReplacedNotQueued() {
        let generator = StubGenerator(delay: 0.3)
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.2)
        defer { scheduler.stop() }
        finishOneAndStartAnother(scheduler)
        // Four edits while that one runs: only the newest waits, the others are dropped.
        for fill in UInt8(2)...5 { scheduler.request(LabelMap(width: 2, height: 2, fill: fill), seed: 1) }
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        let stats = scheduler.statistics
        XCTAssertEqual(stats.superseded, 3, "only the newest of the waiting requests runs")
        XCTAssertEqual(stats.started, 3)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 5))
    }

    /// The class ids of a stub generation tell which layout it was made from.
    private func classes(_ outcome: Result<GeneratedViews, Error>?) -> [Int]? {
        guard case .success(let views)? = outcome else { return nil }
        return views.classOutputs.keys.sorted()
    }

    /// Asks for the views of `labels`, runs `meanwhile`, and waits for the answer.
    private func views(_ scheduler: PreviewScheduler, of labels: LabelMap, seed: UInt64 = 1,
                       meanwhile: () -> Void = {}) -> Result<GeneratedViews, Error>? {
        let got = expectation(description: "views")
        let box = OutcomeBox()
        scheduler.views(of: labels, seed: seed) { box.outcome = $0; got.fulfill() }
        meanwhile()
        wait(for: [got], timeout: 10)
        return box.outcome
    }

    func testViewsOfAnExactLayoutAreNotCancelledByNewerEdits() {
        let generator = StubGenerator(delay: 0.3)
        let scheduler = PreviewScheduler(generator: generator, debounce: 0)
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(first, seed: 1)
        let outcome = views(scheduler, of: first) {
            waitForStart(scheduler, count: 1)
            scheduler.request(second, seed: 1)
        }
        XCTAssertEqual(classes(outcome), [1], "the views are the asked layout's")
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(scheduler.statistics.cancelled, 0)
        XCTAssertEqual(scheduler.takeResult()?.labels, second, "the preview still follows the newest edit")
    }

    func testViewsOfAnOlderLayoutAreGeneratedEvenWhenItsRequestWasReplaced() {
        let generator = StubGenerator(delay: 0.3)
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.5)
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(LabelMap(width: 2, height: 2, fill: 0), seed: 1)
        waitForStart(scheduler, count: 1)
        scheduler.request(first, seed: 1)
        let outcome = views(scheduler, of: first) { scheduler.request(second, seed: 1) }
        XCTAssertEqual(classes(outcome), [1])
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(scheduler.takeResult()?.labels, second)
    }

    func testViewsOfTheShownLayoutNeedNoGeneration() {
        let generator = StubGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0)
        defer { scheduler.stop() }
        let labels = LabelMap(width: 2, height: 2, fill: 3)
        scheduler.request(labels, seed: 7)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(classes(views(scheduler, of: labels, seed: 7)), [3])
        XCTAssertEqual(generator.calls, 1)
    }

    func testViewsAskedOfAStoppedSchedulerAreCancelled() {
        let scheduler = PreviewScheduler(generator: StubGenerator(), debounce: 0)
        scheduler.stop()
        guard case .failure(let error)? = views(scheduler, of: LabelMap(width: 2, height: 2)) else {
            return XCTFail("expected a failure")
        }
        XCTAssertTrue(error is GenerationCancelled)
    }
}

/// Carries a completion's outcome back to the test thread.
final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<GeneratedViews, Error>?
    var outcome: Result<GeneratedViews, Error>? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
