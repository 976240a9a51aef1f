/// An error whose `description` is a complete, one-line message for the user:
/// what is wrong and where (file, entry, pixel). The CLI prints it as is.
public protocol UserFacingError: Error, CustomStringConvertible {}

/// A generic user-facing failure for places that need no structured cases.
public struct Failure: UserFacingError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
