import Editor
import Generation
import Layouts
import XCTest

/// Small fixtures shared by the editor tests.
enum Fixture {
    static let palette = try! Palette(name: "test", classes: [
        PaletteClass(id: 0, name: "sky", color: RGBColor(100, 150, 250)),
        PaletteClass(id: 1, name: "water", color: RGBColor(20, 60, 200)),
        PaletteClass(id: 2, name: "grass", color: RGBColor(40, 180, 40)),
        PaletteClass(id: 3, name: "house", color: RGBColor(200, 60, 40)),
    ])

    static func layout(_ rows: [String]) -> Layout {
        let ids = rows.flatMap { $0.map { UInt8(String($0))! } }
        return Layout(labels: LabelMap(width: rows[0].count, height: rows.count, ids: ids), palette: palette)
    }

    static func blank(_ w: Int, _ h: Int, fill: UInt8 = 0) -> Layout {
        Layout(labels: LabelMap(width: w, height: h, fill: fill), palette: palette)
    }

    /// The label map as rows of digits, for exact comparisons.
    static func rows(_ labels: LabelMap) -> [String] {
        (0..<labels.height).map { y in (0..<labels.width).map { String(labels[$0, y]) }.joined() }
    }

    /// Marks points on a w x h grid with "#".
    static func grid(_ points: [PixelPoint], _ w: Int, _ h: Int, dx: Int = 0, dy: Int = 0) -> [String] {
        var g = Array(repeating: Array(repeating: Character("."), count: w), count: h)
        for p in points { g[p.y + dy][p.x + dx] = "#" }
        return g.map { String($0) }
    }
}

/// A generator whose views are flat colours that tell them apart, and which
/// records its calls.
final class StubGenerator: SceneGenerator, @unchecked Sendable {
    let palette = Fixture.palette
    var hasNoiseInput: Bool { false }
    private let lock = NSLock()
    private var _calls = 0
    let delay: Double

    init(delay: Double = 0) { self.delay = delay }

    var calls: Int { lock.lock(); defer { lock.unlock() }; return _calls }

    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        lock.lock(); _calls += 1; lock.unlock()
        let end = Date().addingTimeInterval(delay)
        while Date() < end {
            if shouldCancel() { throw GenerationCancelled() }
            usleep(1000)
        }
        let w = labels.width, h = labels.height
        var outputs: [Int: RGBImage] = [:]
        for id in labels.idsPresent { outputs[id] = RGBImage(width: w, height: h, fill: RGBColor(UInt8(id * 50), 9, 9)) }
        return GeneratedViews(fused: RGBImage(width: w, height: h, fill: RGBColor(1, 1, 1)),
                              global: RGBImage(width: w, height: h, fill: RGBColor(2, 2, 2)),
                              local: RGBImage(width: w, height: h, fill: RGBColor(3, 3, 3)),
                              globalWeight: [Float](repeating: 0.25, count: w * h),
                              localWeight: [Float](repeating: 0.75, count: w * h),
                              classOutputs: outputs)
    }
}

/// A generator that always fails with "out of paint".
struct BrokenGenerator: SceneGenerator {
    struct OutOfPaint: Error, CustomStringConvertible { var description: String { "out of paint" } }
    let palette = Fixture.palette
    var hasNoiseInput: Bool { false }
    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        throw OutOfPaint()
    }
}
