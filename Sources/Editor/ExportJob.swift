import Generation
import Layouts

/// What `x` or `X` asked for, frozen at the key press: the layout and seed
/// then painted (edits made while the export waits do not leak into it),
/// the view, and where the files go.
public struct ExportJob: Sendable {
    public enum Scope: Sendable, Equatable {
        /// One view; `inspectedClass` picks the class for the class view.
        case view(SceneView, inspectedClass: Int?)
        /// Every view the model provides and the class view of every class present.
        case allViews
    }

    public let scope: Scope
    public let labels: LabelMap
    public let seed: UInt64
    public let palette: Palette
    public let exporter: ViewExporter

    public init(scope: Scope, labels: LabelMap, seed: UInt64, palette: Palette, exporter: ViewExporter) {
        self.scope = scope
        self.labels = labels
        self.seed = seed
        self.palette = palette
        self.exporter = exporter
    }

    /// The message-line text while the export waits or writes.
    public var startMessage: String {
        switch scope {
        case .view(let view, _): return "exporting the \(view.title) view..."
        case .allViews: return "exporting all views..."
        }
    }

    /// Writes the files from `views` (which must be this layout's) and returns
    /// the one-line outcome for the message line.
    public func write(_ views: GeneratedViews) -> String {
        do {
            switch scope {
            case .view(let view, let inspected):
                let path = try exporter.export(view, views: views, labels: labels, palette: palette, inspectedClass: inspected)
                return "exported \(view.title) view to \(path)"
            case .allViews:
                let paths = try exporter.exportAll(views: views, labels: labels, palette: palette)
                return "exported \(paths.count) views to \(exporter.directory)/\(exporter.baseName)-*.png"
            }
        } catch {
            return "export failed: \(error)"
        }
    }
}
