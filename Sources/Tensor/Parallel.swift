import CBLAS
import Dispatch

/// Splits work over the engine's threads. The engine uses as many threads as
/// OpenBLAS is set to (`BLASInfo.setThreads`), so one knob controls both the
/// GEMMs and the engine's own loops. Work is split into contiguous ranges, one
/// per thread, so results never depend on scheduling.
enum Parallel {
    static var threads: Int { Swift.max(1, Int(openblas_get_num_threads())) }

    /// Calls `body` on disjoint subranges covering 0..<count. Runs inline when
    /// the work (count * costPerItem, in rough float operations) is too small to
    /// pay for a thread hand-off.
    static func forRanges(_ count: Int, costPerItem: Int = 1, minimumWork: Int = 32_768,
                          _ body: (Range<Int>) -> Void) {
        let workers = Swift.min(threads, count)
        if workers <= 1 || count * costPerItem < minimumWork {
            if count > 0 { body(0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = count * w / workers
            let hi = count * (w + 1) / workers
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Calls `body(i)` for each i in 0..<count, split over threads.
    static func forEach(_ count: Int, costPerItem: Int = 1, minimumWork: Int = 32_768,
                        _ body: (Int) -> Void) {
        forRanges(count, costPerItem: costPerItem, minimumWork: minimumWork) { range in
            for i in range { body(i) }
        }
    }
}
