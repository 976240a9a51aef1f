import Layouts

/// Collects the pixels one stroke changes (a drag, a shape, a fill) so the
/// whole stroke becomes one undo step. A pixel painted twice in a stroke keeps
/// its first old id and its last new id.
public struct StrokeRecorder: Sendable {
    public let name: String
    private var slot: [Int32: Int] = [:]
    private var indices: [Int32] = []
    private var oldIDs: [UInt8] = []
    private var newIDs: [UInt8] = []

    public init(name: String) { self.name = name }

    /// Sets pixel `index` to `id` in `labels`, remembering the change.
    public mutating func set(_ index: Int, to id: UInt8, in labels: inout LabelMap) {
        let old = labels.ids[index]
        let key = Int32(index)
        if let s = slot[key] {
            newIDs[s] = id
        } else {
            guard old != id else { return }
            slot[key] = indices.count
            indices.append(key)
            oldIDs.append(old)
            newIDs.append(id)
        }
        labels.ids[index] = id
    }

    public var isEmpty: Bool { indices.isEmpty }

    /// The stroke as a diff, without pixels that ended where they started.
    public func finish() -> LayoutEdit {
        var keep: [Int32] = [], old: [UInt8] = [], new: [UInt8] = []
        for i in indices.indices where oldIDs[i] != newIDs[i] {
            keep.append(indices[i]); old.append(oldIDs[i]); new.append(newIDs[i])
        }
        return LayoutEdit(indices: keep, oldIDs: old, newIDs: new, name: name)
    }
}
