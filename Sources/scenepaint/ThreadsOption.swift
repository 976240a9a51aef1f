import ArgumentParser
import Tensor

/// `--threads` of the commands that compute (generate, train lggan/ecgan/segmenter).
/// One rule everywhere: the default is what OpenBLAS picks, all cores (or
/// $OPENBLAS_NUM_THREADS), the same count edit and eval always use. Before,
/// generate and the GAN trainings defaulted to 2 and the segmenter to all cores.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads for OpenBLAS and the engine (default: all cores, or $OPENBLAS_NUM_THREADS).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Sets the thread count when one was given.
    func apply() {
        if let threads { BLASInfo.setThreads(threads) }
    }
}

/// A comma-separated list of thread counts for the benchmarks ("1,2"): nil
/// unless every entry is an integer in 1...limit.
func parseThreadCounts(_ text: String, limit: Int = .max) -> [Int]? {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= limit }) else { return nil }
    return values.map { $0! }
}
