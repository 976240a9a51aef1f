import Foundation
import Layouts
import Models
import Support
import Datasets
import Generation

/// Diversity without the evaluator: how far apart images of one layout are,
/// in two spaces the segmenter (trained to ignore style) has no part in:
/// - colour statistics: Euclidean distance of (mean, standard deviation) of
///   R, G, B over the image, 0...1 units (a global look: dusk, winter, haze);
/// - multi-scale pixel distance: mean absolute difference per channel at full,
///   1/2, 1/4 and 1/8 size (box filtered), averaged over the scales, 0...1
///   units (where things differ, from texture to large regions).
/// A model's spread (its images under different seeds) is reported next to the
/// real spread (the world's renders of the same layouts under different style
/// seeds, `scenepaint dataset styles`), so the ratio says how much of the real
/// variety the seeds reach.
public enum StyleSpread {
    public struct Distances: Codable, Sendable, Equatable {
        public var colour: Double
        public var pixel: Double
    }

    public struct Report: Codable, Sendable, Equatable {
        public var layouts: Int
        public var imagesPerLayout: Int
        /// Mean pairwise distances among the world's renders of each layout.
        public var real: Distances
        /// Mean pairwise distances among the model's images of each layout under different seeds.
        public var generated: Distances
        public var colourRatio: Double { real.colour > 0 ? generated.colour / real.colour : 0 }
        public var pixelRatio: Double { real.pixel > 0 ? generated.pixel / real.pixel : 0 }

        public var text: String {
            String(format: """
                Diversity across seeds (%d layouts x %d images; not the evaluator's features):
                  colour statistics: model %.4f, real renders %.4f -> %.0f%% of the real spread
                  multi-scale pixel: model %.4f, real renders %.4f -> %.0f%% of the real spread
                """, layouts, imagesPerLayout, generated.colour, real.colour, 100 * colourRatio,
                generated.pixel, real.pixel, 100 * pixelRatio)
        }
    }

    /// (mean, standard deviation) of R, G, B in 0...1.
    public static func colourStatistics(_ image: RGBImage) -> [Double] {
        var sum = [Double](repeating: 0, count: 3), squares = [Double](repeating: 0, count: 3)
        let n = image.width * image.height
        for i in 0..<n {
            for c in 0..<3 {
                let v = Double(image.pixels[3 * i + c]) / 255
                sum[c] += v; squares[c] += v * v
            }
        }
        let mean = sum.map { $0 / Double(n) }
        let sd = (0..<3).map { (Swift.max(0, squares[$0] / Double(n) - mean[$0] * mean[$0])).squareRoot() }
        return mean + sd
    }

