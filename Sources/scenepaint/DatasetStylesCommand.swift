import ArgumentParser
import Foundation
import Landscapes
import Support

extension DatasetCommand {
    /// `dataset styles`: the real spread of styles for the diversity measure.
    struct Styles: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render LAYOUTS procedural layouts under STYLES style seeds each (pairs k*STYLES..<(k+1)*STYLES share a layout).",
            discussion: "The reference of 'scenepaint eval --style-spread DIR': how different the world's own renders of one layout are.")

        @Option(name: .long, help: "Output directory (layouts/, images/).") var out: String
        @Option(name: .long, help: "Number of layouts.") var layouts: Int = 32
        @Option(name: .long, help: "Style seeds per layout.") var styles: Int = 4
        @Option(name: .long, help: ArgumentHelp("Image size WxH.", valueName: "WxH")) var size: Size = Size(width: 256, height: 256)
        @Option(name: .long, help: "Seed.") var seed: UInt64 = 5
        @Option(name: .long, help: "Worker threads (default: all cores).") var jobs: Int?

        func run() throws {
            let set = StyleSpreadSet(directory: out, seed: seed, layouts: layouts, styles: styles, width: size.width, height: size.height)
            let bar = ProgressBox(ProgressBar(total: layouts * styles, label: "styles"))
            let written = try set.run(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { bar.update($0) }
            bar.finish(written)
            print("wrote \(out): \(layouts) layouts x \(styles) styles at \(size.width)x\(size.height)")
        }
    }
}
