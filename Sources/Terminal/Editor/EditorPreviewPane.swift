import Foundation
import Layouts

/// The image half of the screen. ncurses never writes inside the pane's
/// rectangle; after each refresh the image is written there directly, as one
/// write of save-cursor, cursor position, image bytes, restore-cursor. The
/// encoded bytes are cached per (image, rectangle) so a re-emit after a popup
/// or resize costs only the write.
final class EditorPreviewPane {
    let mode: GraphicsMode
    /// Pixel size of one cell (sixel sizing); from TIOCGWINSZ, else a guess.
    var cellWidth: Int
    var cellHeight: Int
    private var image: RGBImage?
    private var cache: (rect: EditorScreenLayout.Rect, bytes: [UInt8])?
    /// True when the terminal does not show the current image (new image,
    /// screen cleared, popup closed).
    private(set) var needsEmit = false
    /// Cells covered by the image last written (nil after a screen clear).
    private(set) var shownFootprint: EditorScreenLayout.Rect?

    init(mode: GraphicsMode, cellWidth: Int, cellHeight: Int) {
        self.mode = mode
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    var hasImage: Bool { image != nil }

    func setImage(_ newImage: RGBImage) {
        image = newImage
        cache = nil
        needsEmit = true
    }

    /// The screen was cleared or the pane covered: draw again on the next emit.
    func invalidate() {
        needsEmit = image != nil
        shownFootprint = nil
    }

    /// The cells the current image will cover in `rect`.
    func footprint(in rect: EditorScreenLayout.Rect) -> EditorScreenLayout.Rect? {
        guard let image, rect.width > 0, rect.height > 0 else { return nil }
        switch mode {
        case .sixel:
            let size = ImageFit.fit(width: image.width, height: image.height, into: rect.width * cellWidth, (rect.height * cellHeight / 6) * 6)
            let columns = (size.width + cellWidth - 1) / cellWidth
            let rows = (size.height + cellHeight - 1) / cellHeight
            return EditorScreenLayout.Rect(x: rect.x + max(0, (rect.width - columns) / 2), y: rect.y, width: columns, height: rows)
        case .truecolor, .ansi256:
            let size = ImageFit.fit(width: image.width, height: image.height, into: rect.width, rect.height * 2)
            return EditorScreenLayout.Rect(x: rect.x + max(0, (rect.width - size.width) / 2), y: rect.y,
                                           width: size.width, height: (size.height + 1) / 2)
        }
    }

    /// True when the next image would leave parts of the previous one
    /// visible: the screen must be cleared first.
    func wouldLeaveFragments(in rect: EditorScreenLayout.Rect) -> Bool {
        guard needsEmit, let shown = shownFootprint, let next = footprint(in: rect) else { return false }
        return shown.x < next.x || shown.y < next.y
            || shown.x + shown.width > next.x + next.width || shown.y + shown.height > next.y + next.height
    }

    func resetCache() { cache = nil; invalidate() }

    /// Writes the image into `rect` if needed. Returns the bytes written.
    @discardableResult
    func emitIfNeeded(in rect: EditorScreenLayout.Rect) -> Int {
        guard needsEmit, let image, rect.width > 0, rect.height > 0 else { return 0 }
        needsEmit = false
        shownFootprint = footprint(in: rect)
        let bytes: [UInt8]
        if let cache, cache.rect == rect {
            bytes = cache.bytes
        } else {
            guard let encoded = try? encode(image, in: rect) else { return 0 }
            cache = (rect, encoded)
            bytes = encoded
        }
        Self.writeAll(bytes)
        return bytes.count
    }

    /// Positioned bytes for the image fitted into `rect`, centred horizontally.
    func encode(_ image: RGBImage, in rect: EditorScreenLayout.Rect) throws -> [UInt8] {
        var out = Array("\u{1B}7".utf8)
        switch mode {
        case .sixel:
            // Sixel rows come in bands of 6 pixels: stay inside the rectangle.
            let boxW = rect.width * cellWidth
            let boxH = (rect.height * cellHeight / 6) * 6
            let size = ImageFit.fit(width: image.width, height: image.height, into: boxW, boxH)
            let fitted = image.resized(width: size.width, height: size.height)
            let x = footprint(in: rect)?.x ?? rect.x
            out += Self.cursorPosition(row: rect.y, column: x)
            out += try TerminalImage(rgb: fitted).encoded(mode: .sixel)
        case .truecolor, .ansi256:
            let size = ImageFit.fit(width: image.width, height: image.height, into: rect.width, rect.height * 2)
            let fitted = image.resized(width: size.width, height: size.height)
            let renderer = HalfBlockRenderer(palette: mode == .truecolor ? .truecolor : .ansi256)
            let x = rect.x + max(0, (rect.width - size.width) / 2)
            for (i, line) in renderer.lines(fitted).enumerated() where i < rect.height {
                out += Self.cursorPosition(row: rect.y + i, column: x)
                out += Array(line.utf8)
            }
        }
        out += Array("\u{1B}8".utf8)
        return out
    }

    static func cursorPosition(row: Int, column: Int) -> [UInt8] {
        Array("\u{1B}[\(row + 1);\(column + 1)H".utf8)
    }

    static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                offset += n
            }
        }
    }
}
