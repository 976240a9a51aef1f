import Datasets
import Foundation
import Layouts
import Models

/// How the views of a trained LGGAN differ, measured over a dataset: per
/// class, the mean local weight (Eq. 7's Wl), the L1 error of the global, local
/// and fused images against the real one, and their detail (mean absolute
/// luminance difference between neighbouring pixels); and the local weight on
/// class boundaries against class interiors. The paper's claims (local better
/// on small classes, weights favouring local at boundaries) become numbers.
public struct ViewReport: Sendable {
    public struct ClassRow: Sendable {
        public var id: Int
        public var name: String
        /// Share of all pixels, and of images the class occurs in.
        public var pixelShare: Double
        public var meanLocalWeight: Double
        /// Mean |view - real| over the class's pixels, 0...255.
        public var l1Global: Double, l1Local: Double, l1Fused: Double
        /// Mean |luminance difference| to the right and lower neighbour inside the class, 0...255.
        public var detailGlobal: Double, detailLocal: Double, detailFused: Double, detailReal: Double
    }

    public var images: Int
    public var classes: [ClassRow]
    /// Mean local weight on pixels with a differently-labelled 4-neighbour, and on the others.
    public var boundaryLocalWeight: Double
    public var interiorLocalWeight: Double
    public var meanL1Fused: Double

    /// A Markdown table.
    public var markdown: String {
        var lines = ["| class | pixel share | local weight | L1 global | L1 local | L1 fused | detail global | detail local | detail fused | detail real |",
                     "|---|---|---|---|---|---|---|---|---|---|"]
        for r in classes.sorted(by: { $0.pixelShare > $1.pixelShare }) {
            lines.append(String(format: "| %@ | %.2f%% | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |", r.name, r.pixelShare * 100,
                                r.meanLocalWeight, r.l1Global, r.l1Local, r.l1Fused,
                                r.detailGlobal, r.detailLocal, r.detailFused, r.detailReal))
        }
        lines.append("")
        lines.append(String(format: "Local weight on class boundaries %.3f, inside classes %.3f; mean L1 of the fused image %.1f / 255 over %d images.",
                            boundaryLocalWeight, interiorLocalWeight, meanL1Fused, images))
        return lines.joined(separator: "\n")
    }
}

public enum ViewStatistics {
    public static func measure(generator: LGGANGenerator, dataset: PairedDataset, count: Int) throws -> ViewReport {
        let palette = generator.palette
        struct Sums { var pixels = 0.0, weight = 0.0, l1 = [0.0, 0.0, 0.0]; var detail = [0.0, 0.0, 0.0, 0.0]; var detailPairs = 0.0 }
        var sums = [Int: Sums]()
        var boundary = (sum: 0.0, n: 0.0), interior = (sum: 0.0, n: 0.0)
        var totalPixels = 0.0, fusedL1 = 0.0
        let n = Swift.min(count, dataset.count)
        for i in 0..<n {
            let (labels, real) = try dataset.pair(i)
            let views = try generator.generate(labels, seed: 0, shouldCancel: { false })
            let (w, h) = (labels.width, labels.height)
            let blank = RGBImage(width: w, height: h)
            let images = [views.global ?? blank, views.local ?? blank, views.fused, real]
            let lumas = images.map { luminance($0) }
            let localWeight = views.localWeight ?? [Float](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    let p = y * w + x
                    let id = Int(labels.ids[p])
                    var s = sums[id] ?? Sums()
                    s.pixels += 1
                    s.weight += Double(localWeight[p])
                    for v in 0..<3 {
                        var d = 0.0
                        for k in 0..<3 { d += abs(Double(images[v].pixels[3 * p + k]) - Double(real.pixels[3 * p + k])) }
                        s.l1[v] += d / 3
                    }
                    // Neighbours inside the same class: detail of each image.
                    for (nx, ny) in [(x + 1, y), (x, y + 1)] where nx < w && ny < h && Int(labels.ids[ny * w + nx]) == id {
                        let q = ny * w + nx
                        for v in 0..<4 { s.detail[v] += abs(lumas[v][p] - lumas[v][q]) }
                        s.detailPairs += 1
                    }
                    sums[id] = s
                    let own = labels.ids[p]
                    let isBoundary = (x > 0 && labels.ids[p - 1] != own) || (x + 1 < w && labels.ids[p + 1] != own)
                        || (y > 0 && labels.ids[p - w] != own) || (y + 1 < h && labels.ids[p + w] != own)
                    if isBoundary { boundary.sum += Double(localWeight[p]); boundary.n += 1 } else {
                        interior.sum += Double(localWeight[p]); interior.n += 1
                    }
                }
            }
            totalPixels += Double(w * h)
            for p in 0..<(w * h) {
                var d = 0.0
                for k in 0..<3 { d += abs(Double(views.fused.pixels[3 * p + k]) - Double(real.pixels[3 * p + k])) }
                fusedL1 += d / 3
            }
        }
        let rows = sums.keys.sorted().compactMap { id -> ViewReport.ClassRow? in
            guard let s = sums[id], let cls = palette.class(id: id) else { return nil }
            let pairs = Swift.max(1, s.detailPairs)
            return ViewReport.ClassRow(id: id, name: cls.name, pixelShare: s.pixels / totalPixels,
                                       meanLocalWeight: s.weight / s.pixels,
                                       l1Global: s.l1[0] / s.pixels, l1Local: s.l1[1] / s.pixels, l1Fused: s.l1[2] / s.pixels,
                                       detailGlobal: s.detail[0] / pairs, detailLocal: s.detail[1] / pairs,
                                       detailFused: s.detail[2] / pairs, detailReal: s.detail[3] / pairs)
        }
        return ViewReport(images: n, classes: rows,
                          boundaryLocalWeight: boundary.sum / Swift.max(1, boundary.n),
                          interiorLocalWeight: interior.sum / Swift.max(1, interior.n),
                          meanL1Fused: fusedL1 / Swift.max(1, totalPixels))
    }

    static func luminance(_ image: RGBImage) -> [Double] {
        (0..<(image.width * image.height)).map { i -> Double in
            let r = Double(image.pixels[3 * i]), g = Double(image.pixels[3 * i + 1]), b = Double(image.pixels[3 * i + 2])
            return 0.299 * r + 0.587 * g + 0.114 * b
        }
    }
}
