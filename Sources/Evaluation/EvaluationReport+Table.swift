import Foundation

extension EvaluationReport {
    /// The report as a plain-text table for stdout.
    public func table() -> String {
        func percent(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var out: [String] = []
        out.append("\(model) on \(data): \(count) layouts at \(imageSize), seed \(seed), \(styleCode.description)")
        out.append("evaluator \(evaluator) (input \(evaluatorInput), palette \(palette))")
        out.append("")
        out.append(pad("", 26) + left("generated", 10) + left("real", 10))
        let rows: [(String, Double?, Double?)] = [
            ("mIoU (%)", generated.meanIoU, real.meanIoU),
            ("pixel accuracy (%)", generated.pixelAccuracy, real.pixelAccuracy),
            ("mIoU large classes (%)", generated.largeClassMeanIoU, real.largeClassMeanIoU),
            ("mIoU small classes (%)", generated.smallClassMeanIoU, real.smallClassMeanIoU),
        ]
        for (name, g, r) in rows { out.append(pad(name, 26) + left(percent(g), 10) + left(percent(r), 10)) }
        for name in branches.keys.sorted() {
            let b = branches[name]!
            out.append(pad("\(name) branch alone: mIoU", 26) + left(percent(b.meanIoU), 10)
                       + "   (accuracy \(percent(b.pixelAccuracy)), small \(percent(b.smallClassMeanIoU)))")
        }
        out.append("(real = the evaluator on the real test renders: the upper bound)")
        out.append("")
        let groups: [(String, Bool)] = [
            ("large classes", false),
            (String(format: "small-object classes (under %.0f%% of pixels, %@)", smallClassThreshold * 100, classSharesSource), true),
        ]
        for (title, small) in groups {
            let classes = zip(generated.perClass, real.perClass).filter { $0.0.small == small }
            guard !classes.isEmpty else { continue }
            out.append("IoU (%), " + title)
            out.append("  " + pad("class", 14) + left("share", 8) + left("generated", 10) + left("real", 10))
            for (g, r) in classes {
                out.append("  " + pad(g.name, 14) + left(String(format: "%.2f%%", g.pixelShare * 100), 8)
                           + left(percent(g.iou), 10) + left(percent(r.iou), 10))
            }
            out.append("")
        }
        if let value = featureFrechetDistance.value {
            out.append(String(format: "Frechet distance of segmenter features, real vs generated: %.3f", value)
                       + (featureFrechetDistance.realHalves.map { String(format: " (two halves of the real images: %.3f)", $0) } ?? ""))
        } else {
            out.append("Frechet distance of segmenter features: needs at least 2 test layouts")
        }
        out.append("  (\(featureFrechetDistance.samples) images, \(featureFrechetDistance.featureDimension)-d features of scenepaint's own segmenter: NOT FID, not comparable with published FID)")
        if let d = diversity {
            out.append(String(format: "Diversity across seeds: %.3f mean pairwise feature distance (%d layouts x %d seeds), %.2fx the spread between real images",
                              d.meanPairwiseDistance, d.layouts, d.seeds, d.relativeToRealSpread))
        } else {
            out.append("Diversity across seeds: not measured (the model has no noise input)")
        }
        out.append(String(format: "Generation: %.3f s per image; evaluation took %.1f s", generationSecondsPerImage, totalSeconds))
        return out.joined(separator: "\n")
    }
}
