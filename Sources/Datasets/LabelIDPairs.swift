import Foundation
import Layouts

/// What the real datasets share: label-id PNGs (the dataset's own ids, which
/// the bundled palette of the same name carries) paired by file stem with
/// PNG or JPEG photos; photos are told apart by signature, not by name.
enum LabelIDPairs {
    static func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    /// Visible entries of a directory, sorted (none when it is missing).
    static func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// labels/X.png matched with images/X.jpg, X.jpeg or X.png; labels without a photo are skipped.
    static func byStem(labels: String, images: String) -> [DatasetPair] {
        var imageByStem: [String: String] = [:]
        for name in list(images) {
            let ext = (name as NSString).pathExtension.lowercased()
            if ["jpg", "jpeg", "png"].contains(ext) { imageByStem[(name as NSString).deletingPathExtension] = name }
        }
        return list(labels).compactMap { name in
            guard name.hasSuffix(".png"), let image = imageByStem[String(name.dropLast(4))] else { return nil }
            return DatasetPair(name: name, layoutPath: labels + "/" + name, imagePath: images + "/" + image)
        }
    }

    /// The pairs, or `noPairs` naming the directory and the expected layout.
    static func nonEmpty(_ pairs: [DatasetPair], directory: String, expected: String) throws -> [DatasetPair] {
        guard !pairs.isEmpty else { throw DatasetError.noPairs(directory: directory, expected: expected) }
        return pairs
    }
}
