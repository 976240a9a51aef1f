/// Whether ops record the graph for backward. Scoped per task/thread (a task
/// local, not a global), so an editor's inference thread can run without grad
/// while a training loop elsewhere records.
public enum GradMode {
    @TaskLocal static var enabled = true

    /// True when ops currently record what backward needs.
    public static var isEnabled: Bool { enabled }

    /// Runs `body` recording nothing for backward: inference allocates no graph.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(false, operation: body)
    }

    /// Runs `body` with recording switched back on (inside a `withoutGrad`).
    public static func withGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(true, operation: body)
    }
}
