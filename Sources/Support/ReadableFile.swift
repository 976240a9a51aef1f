import Foundation

/// Why a path given as an input file cannot be read, in words a user acts on
/// ("is a symbolic link loop", "is a FIFO, not a regular file"). Every reader
/// of user files (PNG, JPEG, safetensors, palette JSON) asks here first, so a
/// missing file, a directory, a pipe or a dangling link is named the same way
/// everywhere instead of as "no such file" or "permission?".
public enum ReadableFile {
    /// nil when `path` is a regular file this process may read; else the reason.
    /// `kind` names what was expected ("a PNG file").
    public static func problem(at path: String, expected kind: String = "a file") -> String? {
        if path.isEmpty { return "the path is empty" }
        var info = stat()
        guard stat(path, &info) == 0 else { return missingReason(path: path, errno: errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "is a directory, not \(kind)"
        case S_IFIFO: return "is a FIFO (named pipe), not \(kind)"
        case S_IFSOCK: return "is a socket, not \(kind)"
        case S_IFCHR, S_IFBLK: return "is a device, not \(kind)"
        default: return "is not a regular file, not \(kind)"
        }
        // root passes access(); an unreadable file then fails at open, handled by the caller.
        if access(path, R_OK) != 0 { return "cannot be read: \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Reads a whole regular file, or throws `error(reason)` with the reason it cannot.
    public static func contents<E: Error>(of path: String, expected kind: String = "a file", error makeError: (String) -> E) throws -> Data {
        if let reason = problem(at: path, expected: kind) { throw makeError(reason) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw makeError("cannot be read: \((error as NSError).localizedDescription)")
        }
    }

    private static func missingReason(path: String, errno code: Int32) -> String {
        switch code {
        case ENOENT:
            var link = stat()
            if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                return "is a symbolic link to a file that does not exist"
            }
            return "no such file"
        case ELOOP: return "is a symbolic link loop (too many levels of links)"
        case ENOTDIR: return "a part of the path before the file name is not a directory"
        case ENAMETOOLONG: return "the path is too long for the file system"
        case EACCES: return "cannot be reached: permission denied on a directory of the path"
        default: return "cannot be read: \(String(cString: strerror(code)))"
        }
    }
}
