import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) and SIGTERM into a flag the training loop polls, so
/// it can finish the step, save a checkpoint and exit cleanly. The signals are
/// ignored at the process level and delivered through dispatch sources (no
/// global state, no work inside a signal handler). By default a second Ctrl-C
/// while the loop is saving is absorbed too.
public final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var raised: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "scenepaint.interrupts")

    /// `announcement`: written to stderr at the first signal. `exitCodeOnRepeat`:
    /// a second signal exits at once with this status instead of being absorbed
    /// (the checkpoint being written is then lost; writes are atomic, so the
    /// previous one stays intact).
    public init(signals: [Int32] = [SIGINT, SIGTERM], announcement: String? = nil, exitCodeOnRepeat: Int32? = nil) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.raise(number) {
                    if let announcement { FileHandle.standardError.write(Data((announcement + "\n").utf8)) }
                } else if let exitCodeOnRepeat {
                    _exit(exitCodeOnRepeat)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Marks an interrupt as received (also for tests); true for the first one.
    @discardableResult
    public func raise(_ number: Int32 = SIGINT) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard raised == nil else { return false }
        raised = number
        return true
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
