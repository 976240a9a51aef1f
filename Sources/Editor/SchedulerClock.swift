import Foundation

/// The time PreviewScheduler reads and waits on: the system's uptime in the
/// editor, a clock the test moves by hand in the tests (so they never sleep).
public protocol SchedulerClock: Sendable {
    /// Seconds on this clock (monotonic; only differences mean anything).
    func now() -> Double
    /// Waits on `condition`, which the caller holds locked, until it is
    /// signalled or this clock reaches `deadline` (a spurious return is fine:
    /// the caller looks again).
    func wait(on condition: NSCondition, until deadline: Double)
}

/// Seconds since boot (`systemUptime`): what the editor runs on.
public struct UptimeClock: SchedulerClock {
    public init() {}

    public func now() -> Double { ProcessInfo.processInfo.systemUptime }

    public func wait(on condition: NSCondition, until deadline: Double) {
        _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, deadline - now())))
    }
}
