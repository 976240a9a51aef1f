import Generation
import Layouts
import Models
import Tensor
import Training
import XCTest

/// Small made-up layouts and "photos" for model tests: a sky/ground split with
/// a lake, a tree and a small house, each class painted with its own colour
/// and a little deterministic texture.
enum SyntheticScenes {
    static let palette: Palette = try! Palette(name: "test-scenes", classes: [
        PaletteClass(id: 0, name: "sky", color: RGBColor(110, 170, 235)),
        PaletteClass(id: 1, name: "grass", color: RGBColor(105, 190, 70)),
        PaletteClass(id: 2, name: "water", color: RGBColor(40, 90, 200)),
        PaletteClass(id: 3, name: "tree", color: RGBColor(30, 105, 45)),
        PaletteClass(id: 7, name: "house", color: RGBColor(205, 70, 50)),
    ])

    /// Layout number k (k varies horizon, lake and object positions).
    static func layout(_ k: Int, width: Int = 32, height: Int = 32) -> LabelMap {
        var labels = LabelMap(width: width, height: height)
        let horizon = height * (3 + k % 3) / 8
        for y in 0..<height {
            for x in 0..<width {
                var id: UInt8 = y < horizon ? 0 : 1
                let lakeX = (x - width * (1 + k % 2) / 3), lakeY = (y - (horizon + height) / 2)
                if y >= horizon && lakeX * lakeX + 3 * lakeY * lakeY < width * width / 20 { id = 2 }
                let treeX = width * (k % 4 + 1) / 6
                if abs(x - treeX) <= 2 && y >= horizon - 6 && y < horizon + 2 { id = 3 }
                let houseX = width - 7 - k % 3
                if x >= houseX && x < houseX + 3 && y >= horizon - 3 && y < horizon { id = 7 }
                labels[x, y] = id
            }
        }
        return labels
    }

    /// The matching image: class colour + a per-class stripe texture.
    static func image(for labels: LabelMap) -> RGBImage {
        var image = RGBImage(width: labels.width, height: labels.height)
        for y in 0..<labels.height {
            for x in 0..<labels.width {
                let id = Int(labels[x, y])
                let c = palette.color(id: id)
                let texture = ((x + 2 * y + id) % 4 == 0) ? -25 : 10
                func shade(_ v: UInt8) -> UInt8 { UInt8(max(0, min(255, Int(v) + texture - y))) }
                image[x, y] = RGBColor(shade(c.r), shade(c.g), shade(c.b))
            }
        }
        return image
    }

    static func batch(_ ks: [Int], size: Int = 32) -> TrainingBatch {
        let layouts = ks.map { layout($0, width: size, height: size) }
        var indices: [Int] = []
        for l in layouts { indices += try! SemanticInput.indices(of: l, palette: palette) }
        let input = SemanticInput(indices: indices, batch: ks.count, height: size, width: size, classCount: palette.count)
        return TrainingBatch(input: input, real: TensorImages.tensor(layouts.map { image(for: $0) }))
    }
}

extension SyntheticScenes {
    /// Weights of a fresh network are tiny (gain 0.02); scaled up, an input's
    /// effect (a style code's, a seed's) is far above float noise, as in a trained model.
    static func amplified<Network: Module>(_ network: Network, by factor: Float = 25) -> Network {
        for (_, t) in network.namedParameters() {
            t.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] *= factor } }
        }
        return network
    }
}

extension SyntheticScenes {
    /// A seeded generator's fused, global and local views: the same seed gives
    /// the same bits, another seed changes every one of them (the seed reaches
    /// both branches: the global one through SPADE, the local one through f').
    static func assertSeedsChangeEveryBranch(_ generator: any SceneGenerator, layout: LabelMap,
                                             file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try generator.generate(layout, seed: 11, shouldCancel: { false })
        let again = try generator.generate(layout, seed: 11, shouldCancel: { false })
        let b = try generator.generate(layout, seed: 12, shouldCancel: { false })
        let views: [(String, RGBImage?, RGBImage?, RGBImage?)] = [
            ("fused", a.fused, again.fused, b.fused), ("global", a.global, again.global, b.global),
            ("local", a.local, again.local, b.local),
        ]
        for (view, x, y, z) in views {
            XCTAssertNotNil(x, view, file: file, line: line)
            XCTAssertEqual(x, y, "\(view): the same seed", file: file, line: line)
            XCTAssertNotEqual(x, z, "\(view): another seed", file: file, line: line)
        }
    }
}
