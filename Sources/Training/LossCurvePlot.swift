import Foundation
import Layouts

/// Draws training curves into an image: one panel per loss term (each with
/// its own y range, so small and large terms are both readable), raw values
/// in a light colour and a moving average in a dark one, labelled with the
/// term's name, its y range and the step range.
public enum LossCurvePlot {
    public static func render<Losses: NamedLosses>(entries: [LossLogEntry<Losses>], panelWidth: Int = 300, panelHeight: Int = 110,
                              columns: Int = 3) -> RGBImage {
        let series = (entries.first?.losses.named.map(\.0) ?? []).enumerated().map { index, name in
            (name, entries.map { Double($0.losses.named[index].1) })
        }.filter { _, values in values.contains { $0 != 0 } }
        let rows = max(1, (series.count + columns - 1) / columns)
        var image = RGBImage(width: columns * panelWidth, height: rows * panelHeight, fill: RGBColor(255, 255, 255))
        let steps = entries.map(\.step)
        for (k, (name, values)) in series.enumerated() {
            draw(name: name, values: values, steps: steps, into: &image,
                 x0: (k % columns) * panelWidth, y0: (k / columns) * panelHeight, width: panelWidth, height: panelHeight)
        }
        return image
    }

    static func draw(name: String, values: [Double], steps: [Int], into image: inout RGBImage,
                     x0: Int, y0: Int, width: Int, height: Int) {
        let left = x0 + 8, right = x0 + width - 8, top = y0 + 16, bottom = y0 + height - 14
        let smooth = movingAverage(values, window: max(1, values.count / 30))
        // Range from the smoothed curve (raw spikes are clipped), padded a little.
        var lo = smooth.min() ?? 0, hi = smooth.max() ?? 1
        if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * 0.1
        lo -= pad; hi += pad
        let frame = RGBColor(170, 170, 170)
        for x in left...right { image[x, top] = frame; image[x, bottom] = frame }
        for y in top...bottom { image[left, y] = frame; image[right, y] = frame }
        PixelFont.draw(name, into: &image, x: left, y: y0 + 4, scale: 2, color: RGBColor(20, 20, 20))
        let range = String(format: "%.3g to %.3g", lo, hi)
        PixelFont.draw(range, into: &image, x: right - PixelFont.width(range), y: y0 + 8, color: RGBColor(90, 90, 90))
        if let first = steps.first, let last = steps.last {
            PixelFont.draw("step \(first)", into: &image, x: left, y: bottom + 4, color: RGBColor(90, 90, 90))
            let end = "\(last)"
            PixelFont.draw(end, into: &image, x: right - PixelFont.width(end), y: bottom + 4, color: RGBColor(90, 90, 90))
        }
        guard values.count > 1 else { return }
        func point(_ i: Int, _ v: Double) -> (Int, Int) {
            let x = left + 1 + Int(Double(i) / Double(values.count - 1) * Double(right - left - 2))
            let t = (min(max(v, lo), hi) - lo) / (hi - lo)
            return (x, bottom - 1 - Int(t * Double(bottom - top - 2)))
        }
        for (series, color) in [(values, RGBColor(190, 210, 240)), (smooth, RGBColor(20, 70, 170))] {
            var previous = point(0, series[0])
            for i in 1..<series.count {
                let p = point(i, series[i])
                line(from: previous, to: p, color: color, into: &image)
                previous = p
            }
        }
    }

    static func movingAverage(_ v: [Double], window: Int) -> [Double] {
        guard window > 1 else { return v }
        var out: [Double] = []
        var sum = 0.0
        for i in 0..<v.count {
            sum += v[i]
            if i >= window { sum -= v[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }

    static func line(from a: (Int, Int), to b: (Int, Int), color: RGBColor, into image: inout RGBImage) {
        let n = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
        for s in 0...n {
            let x = a.0 + (b.0 - a.0) * s / n, y = a.1 + (b.1 - a.1) * s / n
            if x >= 0 && y >= 0 && x < image.width && y < image.height { image[x, y] = color }
        }
    }
}
