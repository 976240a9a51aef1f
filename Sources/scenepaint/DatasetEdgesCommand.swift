import ArgumentParser
import Datasets
import Foundation
import Layouts
import Support
import Training

/// `scenepaint dataset edges DIR`: the Canny edges ECGAN trains against, cached
/// as DIR/edges/NAME.png with the parameters in DIR/edges/canny.json.
struct DatasetEdgesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edges",
        abstract: "Compute (or re-make) the Canny edges of a dataset's images into DIR/edges/ (for 'train ecgan').",
        discussion: """
        Canny as ECGAN's code: luminance, 5x5 Gaussian (sigma 1.4), Sobel, non-maximum suppression at \
        0/45/90/135 degrees, hysteresis at 0.075 and 0.175 of the image's largest gradient. Only missing \
        files are written unless --force; a cache made with other parameters is re-made whole.
        """)

    @Argument(help: "Dataset directory (holding layouts/ and images/).") var directory: String
    @Flag(help: "Re-make every edge map.") var force = false
    @Option(help: "The dataset's palette (name or JSON file), when its manifest does not say.") var palette: String?

    func run() throws {
        let library = try? PaletteLibrary.bundled()
        let explicit = try palette.map { try (library ?? PaletteLibrary(palettes: [])).named($0) }
        let dataset = try PairedDataset(directory: directory, palette: explicit, library: library)
        let todo = force ? dataset.count : DatasetEdges.missing(in: dataset).count
        var bar = ProgressBar(total: Swift.max(1, todo), label: "edges")
        let written = try DatasetEdges.make(for: dataset, force: force) { done, _ in bar.update(done: done) }
        bar.finish(done: Swift.max(1, todo))
        print("\(written) edge maps written to \(DatasetEdges.directory(of: directory)) (\(dataset.count - written) were cached)")
    }
}
