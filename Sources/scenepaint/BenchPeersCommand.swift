import ArgumentParser
import Foundation
import Layouts
import Models
import ONNX
import Support
import Tensor

/// `scenepaint bench peers`: our engine against ONNX Runtime on the same
/// graphs (the engine benchmark's reference graph and a generator exported
/// with `export --onnx`), interleaved in one run at each thread count.
struct BenchPeersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "Time our engine against ONNX Runtime on the reference graph and an exported LGGAN, interleaved; print medians and ours/ORT.",
        discussion: """
            Needs a Python with onnxruntime and numpy (it runs scripts/scenepaint_peers.py); without one it \
            prints one line saying so and exits 0 (skipped). Ours is timed around the network's forward pass \
            (LGGAN: every view's tensor from the one-hot layout, the engine's sparse class path), ORT around \
            session.run of the exported graph (dense class convolutions), both in f32, and ours also in the \
            editor's default precision (bf16 on CPUs with avx512_bf16). Ratios are medians of per-round ratios.
            """)

    @Option(help: "The Python that has onnxruntime.")
    var python: String = "python3"
    @Option(help: "The peer script (default: scripts/scenepaint_peers.py beside models/).")
    var script: String?
    @Option(help: "LGGAN model file (default: models/\(ModelLoader.defaultModelName)).")
    var model: String?
    @Option(help: "Layout PNG for the LGGAN (default: samples/lake.png), resized to --size.")
    var layout: String?
    @Option(help: "Layout side in pixels.")
    var size: Int = 256
    @Option(help: "Timed rounds per thread count (after one warm-up round; the median is reported).")
    var repeats: Int = 9
    @Option(help: "Thread counts, comma-separated.")
    var threads: String = "1,2"
    @Flag(help: "After the timings, our time per op (convolutions by shape, norms, activations) at each thread count, default precision.")
    var profile = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard size >= 8 && size <= 2048 else { throw ValidationError("--size must be 8-2048, got \(size)") }
        guard parsedThreads != nil else { throw ValidationError("--threads must be positive integers like 1,2") }
    }

    var parsedThreads: [Int]? { parseThreadCounts(threads, limit: 64) }

    func run() throws {
        guard let scriptPath = script ?? ResourceLocator.standard().directory("scripts").map({ $0 + "/scenepaint_peers.py" }),
              FileManager.default.fileExists(atPath: scriptPath) else {
            throw Failure("cannot find scripts/scenepaint_peers.py (pass --script or set SCENEPAINT_HOME)")
        }
        let peer: PeerRuntime
        do {
            peer = try PeerRuntime(python: python, script: scriptPath)
        } catch let unavailable as PeerRuntime.Unavailable {
            print("bench peers: skipped: \(unavailable.description)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenepaint-peers-\(getpid())").path
        try AtomicFile.ensureDirectory(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let workloads = [try referenceWorkload(directory: directory), try lgganWorkload(directory: directory)]
        let threadCounts = parsedThreads!
        let defaultPrecision = ConvolutionSettings.fastestInferencePrecision
        let precisions: [ConvolutionPrecision] = defaultPrecision == .f32 ? [.f32] : [defaultPrecision, .f32]
        print("peer:  \(peer.version) (\(python)), CPU execution provider, intra-op threads = thread count, inter-op 1")
        print("ours:  BLAS \(BLASInfo.coreName) (\(BLASEnvironment.coreTypeSource)); convolutions: \(ConvolutionLibrary.description)")
        print("cpu:   \(CPUFeatures.current().modelName)")
        print("load average before: \(EngineBenchmark.loadAverage())")
        for w in workloads {
            for t in threadCounts {
                try peer.load(session: w.session(t), threads: t, model: w.onnxPath)
                for (i, input) in w.inputs.enumerated() {
                    try peer.setInput(session: w.session(t), name: input.name, shape: input.shape, values: input.values,
                                      file: directory + "/\(w.key)-input\(i).f32")
                }
            }
        }

        struct Key: Hashable { let workload: String; let threads: Int; let variant: String }
        var times: [Key: [Double]] = [:]
        for round in 0...repeats {       // round 0 warms caches, allocators and thread pools
            for t in threadCounts {
                BLASInfo.setThreads(t)
                for w in workloads {
                    for p in precisions {
                        let s = EngineBenchmark.seconds { _ = ConvolutionSettings.with(precision: p) { GradMode.withoutGrad { w.ours() } } }
                        if round > 0 { times[Key(workload: w.key, threads: t, variant: p.rawValue), default: []].append(s) }
                        Self.settle()
                    }
                    let s = try peer.run(session: w.session(t))
                    if round > 0 { times[Key(workload: w.key, threads: t, variant: "ort"), default: []].append(s) }
                    Self.settle()
                }
            }
        }

        for w in workloads {
            let ours = ConvolutionSettings.with(precision: .f32) { GradMode.withoutGrad { w.ours() } }.values
            let theirs = try peer.output(session: w.session(threadCounts[0]), name: w.comparedOutput, file: directory + "/\(w.key)-out.f32")
            let difference = ours.count == theirs.count ? zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0 : .nan
            print("")
            print("\(w.title)")
            print(String(format: "  check: max |ours f32 - ORT| on %@ = %.2g", w.comparedOutput, difference))
            for t in threadCounts {
                let ort = times[Key(workload: w.key, threads: t, variant: "ort")]!
                var parts = [String(format: "ORT %.1f", EngineBenchmark.median(ort) * 1e3)]
                var ratios: [String] = []
                for p in precisions {
                    let mine = times[Key(workload: w.key, threads: t, variant: p.rawValue)]!
                    parts.append(String(format: "ours %@ %.1f", p.rawValue, EngineBenchmark.median(mine) * 1e3))
                    ratios.append(String(format: "%.2fx (%@)", EngineBenchmark.median(zip(mine, ort).map { $0 / $1 }), p.rawValue))
                }
                print(String(format: "  %d thread%@: ", t, t == 1 ? " " : "s") + parts.joined(separator: ", ")
                      + " ms (medians of \(repeats)); ours/ORT " + ratios.joined(separator: ", "))
            }
        }
        print("")
        print("load average after: \(EngineBenchmark.loadAverage())")
        if profile {
            for w in workloads {
                for t in threadCounts {
                    BLASInfo.setThreads(t)
                    let ops = OpProfile()
                    var total = 0.0
                    for _ in 0..<repeats {
                        total += EngineBenchmark.seconds {
                            _ = ops.recording { ConvolutionSettings.with(precision: defaultPrecision) { GradMode.withoutGrad { w.ours() } } }
                        } * 1e3
                        Self.settle()
                    }
                    BenchGenerateCommand.printProfile(ops, title: "\(w.key), \(t) thread\(t == 1 ? "" : "s"), \(defaultPrecision.rawValue)",
                                                      runs: repeats, totalMilliseconds: total)
                }
            }
            print("load average after the profiles: \(EngineBenchmark.loadAverage())")
        }
    }

    /// A pause between variants so neither side's spinning worker threads (OpenBLAS,
    /// OpenMP, ORT) still hold a core when the other starts.
    static func settle() { usleep(50_000) }

    /// One graph both sides run.
    struct Workload {
        let key: String
        let title: String
        let onnxPath: String
        let inputs: [(name: String, shape: [Int], values: [Float])]
        let comparedOutput: String
        /// Our forward pass; returns the tensor compared with `comparedOutput`.
        let ours: () -> Tensor

        func session(_ threads: Int) -> String { "\(key)@\(threads)" }
    }

    func referenceWorkload(directory: String) throws -> Workload {
        let graph = ReferenceGraph.forPeerBenchmark()
        var rng = RandomGenerator(seed: 12)
        let input = Tensor.randomNormal(ReferenceGraph.inputShape, using: &rng)
        let path = directory + "/reference.onnx"
        try AtomicFile.write(Data(graph.onnxModel().serialized), to: path)
        return Workload(key: "reference", title: String(format: "reference graph (1x16x128x128 -> 1x3x256x256, %.2f GFLOP)", ReferenceGraph.flops / 1e9),
                        onnxPath: path, inputs: [("input", input.shape, input.values)], comparedOutput: "output",
                        ours: { graph(input) })
    }

    func lgganWorkload(directory: String) throws -> Workload {
        guard let modelPath = model ?? ModelLoader.defaultModelPath() else {
            throw Failure("no model given and models/\(ModelLoader.defaultModelName) not found (pass --model)")
        }
        let generator = try ModelLoader.loadLGGAN(path: modelPath)
        let layoutPath = layout ?? ResourceLocator.standard().samplesDirectory.map { $0 + "/lake.png" }
        guard let layoutPath else { throw Failure("cannot find samples/lake.png (pass --layout)") }
        let labels = try GenerateCommand.readLayout(layoutPath, palette: try PaletteOption.parse([]), generator: generator, modelPath: modelPath).labels
            .resized(width: size, height: size)
        let network = generator.network
        let (input, _) = try SemanticInput.padded(labels, palette: generator.palette, multiple: network.config.sizeMultiple)
        let style = network.styleCode(batch: 1, seed: 0)
        let noise = network.noise(batch: 1, seed: 0)
        let texture = network.textureNoise(batch: 1, height: input.height, width: input.width, seed: 0)
        var inputs: [(name: String, shape: [Int], values: [Float])] = [("layout", input.oneHot.shape, input.oneHot.values)]
        if let style { inputs.append(("style", style.shape, style.values)) }
        if let noise { inputs.append(("noise", [1, network.config.noiseChannels], noise.values)) }
        if let texture { inputs.append(("texture", texture.shape, texture.values)) }
        let path = directory + "/lggan.onnx"
        try AtomicFile.write(Data(network.onnxModel(palette: generator.palette).serialized), to: path)
        let name = (modelPath as NSString).lastPathComponent, layoutName = (layoutPath as NSString).lastPathComponent
        return Workload(key: "lggan", title: "LGGAN \(name) on \(layoutName) at \(input.width)x\(input.height), all views (\(network.parameterCount) parameters)",
                        onnxPath: path, inputs: inputs, comparedOutput: "fused",
                        ours: { network.forward(input, noise: noise, style: style, textureNoise: texture).fused })
    }
}
