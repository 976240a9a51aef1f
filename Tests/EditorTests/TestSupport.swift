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

/// A generator whose views are flat colours that tell them apart (the class
/// outputs name the classes present), and which records its calls.
final class StubGenerator: SceneGenerator, @unchecked Sendable {
    let palette = Fixture.palette
    var hasNoiseInput: Bool { false }
    private let lock = NSLock()
    private var _calls = 0

    var calls: Int { lock.lock(); defer { lock.unlock() }; return _calls }

    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        lock.lock(); _calls += 1; lock.unlock()
        return Self.views(of: labels)
    }

    static func views(of labels: LabelMap) -> GeneratedViews {
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

/// A generator the test steps by hand: each generation starts, then waits
/// until `release()` lets it finish, asking `shouldCancel` once on its way
/// out (as the real ones do between stages). With a ManualClock the test
/// decides how long the generation "took" by advancing the clock meanwhile.
final class SteppedGenerator: SceneGenerator, @unchecked Sendable {
    let palette = Fixture.palette
    var hasNoiseInput: Bool { false }
    private let state = NSCondition()
    private var started = 0
    private var released = 0
    private var open = false

    var calls: Int { state.lock(); defer { state.unlock() }; return started }

    func generate(_ labels: LabelMap, seed: UInt64, shouldCancel: @Sendable () -> Bool) throws -> GeneratedViews {
        state.lock()
        started += 1
        let number = started
        state.broadcast()
        while !open && released < number { state.wait() }
        state.unlock()
        if shouldCancel() { throw GenerationCancelled() }
        return StubGenerator.views(of: labels)
    }

    /// Blocks until `count` generations have started (false after 10 s: the test fails, it does not hang).
    @discardableResult
    func waitForStart(_ count: Int) -> Bool {
        state.lock()
        defer { state.unlock() }
        let deadline = Date(timeIntervalSinceNow: 10)
        while started < count {
            if !state.wait(until: deadline) { XCTFail("generation \(count) never started"); return false }
        }
        return true
    }

    /// Lets the oldest generation not yet released finish.
    func release() {
        state.lock()
        released += 1
        state.broadcast()
        state.unlock()
    }

    /// From now on every generation finishes at once.
    func releaseAll() {
        state.lock()
        open = true
        state.broadcast()
        state.unlock()
    }
}

/// A clock that moves only when the test advances it, so the scheduler's
/// debounce, display grace and generation times are exact and nothing sleeps.
final class ManualClock: SchedulerClock, @unchecked Sendable {
    private let state = NSCondition()
    private var time = 0.0
    private var nextToken = 0
    private var sleepers: [Int: (condition: NSCondition, deadline: Double)] = [:]

    func now() -> Double {
        state.lock()
        defer { state.unlock() }
        return time
    }

    func wait(on condition: NSCondition, until deadline: Double) {
        state.lock()
        guard time < deadline else { state.unlock(); return }
        let token = nextToken
        nextToken += 1
        sleepers[token] = (condition, deadline)
        state.broadcast()
        state.unlock()
        // The caller still holds `condition`: an `advance` that would wake it
        // blocks on that lock until this wait has begun, so no wake-up is lost.
        condition.wait()
        state.lock()
        sleepers[token] = nil
        state.unlock()
    }

    /// Moves the time on and wakes whoever waits for a moment now past.
    func advance(by seconds: Double) {
        state.lock()
        time += seconds
        let due = sleepers.values.filter { $0.deadline <= time }.map(\.condition)
        state.unlock()
        for condition in due {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Blocks until a thread waits on this clock for a moment still ahead, and returns that moment
    /// (nil after 10 s of real time).
    func sleeperDeadline() -> Double? {
        state.lock()
        defer { state.unlock() }
        let limit = Date(timeIntervalSinceNow: 10)
        while true {
            if let soonest = sleepers.values.map(\.deadline).filter({ $0 > time }).min() { return soonest }
            if !state.wait(until: limit) { return nil }
        }
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
