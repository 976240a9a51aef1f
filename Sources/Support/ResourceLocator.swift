import Foundation

/// Finds the bundled resources (palettes/, models/, samples/). Looked up in
/// order: $SCENEPAINT_HOME, the directory of the executable and its parents
/// (a SwiftPM build sits at REPO/.build/release/scenepaint), then the current
/// directory and its parents.
public struct ResourceLocator: Sendable {
    public let roots: [String]

    public init(roots: [String]) { self.roots = roots }

    public static func standard() -> ResourceLocator {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["SCENEPAINT_HOME"], !home.isEmpty {
            roots.append(home)
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        roots.append(contentsOf: ancestors(of: exe.deletingLastPathComponent().path, depth: 5))
        roots.append(contentsOf: ancestors(of: FileManager.default.currentDirectoryPath, depth: 3))
        var seen = Set<String>()
        return ResourceLocator(roots: roots.filter { seen.insert($0).inserted })
    }

    static func ancestors(of path: String, depth: Int) -> [String] {
        var result: [String] = []
        var url = URL(fileURLWithPath: path).standardizedFileURL
        for _ in 0..<depth {
            result.append(url.path)
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return result
    }

    /// The first existing directory named `name` under a root.
    public func directory(_ name: String) -> String? {
        for root in roots {
            let candidate = root + "/" + name
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), isDir.boolValue {
                return candidate
            }
        }
        return nil
    }

    public var palettesDirectory: String? { directory("palettes") }
    public var modelsDirectory: String? { directory("models") }
    public var samplesDirectory: String? { directory("samples") }
}
