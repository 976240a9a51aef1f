import Layouts

/// Undo and redo stacks of diffs. Every recorded step gets a serial number so
/// the editor can tell whether the layout equals the saved one (undoing back
/// to the saved state makes it clean again).
public struct EditHistory: Sendable {
    /// The issue asks for at least 200 steps; diffs are small, so keep more.
    public static let defaultDepth = 500

    public let depth: Int
    private var undoStack: [(serial: Int, edit: LayoutEdit)] = []
    private var redoStack: [(serial: Int, edit: LayoutEdit)] = []
    private var nextSerial = 1

    public init(depth: Int = EditHistory.defaultDepth) {
        precondition(depth > 0, "history depth must be positive")
        self.depth = depth
    }

    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }
    public var undoCount: Int { undoStack.count }
    public var redoCount: Int { redoStack.count }
    /// Serial of the newest applied step (0 when none): identifies the state.
    public var stateSerial: Int { undoStack.last?.serial ?? floorSerial }
    /// Serial of the newest step dropped off the bottom (0 when none was).
    private var floorSerial = 0

    /// Records an already applied edit; clears the redo stack. Empty edits are ignored.
    public mutating func record(_ edit: LayoutEdit) {
        guard !edit.isEmpty else { return }
        undoStack.append((nextSerial, edit))
        nextSerial += 1
        redoStack.removeAll()
        if undoStack.count > depth {
            let dropped = undoStack.count - depth
            floorSerial = undoStack[dropped - 1].serial
            undoStack.removeFirst(dropped)
        }
    }

    /// Reverts the newest step in `labels`; returns it, or nil when there is none.
    @discardableResult
    public mutating func undo(_ labels: inout LabelMap) -> LayoutEdit? {
        guard let top = undoStack.popLast() else { return nil }
        top.edit.revert(in: &labels)
        redoStack.append(top)
        return top.edit
    }

    @discardableResult
    public mutating func redo(_ labels: inout LabelMap) -> LayoutEdit? {
        guard let top = redoStack.popLast() else { return nil }
        top.edit.apply(to: &labels)
        undoStack.append(top)
        return top.edit
    }

    public mutating func clear() {
        undoStack.removeAll()
        redoStack.removeAll()
        floorSerial = nextSerial
        nextSerial += 1
    }
}
