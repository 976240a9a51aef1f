import Foundation
import Models
import ONNX
import Support
import Tensor
import XCTest

/// The ONNX export of a texture-noise LGGAN (issues 11/15): a "texture" input
/// [batch, K, height, width], and every layer that reads the noise in the
/// engine (each SPADE's noise projection at its level of the pyramid, the local
/// generator's noise modulation at full resolution) reads it in the graph.
/// python/tests/test_onnx_export.py runs such a graph in ONNX Runtime against `generate`.
/// ECGAN's export reads it the same way in every backbone SPADE.
final class TextureNoiseONNXTests: XCTestCase {
    let palette = SyntheticScenes.palette

    func graph(textureNoise: Int) throws -> (ONNXGraph, LGGANConfig) {
        var config = LGGANConfig.tiny(classCount: palette.count)
        config.styleChannels = 3
        config.textureNoiseChannels = textureNoise
        let network = try LGGANNetwork(config: config, seed: 5)
        return (network.onnxModel(palette: palette).graph, config)
    }

    func testTheTextureInputIsDeclaredAfterTheStyleCode() throws {
        let (g, _) = try graph(textureNoise: 4)
        XCTAssertEqual(g.inputs.map(\.name), ["layout", "style", "texture"])
        XCTAssertEqual(g.inputs[2].dims, [.symbol("batch"), .size(4), .symbol("height"), .symbol("width")])
        XCTAssertEqual(try graph(textureNoise: 0).0.inputs.map(\.name), ["layout", "style"])
    }

    func testEveryNoiseLayerReadsTheTextureAtItsOwnResolution() throws {
        let (g, config) = try graph(textureNoise: 4)
        let read = try Self.textureReaders(g)
        // One projection per SPADE of the global generator (two per block, three with a learned shortcut), and the local modulation.
        let depth = config.globalDepth
        var expected = ["global.finalNorm.noiseProjection/Conv": 1, "local.noiseModulation/Conv": 1]
        for i in 0 ..< depth {
            let level = 1 << (depth - i), fin = config.width(level: depth - i), fout = config.width(level: max(1, depth - i - 1))
            for norm in ["norm0", "norm1"] + (fin != fout ? ["normShortcut"] : []) {
                expected["global.blocks.\(i).\(norm).noiseProjection/Conv"] = level
            }
        }
        XCTAssertEqual(read, expected)
    }

    /// ECGAN's export (the same mechanism): the "texture" input after the style
    /// code, and every SPADE of the backbone reads it at its own resolution.
    func testECGANsBackboneReadsTheTextureAtEveryLevel() throws {
        var config = ECGANConfig.tiny(classCount: palette.count)
        config.styleChannels = 3
        config.textureNoiseChannels = 4
        let network = try ECGANNetwork(config: config, seed: 5)
        let g = network.onnxModel(palette: palette).graph
        XCTAssertEqual(g.inputs.map(\.name), ["layout", "style", "texture"])
        XCTAssertEqual(g.inputs[2].dims, [.symbol("batch"), .size(4), .symbol("height"), .symbol("width")])
        let spades = network.stateDict().keys.filter { $0.hasSuffix("noiseProjection.weight") }
        let read = try Self.textureReaders(g)
        XCTAssertEqual(Set(read.keys), Set(spades.map { $0.replacingOccurrences(of: ".weight", with: "/Conv") }))
        XCTAssertEqual(read["backbone.finalNorm.noiseProjection/Conv"], 1)
        let depth = config.globalDepth
        for i in 0 ..< depth { XCTAssertEqual(read["backbone.blocks.\(i).norm0.noiseProjection/Conv"], 1 << (depth - i)) }
        config.textureNoiseChannels = 0
        XCTAssertEqual(try ECGANNetwork(config: config).onnxModel(palette: palette).graph.inputs.map(\.name), ["layout", "style"])
    }

    /// The Conv nodes that read the texture map, each with the map's downsampling factor there.
    static func textureReaders(_ g: ONNXGraph) throws -> [String: Int] {
        // The downsampling factor of each tensor made from "texture" (Resize by 1/2^k; the map itself: 1).
        var factor = ["texture": 1]
        for node in g.nodes where node.opType == "Resize" && node.inputs[0] == "texture" {
            let scales = try XCTUnwrap(g.initializers.first { $0.name == node.inputs[2] })
            let values = scales.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            XCTAssertEqual(values[0 ..< 2], [1, 1])
            XCTAssertEqual(values[2], values[3])
            factor[node.outputs[0]] = Int((1 / values[2]).rounded())
            let modes = node.attributes.compactMap { a -> String? in
                if case .string(let v) = a.value { return "\(a.name)=\(v)" } else { return nil }
            }
            XCTAssertEqual(Set(modes), ["mode=nearest", "coordinate_transformation_mode=asymmetric", "nearest_mode=floor"],
                           "the top-left pixel of each block, as resizeNearest")
        }
        let readers = g.nodes.filter { $0.opType == "Conv" && $0.inputs.contains { factor[$0] != nil } }
        var read: [String: Int] = [:]
        for node in readers { read[node.name] = factor[node.inputs[0]] }
        return read
    }
}
