import Datasets
import Dispatch
import Foundation
import Layouts
import Support

/// The real spread of styles: `layouts` procedural layouts, each rendered
/// under `styles` style seeds (time of day, season, weather, sun), written as
/// ordinary pairs NNNNNN.png where pairs k*styles ..< (k+1)*styles share one
/// layout. `scenepaint eval --style-spread DIR` measures how far apart the
/// renders of one layout are, next to how far apart a model's images under
/// different seeds are (docs/models.md, diversity).
public struct StyleSpreadSet: Sendable {
    public var directory: String
    public var seed: UInt64
    public var layouts: Int
    public var styles: Int
    public var width: Int
    public var height: Int

    public init(directory: String, seed: UInt64, layouts: Int, styles: Int, width: Int, height: Int) {
        self.directory = directory
        self.seed = seed
        self.layouts = layouts
        self.styles = styles
        self.width = width
        self.height = height
    }

    /// Writes every pair (deterministic per seed); returns the number written.
    @discardableResult
    public func run(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, progress: @escaping @Sendable (Int) -> Void = { _ in }) throws -> Int {
        guard layouts >= 1, styles >= 2 else { throw Failure("a style spread needs at least 1 layout and 2 styles per layout") }
        guard (16...4096).contains(width), (16...4096).contains(height) else { throw Failure("--size \(width)x\(height) is outside 16x16 ... 4096x4096") }
        try AtomicFile.ensureDirectory(directory + "/layouts")
        try AtomicFile.ensureDirectory(directory + "/images")
        let synthesizer = LandscapeSynthesizer()
        let total = layouts * styles
        let counter = SpreadCounter()
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, jobs)) { worker in
            var index = worker
            while index < total {
                let sceneSeed = SeededGenerator.derive(seed, UInt64(index / styles))
                let styleSeed = SeededGenerator.derive(sceneSeed, 0x5717_1E00 &+ UInt64(index % styles))
                let pair = synthesizer.pair(seed: sceneSeed, width: width, height: height, styleSeed: styleSeed)
                do {
                    try pair.image.write(path: DatasetPaths.image(directory, index: index))
                    try LayoutFile.write(pair.layout, to: DatasetPaths.layout(directory, index: index))
                } catch {
                    counter.fail(error)
                }
                progress(counter.increment())
                index += Swift.max(1, jobs)
            }
        }
        if let failure = counter.failure { throw failure }
        return total
    }
}

private final class SpreadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var firstError: Error?
    func increment() -> Int { lock.withLock { done += 1; return done } }
    func fail(_ error: Error) { lock.withLock { firstError = firstError ?? error } }
    var failure: Error? { lock.withLock { firstError } }
}
