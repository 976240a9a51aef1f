import Foundation

/// Wall time per op kind (convolutions by shape and kernel, norms, activations,
/// layout conversions) while a body runs: `bench generate --profile`. Off
/// (one task-local read per op) unless a profile is recording.
public final class OpProfile: @unchecked Sendable {
    @TaskLocal static var current: OpProfile?
    private let lock = NSLock()
    private var totals: [String: (nanoseconds: UInt64, calls: Int)] = [:]

    public init() {}

    /// Runs `body` with every instrumented op adding its time here.
    public func recording<R>(_ body: () throws -> R) rethrows -> R {
        try OpProfile.$current.withValue(self, operation: body)
    }

    /// Times `body` under `name` when a profile is recording.
    @inline(__always)
    package static func measure<R>(_ name: @autoclosure () -> String, _ body: () throws -> R) rethrows -> R {
        guard let profile = current else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { profile.add(name(), DispatchTime.now().uptimeNanoseconds - start) }
        return try body()
    }

    private func add(_ name: String, _ nanoseconds: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        let old = totals[name] ?? (0, 0)
        totals[name] = (old.nanoseconds + nanoseconds, old.calls + 1)
    }

    /// Every op kind with its total milliseconds and call count, the most expensive first.
    public var entries: [(name: String, milliseconds: Double, calls: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return totals.map { ($0.key, Double($0.value.nanoseconds) / 1e6, $0.value.calls) }
            .sorted { $0.milliseconds > $1.milliseconds }
    }
}
