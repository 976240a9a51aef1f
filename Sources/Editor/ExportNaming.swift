import Foundation
import Generation

/// File names for exported views, derived from the layout and the view:
/// `lake.png` in view fused -> `lake-fused.png`, class view of "water" ->
/// `lake-class-water.png`. An unsaved layout is called `untitled`. Files go
/// next to the layout (or into the working directory for an untitled one).
public enum ExportNaming {
    public static func baseName(layoutPath: String?) -> String {
        guard let path = layoutPath, !path.isEmpty else { return "untitled" }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return name.isEmpty ? "untitled" : name
    }

    public static func directory(layoutPath: String?, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        guard let path = layoutPath, !path.isEmpty else { return workingDirectory }
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        return URL(fileURLWithPath: absolute).deletingLastPathComponent().path
    }

    /// "water" -> "water", "Traffic Light" -> "traffic-light".
    public static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if !out.hasSuffix("-") { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "class" : out
    }

    public static func fileName(base: String, view: SceneView, className: String? = nil) -> String {
        let prefix = base.isEmpty ? "" : base + "-"
        if view.isClassView, let className { return "\(prefix)class-\(slug(className)).png" }
        return "\(prefix)\(view.name).png"
    }
}
