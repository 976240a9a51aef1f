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
            print("terminal:      \(ProcessInfo.processInfo.environment["TERM"] ?? "unknown")\(caps.version.map { " (\($0))" } ?? ""), \(caps.columns)x\(caps.rows) cells")
            print("kitty images:  \(caps.kitty ? "yes (answered the a=q query)" : "no (no answer to the a=q query)")")
            print("iTerm2 images: \(caps.itermProgram.map { "yes (\($0))" } ?? "no (not iTerm2, WezTerm or mintty)")")
            print("sixel:         \(caps.sixel ? "yes" : "no") (DA1 reply: \(caps.da1Reply.map(Self.da1Part).map(Self.printable) ?? "none"))")
        } else {
            print("terminal:      not a terminal (stdin/stdout redirected); image protocols not probed")
        }
        print("colours:       \(caps.colorDepth == .truecolor ? "24-bit" : caps.colorDepth.rawValue) (\(caps.colorDepthSource))")
        if let w = caps.cellWidth, let h = caps.cellHeight {
            print("cell pixels:   \(w)x\(h)")
        } else {
            print("cell pixels:   unknown")
        }
        let choice = GraphicsMode.choose(for: caps)
        print("graphics:      \(choice.mode.rawValue): \(choice.reason) (--graphics kitty|sixel|iterm|symbols|truecolor|256|16 forces one)")
        let locator = ResourceLocator.standard()
        print("palettes:      \(locator.palettesDirectory ?? "not found")")
        print("models:        \(locator.modelsDirectory ?? "not found")")
        print("samples:       \(locator.samplesDirectory ?? "not found")")
    }

    /// The DA1 answer alone (the probe's reply holds the other answers too).
    static func da1Part(_ reply: String) -> String {
        guard let start = reply.range(of: "\u{1B}[?", options: .backwards) else { return reply }
        return String(reply[start.lowerBound...])
    }

    static func printable(_ s: String) -> String {
        s.unicodeScalars.map { $0.value == 27 ? "ESC" : String($0) }.joined()
    }
}
