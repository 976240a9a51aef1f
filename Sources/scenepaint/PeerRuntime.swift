import Foundation
import Support

/// The ONNX Runtime side of `bench peers`: scripts/scenepaint_peers.py run by
/// a Python, one command line in, one reply line out (the protocol is in the
/// script's docstring).
final class PeerRuntime {
    /// Why the peer cannot run (the benchmark then says "skipped").
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    let python: String
    let version: String
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var buffered = Data()

    /// Probes `python` for onnxruntime, then starts the script in serve mode.
    init(python: String, script: String) throws {
        self.python = python
        let probe = try Self.runProbe(python: python, script: script)
        guard probe.status == 0, probe.text.hasPrefix("onnxruntime ") else {
            let reason = probe.text.isEmpty ? "exit status \(probe.status)" : probe.text
            throw Unavailable(description: "\(python) cannot run ONNX Runtime: \(reason) (pip install onnxruntime numpy)")
        }
        version = probe.text
        // A peer that dies must surface as a write error (EPIPE), not kill this process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--serve"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    deinit {
        if process.isRunning {
            try? input.write(contentsOf: Data("quit\n".utf8))
            process.waitUntilExit()
        }
    }

    static func runProbe(python: String, script: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--probe"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw Unavailable(description: "cannot start \(python): \(error.localizedDescription)")
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        if process.terminationStatus == 127 { throw Unavailable(description: "no \(python) on PATH") }
        return (process.terminationStatus, firstLine)
    }

    /// Sends one command and returns the reply without its status word; "error ..." replies throw.
    @discardableResult
    func send(_ command: String) throws -> String {
        try input.write(contentsOf: Data((command + "\n").utf8))
        let line = try readLine()
        if line.hasPrefix("error") { throw Failure("ONNX Runtime (\(python)): \(line.dropFirst(6)) (command: \(command))") }
        return line
    }

    func load(session: String, threads: Int, model: String) throws {
        try send("load \(session) \(threads) \(model)")
    }

    /// Gives the session an input from `values` (written to `file` as raw float32).
    func setInput(session: String, name: String, shape: [Int], values: [Float], file: String) throws {
        try values.withUnsafeBytes { try AtomicFile.write(bytes: $0, to: file) }
        try send("input \(session) \(name) \(file) \(shape.map(String.init).joined(separator: ","))")
    }

    /// One timed run, in seconds (timed inside the Python process, around session.run).
    func run(session: String) throws -> Double {
        let reply = try send("run \(session)")
        guard reply.hasPrefix("ms "), let ms = Double(reply.dropFirst(3)) else { throw Failure("ONNX Runtime replied \"\(reply)\" to run") }
        return ms / 1000
    }

    /// One output's values after a run.
    func output(session: String, name: String, file: String) throws -> [Float] {
        _ = try send("dump \(session) \(name) \(file)")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                buffered.removeSubrange(buffered.startIndex...newline)
                return line
            }
            let chunk = output.availableData
            if chunk.isEmpty { throw Failure("ONNX Runtime (\(python)) stopped unexpectedly") }
            buffered.append(chunk)
        }
    }
}
