import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) and SIGTERM into a flag the training loop polls, so
/// it can finish the step, save a checkpoint and exit cleanly. The signals are
/// ignored at the process level and delivered through dispatch sources (no
/// global state, no work inside a signal handler). A second Ctrl-C while the
/// loop is saving is absorbed too.
public final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var raised: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "scenepaint.interrupts")

    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.raise(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Marks an interrupt as received (also for tests).
    public func raise(_ number: Int32 = SIGINT) {
        lock.lock()
        if raised == nil { raised = number }
        lock.unlock()
    }

    /// The signal received, if any.
    public var signalReceived: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    public var isInterrupted: Bool { signalReceived != nil }

    deinit {
        for s in sources { s.cancel() }
    }
}
