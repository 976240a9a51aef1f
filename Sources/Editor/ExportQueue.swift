import Foundation
import Generation

/// Runs exports in the background so the editor keeps responding while an
/// export waits for its generation and writes its files. Each job gets the
/// views of its own frozen layout from the scheduler (at once when the
/// preview already shows that layout), then writes on a serial queue, so
/// exports finish in the order they were asked for. The one-line outcome of
/// each is collected for the message line; `onFinish` lets the UI wake.
public final class ExportQueue: @unchecked Sendable {
    private let onFinish: @Sendable () -> Void
    private let writer = DispatchQueue(label: "scenepaint.export", qos: .userInitiated)
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var running = 0
    private var messages: [String] = []

    public init(onFinish: @escaping @Sendable () -> Void = {}) {
        self.onFinish = onFinish
    }

    /// Starts `job`; returns at once.
    public func submit(_ job: ExportJob, scheduler: PreviewScheduler) {
        condition.lock()
        running += 1
        condition.unlock()
        // The writer queue holds the job's place in line until its views arrive.
        let arrived = DispatchSemaphore(value: 0)
        let box = ViewsBox()
        scheduler.views(of: job.labels, seed: job.seed) { outcome in
            box.outcome = outcome
            arrived.signal()
        }
        writer.async { [self] in
            arrived.wait()
            let message: String
            switch box.outcome {
            case .success(let views)?: message = job.write(views)
            case .failure(let error)? where error is GenerationCancelled: message = "export cancelled: the editor is closing"
            case .failure(let error)?: message = "export failed: the generator failed: \(error)"
            case nil: message = "export failed: no views"
            }
            finish(message)
        }
    }

    /// Outcomes of finished exports not yet taken, oldest first.
    public func takeMessages() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        let taken = messages
        messages = []
        return taken
    }

    /// Exports asked for and not yet finished.
    public var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// Blocks until every submitted export has finished (quit, tests).
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while running > 0 {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    private func finish(_ message: String) {
        condition.lock()
        running -= 1
        messages.append(message)
        condition.broadcast()
        condition.unlock()
        onFinish()
    }
}

/// Hands the scheduler's answer to the writer queue (written before the
/// semaphore is signalled, read after it is waited on).
private final class ViewsBox: @unchecked Sendable {
    var outcome: Result<GeneratedViews, Error>?
}
