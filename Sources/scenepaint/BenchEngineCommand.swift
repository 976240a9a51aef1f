import ArgumentParser
import Foundation
import Support
import Tensor

/// `scenepaint bench engine`: the engine's convolution kernels against oneDNN's
/// per layer (forward and backward), the reference graph's forward time at
/// 1 and 2 threads and a training step on both, with the OpenBLAS core in use.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the convolutions: engine vs oneDNN (direct, Winograd, bf16) per layer, reference graph, training step.",
        discussion: """
            OpenBLAS picks its kernels when it loads, so --core-types runs this benchmark \
            once per core type in a child process (e.g. --core-types Haswell,SkylakeX).
            """)

    @Option(name: .long, help: "Measured repetitions per variant (the median is reported).")
    var repeats: Int = 9

    @Option(name: .long, help: "Thread counts for the reference graph, comma-separated.")
    var graphThreads: String = "1,2"

    @Option(name: .long, help: "OpenBLAS core types to compare, comma-separated (each in its own process).")
    var coreTypes: String?

    @Option(name: .long, help: "Clock (GHz) the FP32 peak is computed from (/proc/cpuinfo shows only the nominal clock in a VM).")
    var clockGhz: Double = 3.6

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard clockGhz > 0 && clockGhz < 10 else { throw ValidationError("--clock-ghz must be between 0 and 10, got \(clockGhz)") }
        guard parsedThreads != nil else { throw ValidationError("--graph-threads must be positive integers like 1,2") }
        if let coreTypes, coreTypes.split(separator: ",").isEmpty {
            throw ValidationError("--core-types needs names like Haswell,SkylakeX")
        }
    }

    var parsedThreads: [Int]? { parseThreadCounts(graphThreads) }

    func run() throws {
        if let coreTypes {
            try compare(coreTypes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            return
        }
        print("BLAS: \(BLASInfo.coreName) (\(BLASEnvironment.coreTypeSource)); \(BLASInfo.config)")
        let report = EngineBenchmark.run(repeats: repeats, threadCounts: parsedThreads ?? [1, 2],
                                         peak: .assumed(clockGHz: clockGhz)) { line in
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
        print(report.text)
    }

    /// Re-runs this command without --core-types once per core type.
    func compare(_ cores: [String]) throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let i = arguments.firstIndex(where: { $0 == "--core-types" }) {
            arguments.removeSubrange(i...min(i + 1, arguments.count - 1))
        }
        arguments.removeAll { $0.hasPrefix("--core-types=") }
        var summary: [String] = []
        for core in cores {
            print("==== OPENBLAS_CORETYPE=\(core)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment[BLASEnvironment.coreTypeVariable] = core
            environment[BLASEnvironment.marker] = BLASEnvironment.coreTypeVariable
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            print(output, terminator: "")
            guard process.terminationStatus == 0 else {
                throw Failure("bench engine with OPENBLAS_CORETYPE=\(core) exited with status \(process.terminationStatus)")
            }
            let graphLines = output.split(separator: "\n").filter { $0.contains(" ms") }
            summary += graphLines.map { "\(core.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.trimmingCharacters(in: .whitespaces))" }
        }
        print("==== summary (reference graph and training step)")
        summary.forEach { print($0) }
    }
}
