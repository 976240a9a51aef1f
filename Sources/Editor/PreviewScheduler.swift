import Foundation
import Layouts
import Models

/// One finished generation and what it was made from.
public struct PreviewResult: Sendable {
    public let requestID: Int
    public let labels: LabelMap
    public let seed: UInt64
    public let views: GeneratedViews
    /// systemUptime when the request was made and when the result was ready.
    public let requestedAt: Double
    public let finishedAt: Double
}

/// Runs the generator on a background thread so the UI never waits for it.
/// Requests are debounced (a burst of edits yields one generation), and a
/// running generation whose request has been superseded is cancelled through
/// the generator's `shouldCancel` poll. Results are picked up with
/// `takeResult()`; `onUpdate` (called on the worker thread) lets the UI wake.
public final class PreviewScheduler: @unchecked Sendable {
    public struct Statistics: Equatable, Sendable {
        public var started = 0
        public var completed = 0
        public var cancelled = 0
        public var failed = 0
    }

    private let generator: SceneGenerator
    private let debounce: Double
    private let onUpdate: @Sendable () -> Void
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: (id: Int, labels: LabelMap, seed: UInt64, at: Double)?
    private var latestID = 0
    private var runningID: Int?
    private var result: PreviewResult?
    private var resultIsNew = false
    private var failure: String?
    private var stopped = false
    private var stats = Statistics()
    private var thread: Thread?

    /// `debounce` is how long the scheduler waits after the latest request
    /// before starting (seconds).
    public init(generator: SceneGenerator, debounce: Double = 0.025, onUpdate: @escaping @Sendable () -> Void = {}) {
        self.generator = generator
        self.debounce = debounce
        self.onUpdate = onUpdate
        let thread = Thread { [unowned self] in self.work() }
        thread.name = "scenepaint.preview"
        thread.qualityOfService = .userInitiated
        self.thread = thread
        thread.start()
    }

    deinit { stop() }

    public static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Asks for a generation of `labels`; returns at once with the request id.
    @discardableResult
    public func request(_ labels: LabelMap, seed: UInt64) -> Int {
        condition.lock()
        defer { condition.unlock() }
        latestID += 1
        pending = (latestID, labels, seed, Self.now())
        condition.broadcast()
        return latestID
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

    /// True while a request is waiting or running.
    public var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return pending != nil || runningID != nil
    }

    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return stats
    }

    /// Blocks until nothing is pending or running (for export-all and tests).
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while pending != nil || runningID != nil {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Ends the worker; a running generation is cancelled.
    public func stop() {
        condition.lock()
        stopped = true
        latestID += 1
        condition.broadcast()
        condition.unlock()
    }

    private func isStale(_ id: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return id != latestID || stopped
    }

    private func work() {
        condition.lock()
        while true {
            while pending == nil && !stopped { condition.wait() }
            if stopped { break }
            let job = pending!
            let due = job.at + debounce
            let now = Self.now()
            if now < due {
                _ = condition.wait(until: Date(timeIntervalSinceNow: due - now))
                continue  // a newer request may have arrived: re-read it
            }
            pending = nil
            runningID = job.id
            stats.started += 1
            condition.unlock()

            var views: GeneratedViews?
            var error: String?
            var cancelled = false
            do {
                views = try generator.generate(job.labels, seed: job.seed, shouldCancel: { [unowned self] in
                    self.isStale(job.id)
                })
            } catch is GenerationCancelled {
                cancelled = true
            } catch let e {
                error = String(describing: e)
            }

            condition.lock()
            runningID = nil
            if let views {
                // A finished generation is shown even if a newer request is
                // on its way: it is closer to the layout than the old image.
                result = PreviewResult(requestID: job.id, labels: job.labels, seed: job.seed, views: views,
                                       requestedAt: job.at, finishedAt: Self.now())
                resultIsNew = true
                stats.completed += 1
            } else if cancelled {
                stats.cancelled += 1
            } else if let error {
                failure = error
                stats.failed += 1
            }
            condition.broadcast()
            condition.unlock()
            if !cancelled { onUpdate() }
            condition.lock()
        }
        condition.unlock()
    }
}
