import Foundation

/// Writes files so that a reader (or a crash, or Ctrl-C) never sees half a file:
/// the bytes go to a temporary file in the same directory, are flushed, and the
/// temporary file is renamed over the destination.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public static func write(_ data: Data, to path: String) throws {
        try data.withUnsafeBytes { raw in
            try write(bytes: raw, to: path)
        }
    }

    /// Throws what `write` would refuse before any bytes exist: a missing
    /// directory, or a directory where the file should go. Commands that work
    /// for minutes before writing ask this first.
    public static func checkDestination(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if path.isEmpty || !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw WriteError(path: path, reason: path.isEmpty ? "the path is empty" : "directory \(directory) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WriteError(path: path, reason: "is a directory; give a file name")
        }
    }

    public static func write(bytes: UnsafeRawBufferPointer, to path: String) throws {
        try checkDestination(path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let template = directory + "/." + url.lastPathComponent + ".XXXXXX.tmp"
        var templateBytes = Array(template.utf8CString)
        let fd = templateBytes.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        if fd < 0 {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let tempPath = String(cString: templateBytes)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw WriteError(path: path, reason: reason)
            }
            offset += n
        }
        fchmod(fd, 0o644)
        if fsync(fd) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw WriteError(path: path, reason: reason)
        }
        close(fd)
        if rename(tempPath, path) != 0 {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        ok = true
    }

    /// Removes the temporary files of writers killed before their rename
    /// (`.NAME.XXXXXX.tmp`) from a directory that has one writer, such as a
    /// training run being resumed.
    public static func removeAbandonedTemporaries(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }

    /// Creates the directory (and parents) if needed.
    public static func ensureDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create directory")
        }
    }
}
