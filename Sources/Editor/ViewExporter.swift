import Foundation
import Generation
import Layouts
import Support

/// Writes views to PNG files (atomically) with names from `ExportNaming`.
public struct ViewExporter: Sendable {
    public let directory: String
    public let baseName: String

    public init(directory: String, baseName: String) {
        self.directory = directory
        self.baseName = baseName
    }

    public init(layoutPath: String?) {
        self.init(directory: ExportNaming.directory(layoutPath: layoutPath), baseName: ExportNaming.baseName(layoutPath: layoutPath))
    }

    /// Writes one view; returns the path written.
    @discardableResult
    public func export(_ view: SceneView, views: GeneratedViews, labels: LabelMap, palette: Palette,
                       inspectedClass: Int?) throws -> String {
        let composed = ViewComposer.compose(view, views: views, labels: labels, palette: palette, inspectedClass: inspectedClass)
        guard composed.isAvailable else { throw Failure("cannot export the \(view.title) view: \(composed.caption)") }
        let className = view.isClassView ? inspectedClass.flatMap { palette.class(id: $0)?.name } ?? "id-\(inspectedClass ?? 0)" : nil
        let path = directory + "/" + ExportNaming.fileName(base: baseName, view: view, className: className)
        try composed.image.write(path: path)
        return path
    }

    /// Writes every view the model provides, and the class view of every
    /// class present; returns the paths written.
    public func exportAll(views: GeneratedViews, labels: LabelMap, palette: Palette) throws -> [String] {
        var paths: [String] = []
        for view in SceneView.all where !view.isClassView {
            let composed = ViewComposer.compose(view, views: views, labels: labels, palette: palette, inspectedClass: nil)
            guard composed.isAvailable else { continue }
            paths.append(try export(view, views: views, labels: labels, palette: palette, inspectedClass: nil))
        }
        for id in labels.idsPresent where views.classOutputs[id] != nil {
            paths.append(try export(.classView, views: views, labels: labels, palette: palette, inspectedClass: id))
        }
        return paths
    }
}
