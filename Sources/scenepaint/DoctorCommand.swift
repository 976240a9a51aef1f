import ArgumentParser
import Foundation
import Layouts
import Support
import Tensor
import Terminal

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Report the BLAS kernels, threads, terminal graphics and where resources are found.")

    func run() throws {
        let cpu = CPUFeatures.current()
        let core = BLASInfo.coreName
        let slow = BLASEnvironment.betterCoreType(loadedCore: core, features: cpu)
        print("cpu:           \(cpu.modelName) (\(cpu.hasAVX512 ? "AVX-512" : cpu.hasAVX2 ? "AVX2" : "no AVX2"), \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        print("blas core:     \(core) (\(BLASEnvironment.coreTypeSource))\(slow.map { " - this CPU can run the faster \($0) kernels: unset OPENBLAS_CORETYPE to let scenepaint choose" } ?? "")")
        print("blas threads:  \(BLASInfo.threads)")
        let onTerminal = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        let caps = TerminalProbe.probe()
        if onTerminal {
            print("terminal:      \(ProcessInfo.processInfo.environment["TERM"] ?? "unknown"), \(caps.columns)x\(caps.rows) cells")
            print("sixel:         \(caps.sixel ? "yes" : "no") (DA1 reply: \(caps.da1Reply.map(Self.printable) ?? "none"))")
        } else {
            print("terminal:      not a terminal (stdin/stdout redirected); sixel not probed")
        }
        print("truecolor:     \(caps.truecolor ? "yes" : "no") (COLORTERM=\(ProcessInfo.processInfo.environment["COLORTERM"] ?? ""))")
        if let w = caps.cellWidth, let h = caps.cellHeight {
            print("cell pixels:   \(w)x\(h)")
        } else {
            print("cell pixels:   unknown")
        }
        print("graphics:      \(GraphicsMode.best(for: caps).rawValue)")
        let locator = ResourceLocator.standard()
        print("palettes:      \(locator.palettesDirectory ?? "not found")")
        print("models:        \(locator.modelsDirectory ?? "not found")")
        print("samples:       \(locator.samplesDirectory ?? "not found")")
    }

    static func printable(_ s: String) -> String {
        s.unicodeScalars.map { $0.value == 27 ? "ESC" : String($0) }.joined()
    }
}
