import ArgumentParser
import Layouts

/// A size on the command line, "WxH" ("x" or "X") or "N" for NxN: one type and
/// one reading of the text for every command (generate, edit, eval, dataset,
/// train, bench cells). Each side is 1...`PNGCodec.defaultMaxSide`, so
/// width * height * channels cannot overflow in the unchecked modules; a
/// command with a tighter limit checks it with `within(_:option:)`.
/// A value that does not parse is refused by the argument parser naming the
/// option and its value; the options say "WxH" in their help.
struct Size: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        let sides = parts.map { Int($0) }
        switch sides.count {
        case 1: (width, height) = (sides[0] ?? 0, sides[0] ?? 0)
        case 2: (width, height) = (sides[0] ?? 0, sides[1] ?? 0)
        default: return nil
        }
        guard (1...PNGCodec.defaultMaxSide).contains(width), (1...PNGCodec.defaultMaxSide).contains(height) else { return nil }
    }

    var description: String { "\(width)x\(height)" }

    /// (width, height), for destructuring.
    var pair: (Int, Int) { (width, height) }

    /// Help shows the default as it is typed ("256x256", not the struct).
    var defaultValueDescription: String { description }

    /// This size, when both sides are at most `maximumSide`; else a usage error naming `option`.
    func within(_ maximumSide: Int, option: String) throws -> Size {
        guard width <= maximumSide && height <= maximumSide else {
            throw ValidationError("\(option) \(self): each side must be 1-\(maximumSide)")
        }
        return self
    }
}
