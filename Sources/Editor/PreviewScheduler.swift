import Foundation
import Generation
import Layouts

/// One finished generation and what it was made from.
public struct PreviewResult: Sendable {
    public let requestID: Int
    public let labels: LabelMap
    public let seed: UInt64
    public let views: GeneratedViews
    /// The scheduler's clock (systemUptime in the editor) when the request was made, when its generation started
    /// (after the debounce and any generation it waited behind) and when the
    /// result was ready.
    public let requestedAt: Double
    public let startedAt: Double
    public let finishedAt: Double
}

/// Runs the generator on a background thread so the UI never waits for it.
///
/// - At most one request waits: a new one replaces it, and it starts
///   `debounce` after it was made (a burst of edits, a drag, yields one
///   generation; measured, starting at once was slower: the generation then
///   takes the CPU the UI and the terminal need to show the edit itself).
/// - A running generation whose request has been superseded is cancelled
///   through the generator's `shouldCancel` poll, but only while less than
///   half of a typical generation has run: a generation that is nearly done
///   is finished and shown (it is closer to the layout than the old image,
///   and while painting without pause the preview keeps moving instead of
///   being cancelled again and again).
/// - `views(of:seed:completion:)` asks for the views of one exact layout
///   (exports): served from the newest result when it matches, else by a
///   generation that newer edits do not cancel.
///
/// - With `displayGrace` > 0, the next generation waits (at most that long)
///   until the UI calls `markShown(through:)`: on two shared cores the generator's
///   threads otherwise take the CPU the UI and the terminal need to put the
///   finished image on screen.
///
/// Results are picked up with `takeResult()`; `onUpdate` (called on the
/// worker thread) lets the UI wake.
public final class PreviewScheduler: @unchecked Sendable {
    public struct Statistics: Equatable, Sendable {
        public var started = 0
        public var completed = 0
        public var cancelled = 0
        public var failed = 0
        /// Requests replaced by a newer one before they started.
        public var superseded = 0
    }

    public typealias ViewsCompletion = @Sendable (Result<GeneratedViews, Error>) -> Void

    private struct Job {
        /// nil for a generation that only serves `views(of:)` callers.
        var id: Int?
        var labels: LabelMap
        var seed: UInt64
        var at: Double
        /// When it may start (after the debounce).
        var due: Double

        func matches(_ labels: LabelMap, _ seed: UInt64) -> Bool { self.seed == seed && self.labels == labels }
    }

    private struct ViewsWaiter {
        var labels: LabelMap
        var seed: UInt64
        var completion: ViewsCompletion
    }

    private let generator: SceneGenerator
    private let clock: SchedulerClock
    private let debounce: Double
    private let displayGrace: Double
    private let lateCancelFraction: Double
    private let onUpdate: @Sendable () -> Void
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: Job?
    private var latestID = 0
    /// Set while the UI has not yet shown the newest result: no generation starts before it.
    private var displayDeadline: Double?
    private var running: (job: Job, startedAt: Double)?
    private var waiters: [ViewsWaiter] = []
    private var result: PreviewResult?
    private var resultIsNew = false
    private var failure: String?
    private var stopped = false
    private var stats = Statistics()
    /// Wall times of the last finished generations (seconds), newest last.
    private var recentSeconds: [Double] = []
    /// The median of `recentSeconds` (robust to the slow first run); nil before the first.
    private var typicalSeconds: Double? {
        recentSeconds.isEmpty ? nil : recentSeconds.sorted()[recentSeconds.count / 2]
    }

    /// `debounce`: how long the scheduler waits after the latest request
    /// before starting. `displayGrace`: how long a finished
    /// result may hold the next generation back until `markShown(through:)` (0: not at
    /// all). Both in seconds. `lateCancelFraction`: a stale generation is
    /// cancelled only before this share of the typical generation time has
    /// run (`.infinity`: always). `clock`: the time all of these are measured on.
    public init(generator: SceneGenerator, debounce: Double = 0.025, displayGrace: Double = 0,
                lateCancelFraction: Double = 0.5, clock: SchedulerClock = UptimeClock(),
                onUpdate: @escaping @Sendable () -> Void = {}) {
        self.generator = generator
        self.clock = clock
        self.debounce = debounce
        self.displayGrace = displayGrace
        self.lateCancelFraction = lateCancelFraction
        self.onUpdate = onUpdate
        // The worker holds the scheduler until `stop()` ends it, so it never
        // outlives what it reads (a scheduler stopped before its thread ran).
        let thread = Thread { self.work() }
        thread.name = "scenepaint.preview"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Asks for a generation of `labels`; returns at once with the request id.
    @discardableResult
    public func request(_ labels: LabelMap, seed: UInt64) -> Int {
        condition.lock()
        defer { condition.unlock() }
        latestID += 1
        if pending != nil { stats.superseded += 1 }
        let now = clock.now()
        pending = Job(id: latestID, labels: labels, seed: seed, at: now, due: now + debounce)
        condition.broadcast()
        return latestID
    }

    /// The UI has put the result of `requestID` on screen (or will not show
    /// it): once that is the newest result, the next generation may start.
    public func markShown(through requestID: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard displayDeadline != nil, let result, result.requestID <= requestID else { return }
        displayDeadline = nil
        condition.broadcast()
    }

    /// Calls `completion` (on a background thread) with the views of exactly
    /// this layout and seed: at once from the newest result when it matches,
    /// else after a generation that newer requests do not cancel. Returns at
    /// once. After `stop()` the completion gets `GenerationCancelled`.
    public func views(of labels: LabelMap, seed: UInt64, completion: @escaping ViewsCompletion) {
        condition.lock()
        defer { condition.unlock() }
        if stopped {
            DispatchQueue.global().async { completion(.failure(GenerationCancelled())) }
            return
        }
        if let result, result.seed == seed, result.labels == labels {
            let views = result.views
            DispatchQueue.global().async { completion(.success(views)) }
            return
        }
        waiters.append(ViewsWaiter(labels: labels, seed: seed, completion: completion))
        condition.broadcast()
    }

    /// The newest result not yet taken, if any.
    public func takeResult() -> PreviewResult? {
        condition.lock()
        defer { condition.unlock() }
        guard resultIsNew else { return nil }
        resultIsNew = false
        return result
    }

    /// The newest result, taken or not.
    public var latestResult: PreviewResult? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// The last generation error, cleared when read.
    public func takeFailure() -> String? {
        condition.lock()
        defer { condition.unlock() }
        let f = failure
        failure = nil
        return f
    }

    /// True while a request or a `views(of:)` caller is waiting, or a generation runs.
    public var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return pending != nil || running != nil || !waiters.isEmpty
    }

