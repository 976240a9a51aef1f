import Layouts

/// "WxH" sizes on the command line (generate --size, edit --size, dataset
/// --size, train segmenter --size): one reading of the text, so every command
/// accepts the same spellings. Each command keeps its own error message.
enum SizeArgument {
    /// Width and height of "WxH" ("x" or "X"), each a positive integer no larger
    /// than `maximumSide` (by default the largest side a PNG reader accepts, so
    /// width * height * channels cannot overflow in the unchecked modules); nil
    /// for anything else.
    static func parse(_ text: String, maximumSide: Int = PNGCodec.defaultMaxSide) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0
        else { return nil }
        if width > maximumSide || height > maximumSide { return nil }
        return (width, height)
    }
}
