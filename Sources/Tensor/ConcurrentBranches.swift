import Dispatch
import Foundation
import Support

/// Independent parts of one inference pass (LGGAN's encoder and SPADE
/// modulations, then its global, local and weight-map generators) run side by
/// side, one thread each, instead of one after the other each splitting its
/// narrow layers over every thread: those layers gain little from a second
/// thread, a second branch gains it all.
///
/// Each branch runs single-threaded (OpenBLAS, oneDNN's OpenMP and the engine's
/// `Parallel` loops), so it computes with the same kernels in the same order as
/// a serial pass at one thread: results are bit-identical to it. Only in
/// inference (no graph recorded: the graph's bookkeeping is not thread-safe)
/// and with two or more threads; otherwise the branches run in index order.
package enum ConcurrentBranches {
    /// Off only to measure the serial order against it (`bench generate`) and in tests.
    @TaskLocal static var enabled = true

    package static func with<R>(enabled: Bool, _ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(enabled, operation: body)
    }

    /// Whether `run` would run branches side by side here.
    package static var areConcurrent: Bool { enabled && !GradMode.enabled && Parallel.threads >= 2 }

    /// What a running branch may call instead of the caller's checkpoint, and
    /// to wait for an earlier branch's results.
    package struct Branch<Stage> {
        /// The caller's checkpoint, one call at a time; throws once any call has thrown.
        package let checkpoint: (Stage) throws -> Void
        /// Returns when branch `index` (lower than this one's) has finished; throws if any branch failed.
        package let waitFor: (_ index: Int) throws -> Void
    }

    /// Runs `branch(i, context)` for i in 0..<count, handed out in index order
    /// to the threads as they come free; a branch may wait for lower-numbered
    /// ones (they have started by then, so waiting cannot deadlock). Once a
    /// checkpoint throws, every later checkpoint and wait throws too and
    /// branches not yet started are skipped, so all stop at their next
    /// checkpoint; the first error is rethrown after all have stopped.
    /// Branches must write disjoint results.
    package static func run<Stage>(_ count: Int, checkpoint: (Stage) throws -> Void,
                                   _ branch: (Int, Branch<Stage>) throws -> Void) rethrows {
        // (Passing one non-escaping closure to another needs the escape hatch; none escapes.)
        try withoutActuallyEscaping(checkpoint) { checkpoint in
            guard areConcurrent, count > 1 else {
                for i in 0..<count {
                    try branch(i, Branch(checkpoint: checkpoint, waitFor: { invariant($0 < i, "branch \(i) waits for \($0)") }))
                }
                return
            }
            try concurrently(count, checkpoint: checkpoint, branch, rethrowing: { throw $0 })
        }
    }

    /// The concurrent case; `rethrowing` re-raises the first error, which lets
    /// `run` stay `rethrows` (the error was caught on a worker thread).
    private static func concurrently<Stage>(_ count: Int, checkpoint: @escaping (Stage) throws -> Void,
                                            _ branch: (Int, Branch<Stage>) throws -> Void,
                                            rethrowing: (Error) throws -> Void) rethrows {
        let settings = TaskSettings.current
        let gate = BranchGate(count: count)
        let next = TaskCounter()
        let workers = Swift.min(Parallel.threads, count)
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                settings.apply {
                    while !gate.stopped, let i = next.take(below: count) {
                        let context = Branch<Stage>(checkpoint: { stage in try gate.pass { try checkpoint(stage) } },
                                                    waitFor: { j in
                                                        invariant(j < i, "branch \(i) waits for \(j)")
                                                        try gate.wait(for: j)
                                                    })
                        do {
                            try branch(i, context)
                            gate.finish(i)
                        } catch {
                            gate.fail(error)
                        }
                    }
                }
            }
        }
        if let error = gate.firstError { try rethrowing(error) }
    }
}

/// What the branches of one `ConcurrentBranches.run` share: the caller's
/// checkpoint (called by one branch at a time), which have finished, and the first error.
private final class BranchGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var error: Error?
    private var finished: [Bool]

    /// Thrown at checkpoints and waits after another branch failed (never leaves `run`: the first error does).
    struct Stopped: Error {}

    init(count: Int) { finished = Array(repeating: false, count: count) }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    var stopped: Bool { locked { error != nil } }
    var firstError: Error? { locked { error } }

    func pass(_ checkpoint: () throws -> Void) throws {
        try locked {
            if error != nil { throw Stopped() }
            do { try checkpoint() } catch {
                self.error = error
                condition.broadcast()
                throw error
            }
        }
    }

    func wait(for index: Int) throws {
        try locked {
            while !finished[index] && error == nil { condition.wait() }
            if error != nil { throw Stopped() }
        }
    }

    func finish(_ index: Int) {
        locked {
            finished[index] = true
            condition.broadcast()
        }
    }

    func fail(_ error: Error) {
        locked {
            if self.error == nil { self.error = error }
            condition.broadcast()
        }
    }
}
