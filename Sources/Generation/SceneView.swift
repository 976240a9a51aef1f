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

    /// Every view, in the order of the editor's keys 1-9 and of `v`.
    public static let all: [SceneView] = [.fused, .global, .local, .globalWeight, .localWeight, .classView, .sideBySide]

    /// Old names still accepted on the command line.
    static let synonyms = ["weights": "weight-local"]

    /// The view called `name` (or one of its old names), nil if there is none.
    public static func named(_ name: String) -> SceneView? {
        let name = synonyms[name] ?? name
        return all.first { $0.name == name }
    }

    /// The number key that selects the view ("1"-"9"; empty past the ninth).
    public var key: String {
        guard let index = Self.all.firstIndex(of: self), index < 9 else { return "" }
        return String(index + 1)
    }

    public static func forKey(_ key: Character) -> SceneView? {
        all.first { !$0.key.isEmpty && $0.key == String(key) }
    }

    public var next: SceneView {
        let index = Self.all.firstIndex(of: self) ?? 0
        return Self.all[(index + 1) % Self.all.count]
    }
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

    /// A view of an image a model adds under `name` in `GeneratedViews.extra`.
    public static func image(named name: String, title: String) -> SceneView {
        SceneView(name: name, title: title) {
            ViewComposer.image($0.views.extra[name], caption: title, missing: title, source: $0)
        }
    }
}
