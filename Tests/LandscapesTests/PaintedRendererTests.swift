import Landscapes
import Layouts
import XCTest

/// The mask renderer draws every class inside any mask as that class: its pixels are
/// shaded by that class's material alone (whatever lies around the mask), with that
/// class's colour statistics and cues, and water mirrors what stands above it.
final class PaintedRendererTests: XCTestCase {
    static let size = 96
    static let noon = RenderStyle(timeOfDay: .noon, season: .summer, weather: .clear, sunAzimuth: 1.2, sunElevation: 0.9, seed: 5)

    /// Masks a person might paint: a blob, a box, a thick and a one-pixel stroke, scattered dots.
    static let masks: [(String, (Int, Int) -> Bool)] = [
        ("blob", { x, y in let dx = Double(x - 48), dy = Double(y - 60); return dx * dx + dy * dy * 1.6 < 900 + 200 * sin(Double(x) * 0.4) }),
        ("box", { x, y in x >= 20 && x < 80 && y >= 35 && y < 90 }),
        ("canvas-wide", { _, y in y >= 12 }),
        ("stroke", { x, y in abs((y - 50) - (x - 48) / 2) <= 2 && x > 5 && x < 90 }),
        ("one-pixel line", { x, y in y == 70 && x > 10 && x < 86 }),
        ("dots", { x, y in x % 9 == 4 && y % 7 == 3 && y > 40 }),
    ]

    static func layout(_ cls: LandscapeClass, on background: LandscapeClass, mask: (Int, Int) -> Bool) -> LabelMap {
        var labels = LabelMap(width: size, height: size, fill: background.rawValue)
        for y in 0..<size { for x in 0..<size where mask(x, y) { labels.ids[y * size + x] = cls.rawValue } }
        return labels
    }

    static func render(_ labels: LabelMap, style: RenderStyle = noon) -> RGBImage {
        PaintedRenderer().render(layout: labels, style: style, horizon: 0.35).image
    }

    struct Stats {
        var r = 0.0, g = 0.0, b = 0.0, lumaSpread = 0.0, n = 0
        var luma: Double { 0.3 * r + 0.59 * g + 0.11 * b }
        var chroma: Double { max(r, g, b) - min(r, g, b) }
    }

