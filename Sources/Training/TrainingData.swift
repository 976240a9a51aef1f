import Layouts

/// Opens `train lggan --data`: a scenepaint pair directory or a real dataset,
/// by the given format or the one detected from the directory.
public enum TrainingData {
    public static func open(directory: String, format: DatasetFormat?, split: String?, palette explicit: Palette?,
                            library: PaletteLibrary?) throws -> any TrainingPairSource {
        let format = try format ?? DatasetFormat.detect(directory: directory)
        guard let name = format.paletteName else {
            return try PairedDataset(directory: directory, palette: explicit, library: library)
        }
        let palette = try explicit ?? (library ?? PaletteLibrary(palettes: [])).named(name)
        return try RealDataset(directory: directory, format: format, split: split, palette: palette)
    }
}
