import Datasets
import Dispatch
import Foundation
import Layouts
import Support

/// Writes a dataset of layout/image pairs: layouts/NNNNNN.png (indexed, landscape
/// palette), images/NNNNNN.png and manifest.json. Deterministic per seed, split and
/// size; pairs already on disk are kept (a stopped run continues where it stopped).
public struct DatasetSynthesis: Sendable {
    public var directory: String
    public var seed: UInt64
    public var count: Int
    public var width: Int
    public var height: Int
    public var split: String?
    public var jobs: Int
    /// zlib level for the PNGs: 1 is several times faster than 6 and only a little larger.
    public var compressionLevel: Int
    public var supersampling: Int

    public init(directory: String, seed: UInt64, count: Int, width: Int, height: Int, split: String? = nil,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, compressionLevel: Int = 1, supersampling: Int = 3) {
        self.directory = directory
        self.seed = seed
        self.count = count
        self.width = width
        self.height = height
        self.split = split
        self.jobs = max(1, jobs)
        self.compressionLevel = compressionLevel
        self.supersampling = supersampling
    }

    /// The seed of pair `index`: splits with the same --seed still get disjoint pairs.
    public func itemSeed(_ index: Int) -> UInt64 {
        var salt: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (split ?? "").utf8 { salt = (salt ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return SeededGenerator.derive(SeededGenerator.derive(seed, salt), UInt64(index))
    }

    /// Progress: (pairs done, pairs total, pairs written by this run).
    public typealias Progress = @Sendable (Int, Int, Int) -> Void

    @discardableResult
    public func run(progress: Progress? = nil) throws -> DatasetManifest {
        guard count > 0 else { throw Failure("--count must be at least 1") }
        guard width >= 16 && height >= 16 && width <= 4096 && height <= 4096 else {
            throw Failure("--size \(width)x\(height) is outside 16x16 ... 4096x4096")
        }
        try AtomicFile.ensureDirectory(directory + "/layouts")
        try AtomicFile.ensureDirectory(directory + "/images")
        if let existing = try DatasetManifest.read(directory: directory) {
            if existing.seed != seed || existing.width != width || existing.height != height || existing.split != split
                || existing.supersampling != supersampling {
                throw Failure("\(directory) already holds a dataset with seed \(existing.seed.map { "\($0)" } ?? "?"), size \(existing.width ?? 0)x\(existing.height ?? 0)"
                    + (existing.split.map { ", split \($0)" } ?? "") + ": use the same options to continue it, or another --out")
            }
        }
        var manifest = DatasetManifest(palette: LandscapeClass.palette.name, seed: seed, split: split, count: count, width: width, height: height,
                                       supersampling: supersampling, complete: false, classes: [], compositions: [:])
        try manifest.write(directory: directory)

        let classCount = LandscapeClass.allCases.count
        let histograms = UnsafeMutableBufferPointer<Int>.allocate(capacity: count * classCount)
        histograms.initialize(repeating: 0)
        defer { histograms.deallocate() }
        let compositionIndex = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        compositionIndex.initialize(repeating: 0)
        defer { compositionIndex.deallocate() }

        let synthesizer = LandscapeSynthesizer(supersampling: supersampling)
        let state = SynthesisState(total: count)
        // Each worker writes only the rows of its own indices.
        let histogramBase = SharedRows(histograms.baseAddress!), compositionBase = SharedRows(compositionIndex.baseAddress!)
        let job: @Sendable (Int) throws -> Bool = { index in
            let seed = self.itemSeed(index)
            let layoutPath = DatasetPaths.layout(self.directory, index: index)
            let imagePath = DatasetPaths.image(self.directory, index: index)
            let compositionOf = synthesizer.sampler.scene(seed: seed, aspect: Float(self.width) / Float(self.height)).composition
            compositionBase.pointer[index] = Composition.allCases.firstIndex(of: compositionOf) ?? 0
            var histogram: [Int]? = nil
            if FileManager.default.fileExists(atPath: imagePath),
               let layout = try? LayoutFile.read(path: layoutPath, palette: LandscapeClass.palette),
               layout.width == self.width, layout.height == self.height {
                histogram = layout.labels.histogram()
            }
            var wrote = false
            if histogram == nil {
                let pair = synthesizer.pair(seed: seed, width: self.width, height: self.height)
                try pair.image.write(path: imagePath, compressionLevel: self.compressionLevel)
                try LayoutFile.write(pair.layout, to: layoutPath, compressionLevel: self.compressionLevel)
                histogram = pair.layout.labels.histogram()
                wrote = true
            }
            for c in 0..<classCount { histogramBase.pointer[index * classCount + c] = histogram![c] }
            return wrote
        }
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let index = state.next() {
                do {
                    let wrote = try job(index)
                    let (done, written) = state.finished(wrote: wrote)
                    progress?(done, count, written)
                } catch {
                    state.fail(error)
                }
            }
        }
        if let error = state.error { throw error }

        var pixels = [Double](repeating: 0, count: classCount)
        var images = [Int](repeating: 0, count: classCount)
        for i in 0..<count {
            for c in 0..<classCount {
                let n = histograms[i * classCount + c]
                pixels[c] += Double(n)
                if n > 0 { images[c] += 1 }
            }
        }
        let total = Double(count * width * height)
        manifest.classes = LandscapeClass.allCases.map { cls in
            DatasetManifest.ClassShare(id: cls.id, name: cls.name, color: cls.color, pixelShare: pixels[cls.id] / total,
                                       imageShare: Double(images[cls.id]) / Double(count))
        }
        var compositions: [String: Int] = [:]
        for i in 0..<count { compositions[Composition.allCases[compositionIndex[i]].rawValue, default: 0] += 1 }
        manifest.compositions = compositions
        manifest.complete = true
        try manifest.write(directory: directory)
        return manifest
    }
}

/// A buffer shared by the worker threads; each writes disjoint elements.
private struct SharedRows: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
    init(_ pointer: UnsafeMutablePointer<Int>) { self.pointer = pointer }
}

/// Hands out indices to the worker threads and counts what they finished.
private final class SynthesisState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done = 0
    private var written = 0
    private let total: Int
    private(set) var error: Error?

    init(total: Int) { self.total = total }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, nextIndex < total else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finished(wrote: Bool) -> (Int, Int) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        if wrote { written += 1 }
        return (done, written)
    }

    func fail(_ e: Error) {
        lock.lock(); defer { lock.unlock() }
        if error == nil { error = e }
    }
}