    static func stats(_ image: RGBImage, _ labels: LabelMap, _ cls: LandscapeClass) -> Stats {
        var s = Stats()
        var lumas: [Double] = []
        for i in 0..<labels.ids.count where labels.ids[i] == cls.rawValue {
            let r = Double(image.pixels[3 * i]), g = Double(image.pixels[3 * i + 1]), b = Double(image.pixels[3 * i + 2])
            s.r += r; s.g += g; s.b += b; s.n += 1
            lumas.append(0.3 * r + 0.59 * g + 0.11 * b)
        }
        let n = Double(max(s.n, 1))
        s.r /= n; s.g /= n; s.b /= n
        let mean = lumas.reduce(0, +) / n
        s.lumaSpread = (lumas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        return s
    }

    /// Every pixel of a mask is shaded by its own class: changing what is painted
    /// around the mask changes none of them (water excepted: it mirrors its surroundings).
    func testMaskPixelsDependOnlyOnTheirClass() {
        for cls in LandscapeClass.allCases where cls != .water {
            let (b1, b2): (LandscapeClass, LandscapeClass) = cls == .grass || cls == .sand || cls == .snow ? (.tree, .road) : (.grass, .sand)
            for (name, mask) in Self.masks {
                let l1 = Self.layout(cls, on: b1, mask: mask), l2 = Self.layout(cls, on: b2, mask: mask)
                let i1 = Self.render(l1), i2 = Self.render(l2)
                var differing = 0, total = 0
                for i in 0..<l1.ids.count where l1.ids[i] == cls.rawValue {
                    total += 1
                    if i1.pixels[3 * i..<3 * i + 3] != i2.pixels[3 * i..<3 * i + 3] { differing += 1 }
                }
                XCTAssertGreaterThan(total, 0, "\(cls) \(name): empty mask")
                XCTAssertEqual(differing, 0, "\(cls) in a \(name) mask: \(differing) of \(total) pixels change with the background")
            }
        }
    }

    /// The rendered layout is the painted one, pixel for pixel, one-pixel classes included.
    func testRenderKeepsTheLayoutAndAOnePixelClass() {
        var labels = Self.layout(.house, on: .grass, mask: Self.masks[1].1)
        labels.ids[10 * Self.size + 10] = LandscapeClass.boat.rawValue
        labels.ids[11 * Self.size + 70] = LandscapeClass.flower.rawValue
        let rendered = PaintedRenderer().render(layout: labels, style: Self.noon)
        XCTAssertEqual(rendered.labels, labels)
        XCTAssertEqual(rendered.labels.histogram()[LandscapeClass.boat.id], 1)
    }

    /// Colour statistics of each class inside masks of every shape, on a summer noon.
    func testEachClassReadsAsItself() {
        typealias Check = (String, (Stats) -> Bool)
        let checks: [LandscapeClass: Check] = [
            .sky: ("blue", { $0.b > $0.r + 30 && $0.b >= $0.g }),
            .cloud: ("bright grey-white", { $0.luma > 150 && $0.chroma < 60 }),
            .mountain: ("grey or blue-grey rock", { $0.chroma < 70 && $0.luma > 50 && $0.luma < 200 }),
            .snow: ("bright white", { $0.luma > 170 && $0.chroma < 45 }),
            .rock: ("grey-brown stone", { $0.chroma < 50 && $0.luma > 30 && $0.luma < 170 }),
            .grass: ("green", { $0.g > $0.r && $0.g > $0.b + 20 }),
            .tree: ("dark green", { $0.g > $0.b && $0.g >= $0.r && $0.luma < 110 }),
            .bush: ("green", { $0.g > $0.b + 15 }),
            .water: ("blue", { $0.b > $0.r + 10 }),
            .sand: ("pale yellow-brown", { $0.r > $0.g && $0.g > $0.b && $0.luma > 140 }),
            .road: ("grey or brown, darkish", { $0.chroma < 60 && $0.luma < 150 }),
            .fence: ("wood or paint: no blue cast", { $0.r + 5 >= $0.b }),
        ]
        for cls in LandscapeClass.allCases {
            guard let (what, holds) = checks[cls] else { continue }
            for (name, mask) in Self.masks {
                let background: LandscapeClass = cls == .sky ? .grass : .sky
                let labels = Self.layout(cls, on: background, mask: mask)
                let s = Self.stats(Self.render(labels), labels, cls)
                XCTAssertTrue(holds(s), "\(cls) in a \(name) mask is not \(what): mean rgb \(Int(s.r)),\(Int(s.g)),\(Int(s.b))")
            }
        }
    }

    /// The cues of the classes that are more than a colour, in large masks.
    func testLargeMasksCarryTheirCues() {
        let box = Self.masks[1].1
        // Houses: a roof band along the top that differs from the walls, and windows (dark spots) in the walls.
        let house = Self.layout(.house, on: .sky, mask: box)
        let image = Self.render(house)
        func rowMean(_ y0: Int, _ y1: Int) -> Double {
            var sum = 0.0, n = 0.0
            for y in y0..<y1 { for x in 24..<76 { let i = y * Self.size + x; sum += Double(image.pixels[3 * i]) + Double(image.pixels[3 * i + 1]) + Double(image.pixels[3 * i + 2]); n += 3 } }
            return sum / n
        }
        XCTAssertGreaterThan(abs(rowMean(36, 44) - rowMean(60, 80)), 15, "no roof along the house's top edge")
        XCTAssertGreaterThan(Self.stats(image, house, .house).lumaSpread, 20, "house walls without windows")
        // Rocks are lit lumps (bright and dark sides), flowers many coloured blooms, fences boards.
        // (Spread relative to the mean: dark materials have small absolute spreads.)
        for (cls, spread) in [(LandscapeClass.rock, 0.2), (.flower, 0.25), (.fence, 0.15), (.tree, 0.15), (.bush, 0.15)] {
            let labels = Self.layout(cls, on: .sky, mask: box)
            let s = Self.stats(Self.render(labels), labels, cls)
            XCTAssertGreaterThan(s.lumaSpread / s.luma, spread, "\(cls) in a box is flat (luma \(s.luma) +- \(s.lumaSpread))")
        }
        let flowers = Self.layout(.flower, on: .sky, mask: Self.masks[2].1)
        let flowerImage = Self.render(flowers)
        var blooms = 0, total = 0
        for i in 0..<flowers.ids.count where flowers.ids[i] == LandscapeClass.flower.rawValue {
            total += 1
            let r = Int(flowerImage.pixels[3 * i]), g = Int(flowerImage.pixels[3 * i + 1]), b = Int(flowerImage.pixels[3 * i + 2])
            if max(r, b) > g + 20 || (r > 200 && g > 200) { blooms += 1 }   // red, pink, purple, blue, orange, yellow or white
        }
        XCTAssertGreaterThan(Double(blooms) / Double(total), 0.15, "a flower field without blooms")
        XCTAssertLessThan(Double(blooms) / Double(total), 0.9, "blooms without grass between them")
    }

    /// Water mirrors what stands above its top edge: under a house it is not sky-blue.
    func testWaterReflectsWhatIsAbove() {
        var labels = LabelMap(width: Self.size, height: Self.size, fill: LandscapeClass.sky.rawValue)
        for y in 40..<Self.size { for x in 0..<Self.size { labels.ids[y * Self.size + x] = LandscapeClass.water.rawValue } }
        for y in 10..<40 { for x in 30..<50 { labels.ids[y * Self.size + x] = LandscapeClass.tree.rawValue } }
        let image = Self.render(labels)
        func mean(_ x0: Int, _ x1: Int) -> SIMD3<Double> {
            var s = SIMD3<Double>(0, 0, 0)
            for y in 41..<50 { for x in x0..<x1 { let i = y * Self.size + x; s += SIMD3(Double(image.pixels[3 * i]), Double(image.pixels[3 * i + 1]), Double(image.pixels[3 * i + 2])) } }
            return s / Double(9 * (x1 - x0))
        }
        let underTree = mean(34, 46), open = mean(70, 90)
        XCTAssertLessThan(underTree.x + underTree.y + underTree.z, (open.x + open.y + open.z) * 0.8, "the tree does not darken the water below it")
        XCTAssertGreaterThan(open.z, open.x, "open water does not mirror the blue sky")
    }

    /// The style changes the image, never the layout; the same style gives the same bytes.
    func testRenderIsDeterministicPerStyle() {
        let labels = Self.layout(.rock, on: .grass, mask: Self.masks[0].1)
        let a = PaintedRenderer().render(layout: labels, style: Self.noon)
        let b = PaintedRenderer().render(layout: labels, style: Self.noon)
        XCTAssertEqual(a.image, b.image)
        let dusk = PaintedRenderer().render(layout: labels, style: RenderStyle.random(seed: 77, winter: false))
        XCTAssertEqual(dusk.labels, a.labels)
        XCTAssertNotEqual(dusk.image, a.image)
    }
}
