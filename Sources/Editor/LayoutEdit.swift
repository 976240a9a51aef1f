import Layouts

/// One undoable step stored as a diff: the pixels it changed with their ids
/// before and after. Cost follows the painted area, not the layout size.
public struct LayoutEdit: Equatable, Sendable {
    /// Pixel indices (y * width + x), each at most once.
    public let indices: [Int32]
    public let oldIDs: [UInt8]
    public let newIDs: [UInt8]
    /// What the step was, for the status line ("brush", "fill", ...).
    public let name: String

    public init(indices: [Int32], oldIDs: [UInt8], newIDs: [UInt8], name: String) {
        precondition(indices.count == oldIDs.count && indices.count == newIDs.count, "edit arrays differ in length")
        self.indices = indices
        self.oldIDs = oldIDs
        self.newIDs = newIDs
        self.name = name
    }

    public var pixelCount: Int { indices.count }
    public var isEmpty: Bool { indices.isEmpty }

    public func apply(to labels: inout LabelMap) {
        for (i, index) in indices.enumerated() { labels.ids[Int(index)] = newIDs[i] }
    }

    public func revert(in labels: inout LabelMap) {
        for (i, index) in indices.enumerated() { labels.ids[Int(index)] = oldIDs[i] }
    }
}
