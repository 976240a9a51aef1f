import Datasets
import Foundation
import Landscapes
import Layouts
import XCTest

/// The painter-like sampler: deterministic per seed, every class at every scale
/// (down to a few pixels, up to most of the canvas), and painted splits that are
/// deterministic and resumable like the procedural ones.
final class PaintedLayoutTests: XCTestCase {
    static let layouts: [Layout] = {
        let synthesizer = PaintedSynthesizer()
        return (0..<300).map { synthesizer.layout(seed: 9000 + UInt64($0), width: 128, height: 128) }
    }()

    func testSameSeedSameLayoutAndImage() {
        let s = PaintedSynthesizer()
        let a = s.pair(seed: 42, width: 64, height: 64), b = s.pair(seed: 42, width: 64, height: 64)
        XCTAssertEqual(a.layout.labels, b.layout.labels)
        XCTAssertEqual(a.image, b.image)
        XCTAssertEqual(a.style, b.style)
        XCTAssertNotEqual(s.pair(seed: 43, width: 64, height: 64).layout.labels, a.layout.labels)
        // The layout alone is the render's layout.
        XCTAssertEqual(s.layout(seed: 42, width: 64, height: 64).labels, a.layout.labels)
        // Another style seed: same layout, another image.
        let restyled = s.pair(seed: 42, width: 64, height: 64, styleSeed: 5)
        XCTAssertEqual(restyled.layout.labels, a.layout.labels)
        XCTAssertNotEqual(restyled.image, a.image)
    }

    func testEveryRecipeAndClassOccurs() {
        var recipes = Set<PaintedRecipe>()
        let sampler = PaintedLayoutSampler()
        for seed in 0..<200 { recipes.insert(sampler.scene(seed: UInt64(seed), aspect: 1).recipe) }
        XCTAssertEqual(recipes, Set(PaintedRecipe.allCases))
        var images = [Int](repeating: 0, count: 15)
        for layout in Self.layouts { for (c, n) in layout.labels.histogram().enumerated() where n > 0 { images[c] += 1 } }
        for cls in LandscapeClass.allCases {
            XCTAssertGreaterThan(images[cls.id], Self.layouts.count / 10, "\(cls) is in only \(images[cls.id]) of \(Self.layouts.count) layouts")
        }
    }

    /// Classes from a few pixels to most of the canvas, and compositions the procedural
    /// world never makes: an object class over half the image, water with no shore.
    func testSizesFromAFewPixelsToTheWholeCanvas() {
        var tiny = Set<LandscapeClass>(), huge = Set<LandscapeClass>()
        var shoreless = 0
        for layout in Self.layouts {
            let labels = layout.labels
            let histogram = labels.histogram()
            for cls in LandscapeClass.allCases where histogram[cls.id] > 0 && histogram[cls.id] <= 4 { tiny.insert(cls) }
            for cls in LandscapeClass.allCases where Double(histogram[cls.id]) > 0.45 * Double(labels.ids.count) { huge.insert(cls) }
            if histogram[LandscapeClass.water.id] == labels.ids.count - histogram[LandscapeClass.boat.id] - histogram[LandscapeClass.rock.id]
                - histogram[LandscapeClass.tree.id] - histogram[LandscapeClass.sand.id] - histogram[LandscapeClass.grass.id] { shoreless += 1 }
        }
        XCTAssertGreaterThanOrEqual(tiny.count, 8, "classes seen at 1-4 pixels: \(tiny)")
        for cls in [LandscapeClass.house, .water, .flower, .rock, .grass] { XCTAssertTrue(huge.contains(cls), "\(cls) never covers half the canvas") }
        XCTAssertGreaterThan(shoreless, 0, "no lake without a shore")
    }

    /// The painted splits: the same command gives the same bytes, whatever the thread count.
    func testPaintedSplitIsDeterministic() throws {
        let base = NSTemporaryDirectory() + "painted-split-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        func make(_ name: String, jobs: Int) throws -> DatasetManifest {
            try DatasetSynthesis(directory: base + "/" + name, seed: 13, count: 6, width: 48, height: 48, split: "test-painted",
                                 jobs: jobs, mix: .painted).run()
        }
        let a = try make("a", jobs: 1), b = try make("b", jobs: 2)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.mix, "painted")
        XCTAssertEqual(a.compositions.values.reduce(0, +), 6)
        XCTAssertTrue(a.compositions.keys.allSatisfy { $0.hasPrefix("painted-") }, "\(a.compositions)")
        for i in 0..<6 {
            for path in [DatasetPaths.layout(base + "/a", index: i), DatasetPaths.image(base + "/a", index: i)] {
                XCTAssertEqual(FileManager.default.contents(atPath: path), FileManager.default.contents(atPath: path.replacingOccurrences(of: "/a/", with: "/b/")))
            }
        }
        // Another mix refuses to write into it.
        XCTAssertThrowsError(try DatasetSynthesis(directory: base + "/a", seed: 13, count: 6, width: 48, height: 48, split: "test-painted",
                                                  mix: LayoutMix(paintedShare: 0.5)).run())
    }

    func testMixDrawsBothSamplersInProportion() throws {
        let mix = try LayoutMix(parsing: "procedural=1,painted=3")
        XCTAssertEqual(mix.paintedShare, 0.75)
        XCTAssertEqual(mix.description, "procedural=0.25,painted=0.75")
        XCTAssertEqual(try LayoutMix(parsing: mix.description), mix)
        let painted = (0..<4000).filter { mix.isPainted(seed: SeededGenerator.derive(7, UInt64($0))) }.count
        XCTAssertEqual(Double(painted) / 4000, 0.75, accuracy: 0.03)
        XCTAssertEqual(try LayoutMix(parsing: "painted"), .painted)
        XCTAssertEqual(try LayoutMix(parsing: "procedural"), .procedural)
        for bad in ["", "painted=x", "drawn=1", "painted=-1", "painted=0,procedural=0", "painted,painted"] {
            XCTAssertThrowsError(try LayoutMix(parsing: bad), bad)
        }
        // A mixed dataset's pairs are exactly the pairs of the sampler each seed picks.
        let synthesizer = MixedSynthesizer(mix: mix)
        for seed in UInt64(0)..<6 {
            let pair = synthesizer.pair(seed: seed, width: 40, height: 40)
            if mix.isPainted(seed: seed) {
                XCTAssertEqual(pair.layout.labels, PaintedSynthesizer().pair(seed: seed, width: 40, height: 40).layout.labels)
            } else {
                XCTAssertEqual(pair.image, LandscapeSynthesizer().pair(seed: seed, width: 40, height: 40).image)
            }
            XCTAssertEqual(pair.kind, synthesizer.kind(seed: seed, width: 40, height: 40))
        }
    }
}
