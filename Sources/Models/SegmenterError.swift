import Support

/// Something about a segmenter (its configuration, checkpoint or inputs) is wrong.
public struct SegmenterError: UserFacingError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
