import Editor
import Generation
import Layouts
import XCTest

/// The scheduler runs on a ManualClock and a SteppedGenerator: every wait
/// and every generation time is set by the test, nothing sleeps.
final class PreviewSchedulerTests: XCTestCase {
    func testABurstOfRequestsIsDebouncedIntoOneGeneration() {
        let generator = StubGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.2, clock: clock)
        defer { scheduler.stop() }
        var labels = LabelMap(width: 4, height: 4)
        for i in 0..<10 {
            labels.ids[i] = 1
            scheduler.request(labels, seed: 1)
        }
        XCTAssertEqual(clock.sleeperDeadline(), 0.2, "the worker waits out the debounce")
        XCTAssertEqual(generator.calls, 0)
        clock.advance(by: 0.2)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(generator.calls, 1)
        XCTAssertEqual(scheduler.statistics.superseded, 9)
        let result = scheduler.takeResult()
        XCTAssertEqual(result?.requestID, 10)
        XCTAssertEqual(result?.labels, labels, "the newest layout is the one generated")
        XCTAssertEqual(result?.requestedAt, 0)
        XCTAssertEqual(result?.startedAt, 0.2)
        XCTAssertNil(scheduler.takeResult(), "a result is taken once")
        XCTAssertNotNil(scheduler.latestResult)
    }

    func testTheNextGenerationWaitsUntilTheResultIsShown() {
        let generator = StubGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, displayGrace: 600, clock: clock)
        defer { scheduler.stop() }
        let first = scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        XCTAssertEqual(clock.sleeperDeadline(), 600, "held until the first image is on screen, or the grace ends")
        scheduler.markShown(through: first - 1)
        XCTAssertEqual(clock.sleeperDeadline(), 600, "an older image on screen does not count")
        XCTAssertEqual(generator.calls, 1)
        scheduler.markShown(through: first)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(generator.calls, 2)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 2))
    }

    func testTheDisplayGraceEndsEvenWhenTheImageIsNeverShown() {
        let generator = StubGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, displayGrace: 0.15, clock: clock)
        defer { scheduler.stop() }
        scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        XCTAssertEqual(clock.sleeperDeadline(), 0.15)
        clock.advance(by: 0.15)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(generator.calls, 2)
    }

    func testAStaleRunningGenerationIsCancelled() {
        let generator = SteppedGenerator()
        let woke = expectation(description: "onUpdate")
        woke.assertForOverFulfill = false
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock(), onUpdate: { woke.fulfill() })
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(first, seed: 1)
        generator.waitForStart(1)
        // The generation is held inside the generator: the request must not wait for it.
        scheduler.request(second, seed: 1)
        generator.release()
        generator.waitForStart(2)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        wait(for: [woke], timeout: 5)
        let stats = scheduler.statistics
        XCTAssertEqual(stats.cancelled, 1)
        XCTAssertEqual(stats.completed, 1)
        XCTAssertEqual(scheduler.takeResult()?.labels, second)
    }

    func testFailuresAreReported() {
        let scheduler = PreviewScheduler(generator: BrokenGenerator(), debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        scheduler.request(LabelMap(width: 2, height: 2), seed: 1)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 5))
        XCTAssertEqual(scheduler.takeFailure(), "out of paint")
        XCTAssertNil(scheduler.takeResult())
    }

    /// One finished generation that took 0.4 s (so the scheduler knows how
    /// long one takes), then a second one, of a layout of 1s, running.
    private func finishOneAndStartAnother(_ scheduler: PreviewScheduler, _ generator: SteppedGenerator, _ clock: ManualClock,
                                          debounce: Double) {
        scheduler.request(LabelMap(width: 2, height: 2, fill: 0), seed: 1)
        clock.advance(by: debounce)
        generator.waitForStart(1)
        clock.advance(by: 0.4)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        clock.advance(by: debounce)
        generator.waitForStart(2)
    }

    func testANearlyFinishedStaleGenerationIsFinishedAndShown() {
        let generator = SteppedGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: clock)
        defer { scheduler.stop() }
        finishOneAndStartAnother(scheduler, generator, clock, debounce: 0)
        clock.advance(by: 0.3)  // past half of a generation
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        generator.release()
        generator.waitForStart(3)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        let stats = scheduler.statistics
        XCTAssertEqual(stats.cancelled, 0, "a generation past half-way is finished")
        XCTAssertEqual(stats.completed, 3)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 2))
    }

    func testAStaleGenerationBeforeHalfWayIsCancelled() {
        let generator = SteppedGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: clock)
        defer { scheduler.stop() }
        finishOneAndStartAnother(scheduler, generator, clock, debounce: 0)
        clock.advance(by: 0.1)  // a quarter of a generation
        scheduler.request(LabelMap(width: 2, height: 2, fill: 2), seed: 1)
        generator.release()
        generator.waitForStart(3)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        let stats = scheduler.statistics
        XCTAssertEqual(stats.cancelled, 1)
        XCTAssertEqual(stats.completed, 2)
        XCTAssertEqual(scheduler.takeResult()?.labels, LabelMap(width: 2, height: 2, fill: 2))
    }

    func testAWaitingRequestIsReplacedNotQueued() {
        let generator = SteppedGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.2, clock: clock)
        defer { scheduler.stop() }
        finishOneAndStartAnother(scheduler, generator, clock, debounce: 0.2)
        // Four edits while that one runs: only the newest waits, the others are dropped.
        for fill in UInt8(2)...5 { scheduler.request(LabelMap(width: 2, height: 2, fill: fill), seed: 1) }
        generator.release()
        clock.advance(by: 0.2)
        generator.waitForStart(3)
        generator.release()
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
        let generator = SteppedGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(first, seed: 1)
        let outcome = views(scheduler, of: first) {
            generator.waitForStart(1)
            scheduler.request(second, seed: 1)
            generator.release()
        }
        XCTAssertEqual(classes(outcome), [1], "the views are the asked layout's")
        generator.waitForStart(2)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(scheduler.statistics.cancelled, 0)
        XCTAssertEqual(scheduler.takeResult()?.labels, second, "the preview still follows the newest edit")
    }

    func testViewsOfAnOlderLayoutAreGeneratedEvenWhenItsRequestWasReplaced() {
        let generator = SteppedGenerator()
        let clock = ManualClock()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0.5, clock: clock)
        defer { scheduler.stop() }
        let first = LabelMap(width: 2, height: 2, fill: 1)
        let second = LabelMap(width: 2, height: 2, fill: 2)
        scheduler.request(LabelMap(width: 2, height: 2, fill: 0), seed: 1)
        clock.advance(by: 0.5)
        generator.waitForStart(1)
        scheduler.request(first, seed: 1)
        let outcome = views(scheduler, of: first) {
            scheduler.request(second, seed: 1)
            generator.release()  // the stale fill-0 generation is cancelled
            generator.waitForStart(2)  // the views of `first` start at once, without the debounce
            generator.release()
        }
        XCTAssertEqual(classes(outcome), [1])
        clock.advance(by: 0.5)
        generator.waitForStart(3)
        generator.release()
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(scheduler.takeResult()?.labels, second)
        XCTAssertEqual(scheduler.statistics.cancelled, 1)
    }

    func testViewsOfTheShownLayoutNeedNoGeneration() {
        let generator = StubGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock())
        defer { scheduler.stop() }
        let labels = LabelMap(width: 2, height: 2, fill: 3)
        scheduler.request(labels, seed: 7)
        XCTAssertTrue(scheduler.waitUntilIdle(timeout: 10))
        XCTAssertEqual(classes(views(scheduler, of: labels, seed: 7)), [3])
        XCTAssertEqual(generator.calls, 1)
    }

    /// The editor keeps a replaced scheduler until this turns false, and exit
    /// waits for it: a worker left inside the numeric libraries crashed exit.
    func testAStoppedSchedulerIsGeneratingUntilItsGeneratorReturns() {
        let generator = SteppedGenerator()
        let scheduler = PreviewScheduler(generator: generator, debounce: 0, clock: ManualClock())
        XCTAssertFalse(scheduler.isGenerating)
        scheduler.request(LabelMap(width: 2, height: 2, fill: 1), seed: 1)
        generator.waitForStart(1)
        scheduler.stop()
        XCTAssertTrue(scheduler.isGenerating, "stop() does not end a generation that is still inside the generator")
        XCTAssertFalse(scheduler.stopAndWait(timeout: 0.05))
        generator.release()
        XCTAssertTrue(scheduler.stopAndWait(timeout: 10))
        XCTAssertFalse(scheduler.isGenerating)
    }

    func testViewsAskedOfAStoppedSchedulerAreCancelled() {
        let scheduler = PreviewScheduler(generator: StubGenerator(), debounce: 0, clock: ManualClock())
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
