import Landscapes
import Layouts
import XCTest

/// Class statistics over a batch of layouts. The ranges are the ones stated in
/// docs/dataset.md; a sampler change that leaves them fails here.
final class LayoutStatisticsTests: XCTestCase {
    static let batch: [LabelMap] = {
        let synthesizer = LandscapeSynthesizer()
        return (0..<300).map { synthesizer.layout(seed: 10_000 + UInt64($0), width: 64, height: 64).labels }
    }()

    func testEveryPixelIsAPaletteClass() {
        let palette = LandscapeClass.palette
        for labels in Self.batch {
            for id in labels.idsPresent { XCTAssertTrue(palette.contains(id: id), "id \(id)") }
        }
    }

    func testClassFrequenciesAreInTheirRanges() {
        var pixels = [Double](repeating: 0, count: 15), images = [Double](repeating: 0, count: 15)
        for labels in Self.batch {
            let h = labels.histogram()
            for c in 0..<15 {
                pixels[c] += Double(h[c]) / Double(labels.ids.count)
                if h[c] > 0 { images[c] += 1 }
            }
        }
        let n = Double(Self.batch.count)
        let share = pixels.map { $0 / n }, presence = images.map { $0 / n }
        let ranges: [LandscapeClass: ClosedRange<Double>] = [
            .sky: 0.2...0.4, .cloud: 0.01...0.06, .mountain: 0.01...0.06, .snow: 0.01...0.06, .rock: 0.005...0.04,
            .grass: 0.15...0.35, .tree: 0.1...0.26, .bush: 0.01...0.05, .water: 0.04...0.14, .sand: 0.008...0.04,
            .road: 0.008...0.04,
            // The small objects: under 2% of pixels each on average.
            .flower: 0.002...0.02, .house: 0.003...0.02, .fence: 0.0005...0.02, .boat: 0.0005...0.02,
        ]
        for cls in LandscapeClass.allCases {
            XCTAssertTrue(ranges[cls]!.contains(share[cls.id]), "\(cls): \(share[cls.id]) outside \(ranges[cls]!)")
            XCTAssertGreaterThan(presence[cls.id], 0.1, "\(cls) appears in too few layouts")
        }
        XCTAssertGreaterThanOrEqual(LandscapeClass.smallObjects.filter { share[$0.id] < 0.02 }.count, 3)
    }

    func testEachCompositionHasItsDefiningClass() {
        let synthesizer = LandscapeSynthesizer()
        let defining: [Composition: [LandscapeClass]] = [
            .lake: [.water, .sky], .mountains: [.mountain, .grass], .village: [.grass, .house], .beach: [.water, .sand],
            .forest: [.tree, .grass], .riverValley: [.water, .grass], .harbour: [.water, .boat, .house], .winter: [.snow, .tree],
        ]
        for (composition, classes) in defining {
            for seed: UInt64 in 0..<6 {
                let labels = synthesizer.layout(seed: seed, width: 96, height: 96, composition: composition).labels
                let h = labels.histogram()
                for cls in classes { XCTAssertGreaterThan(h[cls.id], 0, "\(composition) seed \(seed) lacks \(cls)") }
            }
        }
    }

    func testWideLayoutsWork() {
        let synthesizer = LandscapeSynthesizer()
        let layout = synthesizer.layout(seed: 77, width: 128, height: 64)
        XCTAssertEqual(layout.width, 128)
        XCTAssertEqual(layout.height, 64)
        XCTAssertGreaterThan(layout.labels.idsPresent.count, 3)
    }
}
