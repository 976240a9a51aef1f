import Foundation
import Layouts
import Support

/// Unsaved work kept on disk so a crash, a closed terminal or a kill loses at
/// most a few edits. One recovery per layout file (or one for untitled
/// work): an indexed PNG of the layout plus a small JSON note saying which
/// file it belongs to. Both are written atomically; the note goes last, so a
/// note always points at a complete PNG.
///
/// Directory: $SCENEPAINT_RECOVERY_DIR, else $XDG_STATE_HOME/scenepaint/recovery,
/// else ~/.local/state/scenepaint/recovery.
public struct RecoveryStore: Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        /// The layout file the work belongs to (absolute), nil for untitled work.
        public var layoutPath: String?
        public var paletteName: String
        public var savedAt: Date
        /// The recovery PNG, relative to the store directory.
        public var imageFile: String
    }

    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> RecoveryStore {
        if let dir = environment["SCENEPAINT_RECOVERY_DIR"], !dir.isEmpty { return RecoveryStore(directory: dir) }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return RecoveryStore(directory: state + "/scenepaint/recovery")
        }
        let home = environment["HOME"] ?? NSTemporaryDirectory()
        return RecoveryStore(directory: home + "/.local/state/scenepaint/recovery")
    }

    /// Stable file stem for a layout path: its name plus a hash of the full path.
    public func key(for layoutPath: String?) -> String {
        guard let path = layoutPath.map(Self.absolute) else { return "untitled" }
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a, stable across runs (unlike Hasher)
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let stem = ExportNaming.slug(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        return stem + "-" + String(hash, radix: 16)
    }

    /// Saves the layout as the recovery for `layoutPath`.
    public func save(_ layout: Layout, for layoutPath: String?, now: Date = Date()) throws {
        try AtomicFile.ensureDirectory(directory)
        let key = key(for: layoutPath)
        try LayoutFile.write(layout, to: directory + "/" + key + ".png", compressionLevel: 1)
        let entry = Entry(layoutPath: layoutPath.map(Self.absolute), paletteName: layout.palette.name,
                          savedAt: now, imageFile: key + ".png")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(entry), to: directory + "/" + key + ".json")
    }

    /// The recovery waiting for `layoutPath`, if there is one.
    public func entry(for layoutPath: String?) -> Entry? {
        let path = directory + "/" + key(for: layoutPath) + ".json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Entry.self, from: data)
    }

    /// Reads the recovered layout with the palette it was painted with.
    public func load(_ entry: Entry, palette: Palette) throws -> Layout {
        try LayoutFile.read(path: directory + "/" + entry.imageFile, palette: palette)
    }

    /// Removes the recovery (after a save, or when the user declines it).
    public func discard(for layoutPath: String?) {
        let key = key(for: layoutPath)
        try? FileManager.default.removeItem(atPath: directory + "/" + key + ".json")
        try? FileManager.default.removeItem(atPath: directory + "/" + key + ".png")
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }
}
