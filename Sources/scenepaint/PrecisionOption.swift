import ArgumentParser
import Foundation
import Tensor

/// `--precision` of the commands that generate for a user (generate, edit, eval).
struct PrecisionOption: ParsableArguments {
    @Option(help: """
        Convolution number format while generating: auto (bf16 on CPUs with avx512_bf16 or AMX, \
        f32 elsewhere), f32 or bf16 (default: $SCENEPAINT_PRECISION, else auto; eval: f32).
        """)
    var precision: String?

    /// The precision to use; `fallback` when neither the flag nor the environment names one.
    func resolved(fallback: String = "auto") throws -> ConvolutionPrecision {
        let variable = ProcessInfo.processInfo.environment["SCENEPAINT_PRECISION"]
        let requested = precision ?? variable ?? fallback
        guard let value = ConvolutionPrecision.resolve(requested) else {
            let source = precision != nil ? "--precision" : "SCENEPAINT_PRECISION"
            throw ValidationError("\(source) must be auto, f32 or bf16, got \"\(requested)\"")
        }
        return value
    }
}
