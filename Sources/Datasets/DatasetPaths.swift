/// Where the pairs of a dataset in scenepaint's own layout live: DIR/layouts/NAME
/// and DIR/images/NAME, pair `index` named NNNNNN.png (six digits).
public enum DatasetPaths {
    public static func layout(_ directory: String, index: Int) -> String { layout(directory, name: name(index)) }
    public static func image(_ directory: String, index: Int) -> String { image(directory, name: name(index)) }

    public static func layout(_ directory: String, name: String) -> String { directory + "/layouts/" + name }
    public static func image(_ directory: String, name: String) -> String { directory + "/images/" + name }

    public static func name(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".png"
    }
}
