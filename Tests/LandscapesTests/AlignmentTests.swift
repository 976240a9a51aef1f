import Landscapes
import Layouts
import XCTest

/// The render agrees with the layout: each class's region has that class's colour statistics.
final class AlignmentTests: XCTestCase {
    struct Stats { var r = 0.0, g = 0.0, b = 0.0, n = 0
        var luma: Double { (0.3 * r + 0.59 * g + 0.11 * b) }
    }

    static let pairs: [LandscapePair] = {
        let synthesizer = LandscapeSynthesizer()
        return (0..<60).map { synthesizer.pair(seed: 500 + UInt64($0), width: 96, height: 96) }
    }()

    static func stats(_ pair: LandscapePair) -> [LandscapeClass: Stats] {
        var sums = [Stats](repeating: Stats(), count: 15)
        let labels = pair.layout.labels
        for i in 0..<labels.ids.count {
            let c = Int(labels.ids[i])
            sums[c].r += Double(pair.image.pixels[3 * i]); sums[c].g += Double(pair.image.pixels[3 * i + 1])
            sums[c].b += Double(pair.image.pixels[3 * i + 2]); sums[c].n += 1
        }
        var out: [LandscapeClass: Stats] = [:]
        for cls in LandscapeClass.allCases where sums[cls.id].n >= 30 {
            let s = sums[cls.id], n = Double(s.n)
            out[cls] = Stats(r: s.r / n, g: s.g / n, b: s.b / n, n: s.n)
        }
        return out
    }

    /// Checks `holds` on every pair that has both classes; it must hold in `fraction` of them.
    func check(_ a: LandscapeClass, _ b: LandscapeClass, fraction: Double, _ what: String,
               _ holds: (Stats, Stats) -> Bool) {
        var tried = 0, passed = 0
        for pair in Self.pairs {
            let s = Self.stats(pair)
            guard let sa = s[a], let sb = s[b] else { continue }
            tried += 1
            if holds(sa, sb) { passed += 1 }
        }
        XCTAssertGreaterThan(tried, 5, "too few images with both \(a) and \(b)")
        XCTAssertGreaterThanOrEqual(Double(passed) / Double(max(tried, 1)), fraction, "\(what): \(passed)/\(tried)")
    }

    func testSkyIsBluerThanGrass() {
        check(.sky, .grass, fraction: 0.95, "sky bluer than grass") { sky, grass in sky.b - sky.g > grass.b - grass.g }
    }

    func testGrassIsGreenOrStraw() {
        check(.grass, .sky, fraction: 0.95, "grass greener than blue") { grass, _ in grass.g > grass.b }
    }

    func testTreesAreDarkerThanSky() {
        check(.tree, .sky, fraction: 0.95, "trees darker than sky") { tree, sky in tree.luma < sky.luma }
    }

    func testSnowIsBrighterThanTrees() {
        check(.snow, .tree, fraction: 0.95, "snow brighter than trees") { snow, tree in snow.luma > tree.luma + 30 }
    }

    func testWaterIsBluerThanGrass() {
        check(.water, .grass, fraction: 0.9, "water bluer than grass") { water, grass in water.b - water.g > grass.b - grass.g }
    }

    func testSandIsWarmerThanWater() {
        check(.sand, .water, fraction: 0.9, "sand warmer than water") { sand, water in sand.r - sand.b > water.r - water.b }
    }

    func testCloudsAreLessSaturatedThanSky() {
        check(.cloud, .sky, fraction: 0.85, "clouds greyer than sky") { cloud, sky in
            (cloud.b - cloud.r) < (sky.b - sky.r)
        }
    }

    func testRoadIsGreyerThanGrass() {
        check(.road, .grass, fraction: 0.9, "road greyer than grass") { road, grass in
            abs(road.g - (road.r + road.b) / 2) < grass.g - (grass.r + grass.b) / 2
        }
    }
}
