import CBLAS
import Dispatch
import Foundation

/// Splits work over the engine's threads. The engine uses as many threads as
/// OpenBLAS is set to (`BLASInfo.setThreads`), so one knob controls both the
/// GEMMs and the engine's own loops. Every output element is written by exactly
/// one piece of work, and partial sums are combined in a fixed order, so results
/// never depend on scheduling (only, for some gradients, on the thread count).
package enum Parallel {
    static var threads: Int { Swift.max(1, Int(openblas_get_num_threads())) }

    /// Work below which memory-bound loops (elementwise ops, copies, bias adds)
    /// stay on one thread: a 1M-float ReLU takes 0.06 ms alone, less than a
    /// thread hand-off costs when the other core is busy (measured 1.4 ms under load).
    static let memoryBoundMinimum = 1 << 21

    /// Calls `body` on disjoint subranges covering 0..<count (every caller writes
    /// disjoint outputs per index). Runs inline when the work (count * costPerItem,
    /// in rough float operations) is too small to pay for a thread hand-off.
    /// Otherwise four chunks per thread are handed out as threads come free, so
    /// a core busy with another process does not hold the whole op back.
    static func forRanges(_ count: Int, costPerItem: Int = 1, minimumWork: Int = 32_768,
                          _ body: (Range<Int>) -> Void) {
        let workers = Swift.min(threads, count)
        if workers <= 1 || count * costPerItem < minimumWork {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = Swift.min(count, 4 * workers)
        let next = TaskCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let chunk = next.take(below: chunks) {
                body((count * chunk / chunks) ..< (count * (chunk + 1) / chunks))
            }
        }
    }

    /// Calls `body(i)` for each i in 0..<count, split over threads.
    package static func forEach(_ count: Int, costPerItem: Int = 1, minimumWork: Int = 32_768,
                        _ body: (Int) -> Void) {
        forRanges(count, costPerItem: costPerItem, minimumWork: minimumWork) { range in
            for i in range { body(i) }
        }
    }

    /// Runs `body(task, scratch)` for tasks 0..<count, handed out dynamically to
    /// the engine's threads (robust when another process takes a core), with
    /// OpenBLAS single-threaded inside so each task's GEMM stays on its thread.
    /// Tasks must write disjoint outputs. Each running task gets its own scratch.
    static func tasks(_ count: Int, workPerTask: Int = Int.max / 2, _ body: (Int, ScratchBuffer) -> Void) {
        if threads <= 1 || count <= 1 || count * Swift.min(workPerTask, Int.max / Swift.max(count, 1)) < 1 << 21 {
            let scratch = ScratchBuffer()
            for i in 0..<count { body(i, scratch) }
            return
        }
        let workers = Swift.min(threads, count)
        let pool = (0..<workers).map { _ in ScratchBuffer() }
        let next = TaskCounter()
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while let task = next.take(below: count) { body(task, pool[w]) }
            }
        }
    }

    /// How many workers `workerRanges` uses for `count` items of `workPerItem`
    /// (rough float operations): one when the whole job is small.
    static func workers(_ count: Int, workPerItem: Int) -> Int {
        if count * Swift.min(workPerItem, Int.max / Swift.max(count, 1)) < 1 << 21 { return 1 }
        return Swift.max(1, Swift.min(threads, count))
    }

    /// Splits 0..<count into one contiguous range per worker (the split depends
    /// only on `workers`, so per-worker partial sums reduce identically every
    /// run); OpenBLAS is single-threaded inside when there are several workers.
    static func workerRanges(_ count: Int, workers: Int, _ body: (Int, Range<Int>) -> Void) {
        if workers <= 1 {
            body(0, 0..<count)
            return
        }
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                body(w, (count * w / workers) ..< (count * (w + 1) / workers))
            }
        }
    }
}

/// OpenBLAS's thread count is process-wide; the engine's per-thread tasks need
/// single-threaded GEMMs while they run.
enum BLASThreads {
    static func singleThreaded<R>(_ body: () -> R) -> R {
        let n = openblas_get_num_threads()
        if n <= 1 { return body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(n) }
        return body()
    }
}

/// Hands out task numbers to threads.
final class TaskCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    func take(below limit: Int) -> Int? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