    public static func colourDistance(_ a: RGBImage, _ b: RGBImage) -> Double {
        zip(colourStatistics(a), colourStatistics(b)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }

    /// Mean over 4 scales of the mean absolute channel difference (0...1). Same sizes required.
    public static func pixelDistance(_ a: RGBImage, _ b: RGBImage) -> Double {
        invariant(a.width == b.width && a.height == b.height, "pixel distance of images of different sizes")
        var total = 0.0
        var (x, y) = (a, b)
        for scale in 0..<4 {
            if scale > 0 {
                let (w, h) = (Swift.max(1, x.width / 2), Swift.max(1, x.height / 2))
                x = x.resized(width: w, height: h)
                y = y.resized(width: w, height: h)
            }
            var d = 0
            for i in 0..<x.pixels.count { d += abs(Int(x.pixels[i]) - Int(y.pixels[i])) }
            total += Double(d) / Double(x.pixels.count) / 255
        }
        return total / 4
    }

    /// Mean pairwise distances among images (all of one layout).
    public static func spread(_ images: [RGBImage]) -> Distances {
        var colour = 0.0, pixel = 0.0, pairs = 0
        for i in 0..<images.count {
            for j in (i + 1)..<images.count {
                colour += colourDistance(images[i], images[j])
                pixel += pixelDistance(images[i], images[j])
                pairs += 1
            }
        }
        return Distances(colour: colour / Double(Swift.max(1, pairs)), pixel: pixel / Double(Swift.max(1, pairs)))
    }

    /// How far a styled image's colour statistics are from its reference's.
    public struct Transfer: Codable, Sendable, Equatable {
        public var references: Int
        /// Mean colour-statistics distance to the reference: generated with its style, with the prior, and
        /// (the scale) between the reference and the world's other renders of the same layout.
        public var styled: Double
        public var unstyled: Double
        public var otherRenders: Double

        public var text: String {
            String(format: """
                Style transfer (%d references, each the render of the layout generated): colour-statistics distance \
                to the reference %.4f with its style, %.4f with prior seeds (other real renders of the layout: %.4f)
                """, references, styled, unstyled, otherRenders)
        }
    }

    /// Each render of each layout in a `dataset styles` set serves as the
    /// reference for its own layout: the model's image under that reference's
    /// style should have colour statistics closer to it than the model's
    /// images under prior seeds.
    public static func transfer(generator: any StyleCodedGenerator, dataset: PairedDataset, maxLayouts: Int? = nil,
                                seed: UInt64 = 0) throws -> Transfer {
        let groups = try layoutGroups(dataset, maxLayouts: maxLayouts)
        var styled = 0.0, unstyled = 0.0, others = 0.0, count = 0
        for group in groups {
            let prior = try (0..<group.images.count).map { s in
                try generator.generate(group.labels, seed: seed &+ UInt64(s), shouldCancel: { false }).fused
            }
            for (j, reference) in group.images.enumerated() {
                let style = try generator.styleReference(of: reference, source: "\(dataset.directory) pair")
                let image = try generator.generate(group.labels, seed: seed &+ UInt64(j), style: style, shouldCancel: { false }).fused
                styled += colourDistance(image, reference)
                unstyled += prior.map { colourDistance($0, reference) }.reduce(0, +) / Double(prior.count)
                let rest = group.images.enumerated().filter { $0.offset != j }.map { colourDistance($0.element, reference) }
                others += rest.reduce(0, +) / Double(rest.count)
                count += 1
            }
        }
        return Transfer(references: count, styled: styled / Double(count), unstyled: unstyled / Double(count),
                        otherRenders: others / Double(count))
    }

    static func layoutGroups(_ dataset: PairedDataset, maxLayouts: Int?) throws -> [(labels: LabelMap, images: [RGBImage])] {
        var groups: [(labels: LabelMap, images: [RGBImage])] = []
        for i in 0..<dataset.count {
            let (labels, image) = try dataset.pair(i)
            if let last = groups.last, last.labels == labels {
                groups[groups.count - 1].images.append(image)
            } else {
                if let maxLayouts, groups.count == maxLayouts { break }
                groups.append((labels, [image]))
            }
        }
        let usable = groups.filter { $0.images.count >= 2 }
        guard !usable.isEmpty else {
            throw Failure("\(dataset.directory): no layout appears twice in a row: make it with 'scenepaint dataset styles'")
        }
        return usable
    }

    /// Groups consecutive pairs of `dataset` with the same layout (a `dataset
    /// styles` directory), generates each layout under as many seeds as it has
    /// renders (seed `seed + k`), and averages both spreads over the layouts.
    public static func measure(generator: any SceneGenerator, dataset: PairedDataset, maxLayouts: Int? = nil,
                               seed: UInt64 = 0, progress: (Int, Int) -> Void = { _, _ in }) throws -> Report {
        let usable = try layoutGroups(dataset, maxLayouts: maxLayouts)
        var real: [Distances] = [], generated: [Distances] = []
        for (k, group) in usable.enumerated() {
            real.append(spread(group.images))
            let images = try (0..<group.images.count).map { s in
                try generator.generate(group.labels, seed: seed &+ UInt64(s), shouldCancel: { false }).fused
            }
            generated.append(spread(images))
            progress(k + 1, usable.count)
        }
        func mean(_ d: [Distances]) -> Distances {
            Distances(colour: d.map(\.colour).reduce(0, +) / Double(d.count), pixel: d.map(\.pixel).reduce(0, +) / Double(d.count))
        }
        return Report(layouts: usable.count, imagesPerLayout: usable[0].images.count, real: mean(real), generated: mean(generated))
    }
}