    /// True while the worker is inside the generator (after `stop()`, until
    /// the generation sees the cancellation and returns).
    public var isGenerating: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running != nil
    }

    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return stats
    }

    /// Blocks until nothing is waiting or running (tests, benchmarks).
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while pending != nil || running != nil || !waiters.isEmpty {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Ends the worker (call it when done: until then the worker keeps the
    /// scheduler alive); a running generation is cancelled, `views(of:)`
    /// callers still waiting get `GenerationCancelled`.
    public func stop() {
        condition.lock()
        stopped = true
        latestID += 1
        let left = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for w in left { w.completion(.failure(GenerationCancelled())) }
    }

    /// `stop()`, then waits (up to `timeout` seconds) for a generation in
    /// flight to see the cancellation and return, so the editor does not exit
    /// (or drop this scheduler) under a thread still inside the numeric
    /// libraries: quitting right after a style switch crashed in exit.
    @discardableResult
    public func stopAndWait(timeout: Double) -> Bool {
        stop()
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while running != nil {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Polled by the generator between its stages.
    private func shouldCancel(_ job: Job, startedAt: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopped { return true }
        guard let id = job.id, id != latestID else { return false }
        if waiters.contains(where: { job.matches($0.labels, $0.seed) }) { return false }
        guard let typical = typicalSeconds, lateCancelFraction.isFinite else { return true }
        return clock.now() - startedAt < typical * lateCancelFraction
    }

    /// The next job to run, or nil when the worker should wait (until
    /// `wakeAt`, if set). Called with the lock held.
    private func nextJob(now: Double) -> (job: Job?, wakeAt: Double?) {
        // A views caller whose layout is not the waiting request's runs first:
        // it was asked for before the newer edit.
        if let w = waiters.first, !(pending?.matches(w.labels, w.seed) ?? false) {
            return (Job(id: nil, labels: w.labels, seed: w.seed, at: now, due: now), nil)
        }
        guard let job = pending else { return (nil, nil) }
        let wanted = waiters.contains { job.matches($0.labels, $0.seed) }
        var due = wanted ? now : job.due
        if let shownBy = displayDeadline {
            if now >= shownBy { displayDeadline = nil } else { due = max(due, shownBy) }
        }
        if now < due { return (nil, due) }
        pending = nil
        return (job, nil)
    }

    /// Removes and returns the waiters served by views of this layout.
    private func takeWaiters(matching labels: LabelMap, seed: UInt64) -> [ViewsWaiter] {
        let served = waiters.filter { $0.seed == seed && $0.labels == labels }
        if !served.isEmpty { waiters.removeAll { $0.seed == seed && $0.labels == labels } }
        return served
    }

    private func work() {
        condition.lock()
        while !stopped {
            // Callers whose layout the newest result already shows.
            if let result {
                let served = takeWaiters(matching: result.labels, seed: result.seed)
                if !served.isEmpty {
                    condition.broadcast()
                    condition.unlock()
                    for w in served { w.completion(.success(result.views)) }
                    condition.lock()
                    continue
                }
            }
            let (next, wakeAt) = nextJob(now: clock.now())
            guard let job = next else {
                if let wakeAt {
                    clock.wait(on: condition, until: wakeAt)
                } else {
                    condition.wait()
                }
                continue
            }
            let startedAt = clock.now()
            running = (job, startedAt)
            stats.started += 1
            condition.unlock()

            var outcome: Result<GeneratedViews, Error>
            do {
                outcome = .success(try generator.generate(job.labels, seed: job.seed, shouldCancel: { [unowned self] in
                    self.shouldCancel(job, startedAt: startedAt)
                }))
            } catch {
                outcome = .failure(error)
            }

            condition.lock()
            running = nil
            var served: [ViewsWaiter] = []
            var cancelled = false
            switch outcome {
            case .success(let views):
                let seconds = clock.now() - startedAt
                recentSeconds = Array((recentSeconds + [seconds]).suffix(5))
                if let id = job.id {
                    result = PreviewResult(requestID: id, labels: job.labels, seed: job.seed, views: views,
                                           requestedAt: job.at, startedAt: startedAt, finishedAt: clock.now())
                    resultIsNew = true
                    if displayGrace > 0 { displayDeadline = clock.now() + displayGrace }
                }
                stats.completed += 1
                served = takeWaiters(matching: job.labels, seed: job.seed)
            case .failure(let error) where error is GenerationCancelled:
                cancelled = true
                stats.cancelled += 1
            case .failure(let error):
                failure = String(describing: error)
                stats.failed += 1
                served = takeWaiters(matching: job.labels, seed: job.seed)
            }
            condition.broadcast()
            condition.unlock()
            for w in served { w.completion(outcome) }
            if !cancelled && job.id != nil { onUpdate() }
            condition.lock()
        }
        condition.unlock()
    }
}
