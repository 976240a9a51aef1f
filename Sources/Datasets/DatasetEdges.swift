import Foundation
import Layouts
import Support

/// The Canny edges of a dataset's real images, computed once and cached next
/// to it: DIR/edges/NAME.png (NAME: the pair's name) (white edges on black, one per image) and
/// DIR/edges/canny.json (the detector's parameters; a cache made with other
/// parameters counts as missing). `scenepaint dataset edges DIR` (re)makes it;
/// `train ecgan` makes what is missing before it starts.
public enum DatasetEdges {
    public static let directoryName = "edges"
    static let parametersName = "canny.json"

    public static func directory(of dataset: String) -> String { dataset + "/" + directoryName }

    /// The edge file of a pair.
    public static func fileName(of pairName: String) -> String {
        pairName.hasSuffix(".png") ? pairName : pairName + ".png"
    }

    /// Indices of pairs whose edge file is missing (all of them when the parameters differ).
    public static func missing(in dataset: PairedDataset, detector: CannyEdges = CannyEdges()) -> [Int] {
        let dir = directory(of: dataset.directory)
        guard let data = FileManager.default.contents(atPath: dir + "/" + parametersName),
              let stored = try? JSONDecoder().decode(CannyEdges.self, from: data), stored == detector else {
            return Array(0..<dataset.count)
        }
        return (0..<dataset.count).filter { !FileManager.default.fileExists(atPath: dir + "/" + fileName(of: dataset.pairs[$0].name)) }
    }

    /// Writes the missing edge maps (all with `force`); returns how many were written.
    /// Each file is written atomically, so an interrupted run continues where it stopped.
    @discardableResult
    public static func make(for dataset: PairedDataset, detector: CannyEdges = CannyEdges(), force: Bool = false,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        let dir = directory(of: dataset.directory)
        try AtomicFile.ensureDirectory(dir)
        let todo = force ? Array(0..<dataset.count) : missing(in: dataset, detector: detector)
        if todo.count == dataset.count {
            // New parameters: remove the old record first, so a stop half-way is not taken for a complete cache.
            try? FileManager.default.removeItem(atPath: dir + "/" + parametersName)
        }
        for (k, index) in todo.enumerated() {
            let image = try dataset.source.readImage(path: dataset.imagePath(index))
            try detector.edgeImage(image).write(path: dir + "/" + fileName(of: dataset.pairs[index].name), compressionLevel: 1)
            progress(k + 1, todo.count)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(detector), to: dir + "/" + parametersName)
        return todo.count
    }

    /// One pair's cached edge map, checked to be the image's size.
    public static func read(directory: String, name: String, width: Int, height: Int) throws -> RGBImage {
        let path = directory + "/" + fileName(of: name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure("\(path): no cached edges (run 'scenepaint dataset edges \((directory as NSString).deletingLastPathComponent)')")
        }
        let edges = try RGBImage.read(path: path)
        guard edges.width == width && edges.height == height else {
            throw Failure("\(path): edges are \(edges.width)x\(edges.height) but the image is \(width)x\(height); remake them with 'scenepaint dataset edges --force'")
        }
        return edges
    }

    /// Any non-black pixel becomes a full edge (after area-averaged resizing).
    public static func binarized(_ image: RGBImage) -> RGBImage {
        var out = image
        for i in 0..<(image.width * image.height) {
            let on = image.pixels[3 * i] > 0 || image.pixels[3 * i + 1] > 0 || image.pixels[3 * i + 2] > 0
            let v: UInt8 = on ? 255 : 0
            out.pixels[3 * i] = v; out.pixels[3 * i + 1] = v; out.pixels[3 * i + 2] = v
        }
        return out
    }
}
