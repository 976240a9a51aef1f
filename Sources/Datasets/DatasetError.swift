import Layouts
import Support

/// What can be wrong with a dataset directory; each case is one line naming the directory or file.
public enum DatasetError: UserFacingError, Equatable {
    /// A subdirectory the directory's source needs (layouts/, images/) is missing.
    case missingDirectory(directory: String, subdirectory: String, expected: String)
    /// The directory has no complete layout/image pair.
    case noPairs(directory: String, expected: String)
    /// manifest.json says `"complete": false`: synthesis is running or was stopped.
    case incomplete(directory: String)
    /// manifest.json exists but is not JSON of the manifest's shape.
    case unreadableManifest(path: String, detail: String)
    /// manifest.json's class list does not make a valid palette.
    case manifestPalette(path: String, detail: String)
    /// An image whose size differs from its layout's.
    case sizeMismatch(imagePath: String, image: (Int, Int), layout: (Int, Int))

    public var description: String {
        switch self {
        case let .missingDirectory(directory, subdirectory, expected):
            return "\(directory): has no \(subdirectory)/ directory (expected \(expected))"
        case let .noPairs(directory, expected):
            return "\(directory): no layout/image pairs (expected \(expected))"
        case let .incomplete(directory):
            return "\(directory): manifest.json says the dataset is incomplete (synthesis still running or stopped): "
                + "run the same `scenepaint dataset synth` again to finish it"
        case let .unreadableManifest(path, detail):
            return "\(path): not a dataset manifest (\(detail))"
        case let .manifestPalette(path, detail):
            return "\(path): \(detail)"
        case let .sizeMismatch(imagePath, image, layout):
            return "\(imagePath): image is \(image.0)x\(image.1) but its layout is \(layout.0)x\(layout.1)"
        }
    }

    public static func == (a: DatasetError, b: DatasetError) -> Bool { a.description == b.description }
}
