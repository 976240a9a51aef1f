import Layouts

/// One named picture of a generation: the vocabulary `generate --view`, the
/// editor's number keys and exported file names all share. The name is the
/// command-line and file name, the title is what the editor's pane says.
///
/// A model with outputs of its own adds views to `SceneView.all` (e.g. ECGAN's
/// edge map as `.image(named: "edge", title: "edge map")`, filled from
/// `GeneratedViews.extra["edge"]`); nothing else changes.
public struct SceneView: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let title: String
    /// The class view: one class's output, chosen on the command line as `class:NAME`.
    public let isClassView: Bool
    let render: @Sendable (ViewSource) -> ComposedView

    public init(name: String, title: String, isClassView: Bool = false, render: @escaping @Sendable (ViewSource) -> ComposedView) {
        self.name = name
        self.title = title
        self.isClassView = isClassView
        self.render = render
    }

    public static func == (a: SceneView, b: SceneView) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    public var description: String { name }

    /// Every view of every model (the command line's vocabulary): LGGAN's, then ECGAN's own.
    public static let all: [SceneView] = lgganViews + [.edge, .attention, .coarse]

    /// The views of LGGAN (and of the stand-in generator), in the order of the editor's keys and of `v`.
    public static let lgganViews: [SceneView] = [.fused, .global, .local, .globalWeight, .localWeight, .classView, .sideBySide]

    /// The views of ECGAN / ECGAN++ ("fused" is its final image I'').
    public static let ecganViews: [SceneView] = [.fused, .coarse, .edge, .attention, .classView, .sideBySide]

    /// Old names and the paper's symbols, accepted on the command line.
    static let synonyms = ["weights": "weight-local", "I'": "coarse", "I''": "fused", "final": "fused"]

    /// The view called `name` (or one of its old names), nil if there is none.
    public static func named(_ name: String) -> SceneView? {
        let name = synonyms[name] ?? name
        return all.first { $0.name == name }
    }

    /// The number key that selects the view among `views` (a model's list; "1"-"9", empty past the ninth).
    public func key(in views: [SceneView] = lgganViews) -> String {
        guard let index = views.firstIndex(of: self), index < 9 else { return "" }
        return String(index + 1)
    }

    public var key: String { key() }

    public static func forKey(_ key: Character, in views: [SceneView] = lgganViews) -> SceneView? {
        views.first { !$0.key(in: views).isEmpty && $0.key(in: views) == String(key) }
    }

    /// The view after this one in `views` (the first when this one is not among them).
    public func next(in views: [SceneView] = lgganViews) -> SceneView {
        guard let index = views.firstIndex(of: self) else { return views[0] }
        return views[(index + 1) % views.count]
    }

    public var next: SceneView { next() }
}

/// What a view is made from: one generation, the layout it came from, and
/// the class the class view shows.
public struct ViewSource: Sendable {
    public var views: GeneratedViews
    public var labels: LabelMap
    public var palette: Palette
    public var inspectedClass: Int?

    public init(views: GeneratedViews, labels: LabelMap, palette: Palette, inspectedClass: Int? = nil) {
        self.views = views
        self.labels = labels
        self.palette = palette
        self.inspectedClass = inspectedClass
    }
}

extension SceneView {
    public static let fused = SceneView(name: "fused", title: "fused") {
        ComposedView(image: $0.views.fused, caption: "fused", isAvailable: true)
    }
    public static let global = SceneView(name: "global", title: "global") {
        ViewComposer.image($0.views.global, caption: "global generator", missing: "global output", source: $0)
    }
    public static let local = SceneView(name: "local", title: "local") {
        ViewComposer.image($0.views.local, caption: "local generator", missing: "local output", source: $0)
    }
    public static let globalWeight = SceneView(name: "weight-global", title: "global weight") {
        ViewComposer.weightMap($0.views.globalWeight, source: $0)
    }
    public static let localWeight = SceneView(name: "weight-local", title: "local weight") {
        ViewComposer.weightMap($0.views.localWeight, source: $0)
    }
    /// The sub-generator output of one class, its mask and the local weight inside it.
    public static let classView = SceneView(name: "class", title: "class", isClassView: true) {
        ViewComposer.classView($0)
    }
    /// Layout and fused image next to each other.
    public static let sideBySide = SceneView(name: "side-by-side", title: "layout | fused") {
        ViewComposer.sideBySide($0)
    }

    /// ECGAN: the generated edge map I'_e.
    public static let edge = image(named: "edge", title: "edge map")
    /// ECGAN: sigma(I'_e), the attention that transfers the edges into the image (Eq. 1), as a heat map.
    public static let attention = SceneView(name: "attention", title: "attention") {
        ViewComposer.weightMap($0.views.attention, source: $0, missing: "edge attention")
    }
    /// ECGAN: I', the edge-guided image before the semantic preserving module.
    public static let coarse = image(named: "coarse", title: "I' (before G_s)")

    /// A view of an image a model adds under `name` in `GeneratedViews.extra`.
    public static func image(named name: String, title: String) -> SceneView {
        SceneView(name: name, title: title) {
            ViewComposer.image($0.views.extra[name], caption: title, missing: title, source: $0)
        }
    }
}
