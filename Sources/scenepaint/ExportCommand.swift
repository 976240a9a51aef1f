import ArgumentParser
import Foundation
import Models
import ONNX
import Support
import Tensor

/// `scenepaint export --onnx MODEL OUT.onnx`: a generator as an ONNX file
/// (opset 17) for other runtimes; `--reference-graph` writes the engine
/// benchmark's reference graph instead.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a generator (LGGAN or ECGAN), or the engine bench's reference graph, as an ONNX file (opset 17).",
        discussion: """
            Inputs: layout [N, classes, H, W], the one-hot map in palette order (all zero where no class \
            applies; H and W multiples of 8 for the shipped model); style [N, 16] for models with a style code; \
            noise [N, channels] for models with noise; texture [N, K, H, W] for models with texture noise \
            (N(0, 1) per pixel, drawn as generate --seed draws it). \
            Outputs, named after the views: fused, global, local [N, 3, H, W] in -1...1; weight_global, \
            weight_local [N, 1, H, W] in 0...1; class_NAME [N, 3, H, W] for every palette class (its \
            sub-generator's raw output, not masked). ECGAN: fused (I''), coarse (I', clamped), edge [N, 3, H, W]; \
            attention [N, 1, H, W]; ECGAN++ also class_NAME (I_gi, zero outside the class). The \
            class-discriminative scores, the style encoder and the contrastive heads are not exported. \
            See docs/export.md.
            """)

    @Flag(help: "Write ONNX (the only export format).")
    var onnx = false
    @Flag(help: "Export the engine benchmark's reference graph (input [N, 16, H, W], output [N, 3, 2H, 2W]); give only OUT.onnx.")
    var referenceGraph = false
    @Argument(help: "MODEL OUT.onnx (with --reference-graph: OUT.onnx).")
    var paths: [String] = []

    func validate() throws {
        guard onnx else { throw ValidationError("say the format: --onnx (the only export format)") }
        let wanted = referenceGraph ? 1 : 2
        guard paths.count == wanted else {
            throw ValidationError(referenceGraph ? "--reference-graph takes one path: OUT.onnx" : "give MODEL and OUT.onnx")
        }
    }

    func run() throws {
        let output = paths.last!
        let model: ONNXModel, summary: String
        if referenceGraph {
            model = ReferenceGraph.forPeerBenchmark().onnxModel()
            summary = "the engine benchmark's reference graph"
        } else {
            (model, summary) = try Self.generatorModel(path: paths[0])
        }
        try AtomicFile.write(Data(model.serialized), to: output)
        let outputs = model.graph.outputs.map(\.name)
        print("wrote \(output) (\(summary); \(model.graph.nodes.count) nodes, opset \(ONNX.opsetVersion); outputs: \(outputs.joined(separator: ", ")))")
    }

    /// The ONNX model of a generator file, and a few words about it; one clear error for any other file.
    static func generatorModel(path: String) throws -> (ONNXModel, String) {
        let generator = try ModelLoader.load(path: path, precision: .f32)
        let source = (path as NSString).lastPathComponent
        let metadata = [(key: "source", value: source)]
        if let lggan = generator as? LGGANGenerator {
            return (lggan.network.onnxModel(palette: lggan.palette, metadata: metadata), "LGGAN from \(source), palette \(lggan.palette.name)")
        }
        if let ecgan = generator as? ECGANGenerator {
            return (ecgan.network.onnxModel(palette: ecgan.palette, metadata: metadata),
                    "\(ecgan.modelName) from \(source), palette \(ecgan.palette.name)")
        }
        throw Failure("\(path): \(generator.modelName) models cannot be exported to ONNX")
    }
}
