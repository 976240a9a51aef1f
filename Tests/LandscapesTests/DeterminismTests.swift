import Landscapes
import Layouts
import XCTest

final class DeterminismTests: XCTestCase {
    let synthesizer = LandscapeSynthesizer()

    func testSameSeedGivesSameBytes() throws {
        for seed: UInt64 in [1, 42, 9001] {
            let a = synthesizer.pair(seed: seed, width: 64, height: 64)
            let b = synthesizer.pair(seed: seed, width: 64, height: 64)
            XCTAssertEqual(a.layout.labels, b.layout.labels)
            XCTAssertEqual(a.image.pixels, b.image.pixels)
            XCTAssertEqual(try LayoutFile.encode(a.layout), try LayoutFile.encode(b.layout))
            XCTAssertEqual(try a.image.pngData(), try b.image.pngData())
        }
    }

    func testDifferentSeedsGiveDifferentScenes() {
        let layouts = (0..<8).map { synthesizer.layout(seed: UInt64($0), width: 48, height: 48).labels }
        XCTAssertEqual(Set(layouts.map(\.ids)).count, layouts.count)
    }

    func testStyleSeedChangesTheImageButNotTheLayout() {
        let a = synthesizer.pair(seed: 5, width: 64, height: 64, styleSeed: 1)
        let b = synthesizer.pair(seed: 5, width: 64, height: 64, styleSeed: 2)
        XCTAssertEqual(a.layout.labels, b.layout.labels)
        XCTAssertNotEqual(a.image.pixels, b.image.pixels)
    }

    func testLayoutOnlyPathMatchesTheRenderedLayout() {
        for seed: UInt64 in [3, 4] {
            let pair = synthesizer.pair(seed: seed, width: 80, height: 40)
            XCTAssertEqual(pair.layout.labels, synthesizer.layout(seed: seed, width: 80, height: 40).labels)
        }
    }

    func testSceneIsResolutionIndependent() {
        // The same seed at two resolutions is the same scene: the small layout
        // agrees with the large one sampled at the same points.
        for seed: UInt64 in [7, 8, 9] {
            let small = synthesizer.layout(seed: seed, width: 64, height: 64).labels
            let large = synthesizer.layout(seed: seed, width: 192, height: 192).labels
            var agree = 0
            for y in 0..<64 { for x in 0..<64 where small[x, y] == large[3 * x + 1, 3 * y + 1] { agree += 1 } }
            XCTAssertGreaterThan(Double(agree) / 4096, 0.97, "seed \(seed)")
        }
    }
}
