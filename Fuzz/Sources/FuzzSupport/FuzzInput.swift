import Foundation
import Layouts

/// What every harness needs: the input as `Data`, the bundled palettes, and a
/// failure that libFuzzer records as a crash (with the message on stderr).
public enum FuzzInput {
    /// The repository checkout these harnesses were built from.
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// palettes/*.json of the checkout, as `scenepaint` loads them.
    public static func bundledPalettes() -> PaletteLibrary {
        do { return try PaletteLibrary(directory: repositoryRoot + "/palettes") } catch {
            fatalError("fuzz: cannot load \(repositoryRoot)/palettes: \(error)")
        }
    }

    public static func data(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data {
        Data(bytes: bytes, count: count)
    }

    /// A property the readers promise; breaking it is a finding.
    public static func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz finding: " + message()) }
    }

    /// When SCENEPAINT_FUZZ_WRITE_SEEDS names a directory, writes `seeds` there
    /// (name -> bytes) and exits: the committed corpora are made this way.
    public static func writeSeedsIfAsked(_ seeds: () throws -> [String: Data]) {
        guard let directory = ProcessInfo.processInfo.environment["SCENEPAINT_FUZZ_WRITE_SEEDS"] else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, bytes) in try seeds() { try bytes.write(to: URL(fileURLWithPath: directory + "/" + name)) }
        } catch {
            fatalError("fuzz: cannot write seeds to \(directory): \(error)")
        }
        exit(0)
    }
}
