import Support

/// A reference image's style as a model's style encoder reads it: the
/// posterior mean and log-variance of the style code. A seed draws a code from
/// it (mean + sigma * eps), so re-rolling under a style varies within it.
public struct StyleReference: Sendable, Equatable {
    public let mean: [Float]
    public let logVariance: [Float]
    /// Where it came from (a file name, for the status line and PNG metadata).
    public let source: String

    public init(mean: [Float], logVariance: [Float], source: String) {
        self.mean = mean
        self.logVariance = logVariance
        self.source = source
    }

    /// Sides a reference image may have; it is resampled to `encoderSide` square
    /// (the training crop size the encoder saw), so colour and light matter, not layout.
    public static let minimumSide = 32
    public static let maximumSide = 4096
    public static let encoderSide = 128
}

/// A reference image the style path cannot use.
public struct StyleReferenceError: UserFacingError, Equatable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): cannot use as a style reference: \(reason)" }
}

/// A generator that can take its look from a reference image (the editor's
/// style key): `styled` returns a generator whose seeds vary around that look.
public protocol StyleSwitching: SceneGenerator {
    /// The style in use (nil: seeds draw from the prior).
    var style: StyleReference? { get }
    /// This model with the style of the PNG at `path`, or without a style (nil).
    /// A bad file is one `StyleReferenceError` naming it.
    func styled(referencePath path: String?) throws -> any SceneGenerator
}
