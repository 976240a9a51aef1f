/// A one-line text question on the message row (file names, sizes). Keys
/// arrive as bytes (wgetch), so UTF-8 is collected byte by byte.
struct EditorPrompt {
    enum Purpose {
        case open
        case saveAs(thenQuit: Bool)
        case newLayout
        case styleImage
    }

    let label: String
    private var bytes: [UInt8]
    let purpose: Purpose

    init(label: String, text: String, purpose: Purpose) {
        self.label = label
        self.bytes = Array(text.utf8)
        self.purpose = purpose
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Applies one key; returns true when Enter finished the line.
    mutating func type(_ key: Int32) -> Bool {
        switch key {
        case 10, 13, 343: return true  // \n, \r, KEY_ENTER
        case 8, 127, 263:  // backspace: drop one whole character
            var scalars = text.unicodeScalars
            if !scalars.isEmpty { scalars.removeLast() }
            bytes = Array(String(scalars).utf8)
        case 21: bytes = []  // ctrl-u
        case 32...126, 128...255: bytes.append(UInt8(key))
        default: break
        }
        return false
    }
}
