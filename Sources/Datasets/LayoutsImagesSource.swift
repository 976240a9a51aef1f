import Foundation

/// scenepaint's own layout, as `scenepaint dataset synth` writes it:
/// DIR/layouts/NAME.png (indexed layouts) and DIR/images/NAME.png, paired by
/// file name. Visible .png files present in both are pairs, sorted by name;
/// a layout without its image (a pair still being written) is skipped.
public struct LayoutsImagesSource: PairSource {
    public init() {}

    public var expected: String {
        "DIR/layouts/NNNNNN.png and DIR/images/NNNNNN.png, as 'scenepaint dataset synth' writes them"
    }

    public func recognizes(_ directory: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory + "/layouts", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public func pairs(in directory: String) throws -> [DatasetPair] {
        func files(_ sub: String) throws -> [String] {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + sub) else {
                throw DatasetError.missingDirectory(directory: directory, subdirectory: sub, expected: expected)
            }
            return files
        }
        let layouts = try files("layouts"), images = Set(try files("images"))
        let names = layouts.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") && images.contains($0) }.sorted()
        guard !names.isEmpty else { throw DatasetError.noPairs(directory: directory, expected: expected) }
        return names.map { DatasetPair(name: $0, layoutPath: DatasetPaths.layout(directory, name: $0), imagePath: DatasetPaths.image(directory, name: $0)) }
    }
}
