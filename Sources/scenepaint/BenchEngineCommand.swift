import ArgumentParser
import Foundation
import Support
import Tensor

/// `scenepaint bench engine`: raw sgemm vs the engine's convolutions (forward
/// and backward) on the same GEMM shapes, and the reference graph's forward
/// time at 1 and 2 threads, with the OpenBLAS core in use.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the tensor engine: conv forward/backward vs raw sgemm, reference graph time.")

    @Option(name: .long, help: "Measured repetitions per variant (the median is reported).")
    var repeats: Int = 9

    @Option(name: .long, help: "Thread counts for the reference graph, comma-separated.")
    var graphThreads: String = "1,2"

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard parsedThreads != nil else { throw ValidationError("--graph-threads must be positive integers like 1,2") }
    }

    var parsedThreads: [Int]? {
        let values = graphThreads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        print("BLAS: \(BLASInfo.coreName) (\(BLASEnvironment.coreTypeSource)); \(BLASInfo.config)")
        let report = EngineBenchmark.run(repeats: repeats, threadCounts: parsedThreads ?? [1, 2]) { line in
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
        print(report.text)
    }
}
