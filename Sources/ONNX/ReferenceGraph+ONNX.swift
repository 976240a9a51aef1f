import Tensor

extension ReferenceGraph {
    /// The input the engine benchmark feeds the graph: [1, 16, 128, 128].
    public static let inputShape = [1, 16, 128, 128]

    /// The graph as ONNX: input "input" [N, 16, H, W], output "output" [N, 3, 2H, 2W].
    public func onnxModel() -> ONNXModel {
        var b = ONNXGraphBuilder()
        var h = b.relu(b.instanceNorm(b.conv("input", first, scope: "first"), firstNorm, channels: 64, scope: "firstNorm"),
                       scope: "firstNorm")
        for (i, (conv, norm)) in zip(body, norms).enumerated() {
            h = b.relu(b.instanceNorm(b.conv(h, conv, scope: "body.\(i)"), norm, channels: 64, scope: "norms.\(i)"),
                       scope: "norms.\(i)")
        }
        let y = b.tanh(b.conv(b.convTranspose(h, up, scope: "up"), head, scope: "head"), scope: "head")
        _ = b.output(y, as: "output")
        let graph = b.graph(name: "scenepaint_reference_graph",
                            inputs: [ONNXValueInfo(name: "input", dims: [.symbol("batch"), .size(16), .symbol("height"), .symbol("width")])],
                            outputs: [ONNXValueInfo(name: "output", dims: [.symbol("batch"), .size(3), .symbol("height_x2"), .symbol("width_x2")])],
                            doc: "scenepaint's engine benchmark reference graph (docs/benchmarks.md)")
        var model = ONNXModel(graph: graph)
        model.doc = "The engine benchmark's reference graph: conv3x3 16->64, IN(affine), ReLU, 4 x (conv3x3 64->64, IN, ReLU), convT k3s2p1op1 64->64, conv3x3 64->3, tanh."
        return model
    }
}

extension ReferenceGraph {
    /// The graph `export --reference-graph` writes and `bench peers` runs: fixed weights from a fixed seed.
    public static func forPeerBenchmark() -> ReferenceGraph {
        var rng = RandomGenerator(seed: 11)
        return ReferenceGraph(using: &rng)
    }
}
