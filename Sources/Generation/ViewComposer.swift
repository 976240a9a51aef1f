import Layouts

/// A view ready to show or export, with a one-line caption for the pane title.
public struct ComposedView: Sendable {
    public var image: RGBImage
    public var caption: String
    /// False when the model lacks what the view needs (the image is then a placeholder).
    public var isAvailable: Bool

    public init(image: RGBImage, caption: String, isAvailable: Bool) {
        self.image = image
        self.caption = caption
        self.isAvailable = isAvailable
    }
}

/// Draws the views of `SceneView` from one generation's outputs and the label
/// map it was generated from. Weight maps are drawn one way everywhere: the
/// `HeatMap` ramp.
public enum ViewComposer {
    static let placeholderGrey = RGBColor(48, 48, 48)

    public static func compose(_ view: SceneView, views: GeneratedViews, labels: LabelMap, palette: Palette,
                               inspectedClass: Int?) -> ComposedView {
        view.render(ViewSource(views: views, labels: labels, palette: palette, inspectedClass: inspectedClass))
    }

    static func missing(_ what: String, source: ViewSource) -> ComposedView {
        ComposedView(image: RGBImage(width: source.views.fused.width, height: source.views.fused.height, fill: placeholderGrey),
                     caption: "this model has no \(what)", isAvailable: false)
    }

    static func image(_ image: RGBImage?, caption: String, missing what: String, source: ViewSource) -> ComposedView {
        guard let image else { return missing(what, source: source) }
        return ComposedView(image: image, caption: caption, isAvailable: true)
    }

    static func weightMap(_ map: [Float]?, source: ViewSource, missing what: String = "weight maps") -> ComposedView {
        let w = source.views.fused.width, h = source.views.fused.height
        guard let m = map, m.count == w * h else { return missing(what, source: source) }
        return ComposedView(image: HeatMap.image(m, width: w, height: h), caption: "mean \(format(mean(m)))", isAvailable: true)
    }

    static func sideBySide(_ source: ViewSource) -> ComposedView {
        let w = source.views.fused.width, h = source.views.fused.height
        let layoutImage = source.labels.resized(width: w, height: h).colorized(with: source.palette)
        return ComposedView(image: sideBySide([layoutImage, source.views.fused]), caption: "layout | fused", isAvailable: true)
    }

    /// Three panels: the class's sub-generator output (dimmed outside its
    /// mask), the mask, and the local weight inside the mask as a heat map.
    static func classView(_ source: ViewSource) -> ComposedView {
        let views = source.views, labels = source.labels, palette = source.palette
        let w = views.fused.width, h = views.fused.height
        let grey = RGBImage(width: w, height: h, fill: placeholderGrey)
        guard let id = source.inspectedClass else {
            return ComposedView(image: sideBySide([grey, grey, grey]), caption: "class view: no class chosen", isAvailable: false)
        }
        let name = palette.class(id: id)?.name ?? "id \(id)"
        let scaled = labels.resized(width: w, height: h)
        let mask = scaled.ids.map { Int($0) == id }
        let count = mask.lazy.filter { $0 }.count
        guard count > 0 else {
            return ComposedView(image: sideBySide([grey, grey, grey]),
                                caption: "class \(name): not in the layout", isAvailable: false)
        }
        guard let output = views.classOutputs[id] else {
            return ComposedView(image: sideBySide([grey, grey, grey]),
                                caption: "class \(name): this model has no per-class outputs", isAvailable: false)
        }
        var shown = output.width == w && output.height == h ? output : output.resized(width: w, height: h)
        for i in 0..<(w * h) where !mask[i] {
            for c in 0..<3 { shown.pixels[3 * i + c] = UInt8(Int(shown.pixels[3 * i + c]) * 3 / 10) }
        }
        var maskImage = RGBImage(width: w, height: h)
        for i in 0..<(w * h) where mask[i] {
            maskImage.pixels[3 * i] = 255; maskImage.pixels[3 * i + 1] = 255; maskImage.pixels[3 * i + 2] = 255
        }
        var caption = "\(name): \(format(100 * Double(count) / Double(w * h)))% of pixels"
        var weightImage = grey
        if let lw = views.localWeight, lw.count == w * h {
            weightImage = HeatMap.image(lw, width: w, height: h, mask: mask)
            var sum = 0.0
            for i in 0..<(w * h) where mask[i] { sum += Double(lw[i]) }
            let meanLocal = sum / Double(count)
            caption += ", local weight \(format(meanLocal)) (global \(format(1 - meanLocal)))"
        }
        return ComposedView(image: sideBySide([shown, maskImage, weightImage]), caption: caption, isAvailable: true)
    }

    /// Images of equal height placed left to right.
    public static func sideBySide(_ images: [RGBImage]) -> RGBImage {
        let h = images[0].height
        var out = RGBImage(width: images.reduce(0) { $0 + $1.width }, height: h)
        var x = 0
        for image in images {
            out.paste(image.height == h ? image : image.resized(width: image.width, height: h), x: x, y: 0)
            x += image.width
        }
        return out
    }

    static func mean(_ values: [Float]) -> Double {
        values.isEmpty ? 0 : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    static func format(_ v: Double) -> String {
        let scaled = (v * 100).rounded() / 100
        var s = String(scaled)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
        }
        return s
    }
}
