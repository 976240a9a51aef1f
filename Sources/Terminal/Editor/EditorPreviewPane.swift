import Editor
import Foundation
import Layouts

/// The image half of the screen. ncurses never writes inside the pane's
/// rectangle; after each refresh the image is written there directly, as one
/// write of save-cursor, cursor position, image bytes, restore-cursor.
/// Encoding (sixel dithering takes 10-40 ms for a 256x256 scene) runs on a
/// background queue so keys are never held up by it; `wake` tells the UI
/// loop when the bytes are ready. Writing runs on another background queue:
/// a terminal busy parsing a 230 KB sixel can hold a write for 100 ms, and
/// the UI keeps handling keys (and asking for generations) meanwhile; it
/// only must not write to the terminal itself until `isWriting` is false
/// (`wake` again). The bytes are kept per (image, rectangle), so a re-emit
/// after a popup or screen clear costs only the write.
final class EditorPreviewPane {
    typealias Rect = EditorScreenLayout.Rect

    let mode: GraphicsMode
    /// Colours of text cells.
    let depth: ColorDepth
    /// Pixel size of one cell (sixel sizing); from TIOCGWINSZ, else a guess.
    var cellWidth: Int
    var cellHeight: Int
    private let wake: @Sendable () -> Void
    private let queue = DispatchQueue(label: "scenepaint.preview.encode", qos: .userInitiated)
    private let writer = DispatchQueue(label: "scenepaint.preview.write", qos: .userInitiated)
    private var image: RGBImage?
    /// Bumped for every new image (UI thread only).
    private var version = 0
    private var encoding: (version: Int, rect: Rect)?
    // Written by the encoder, read by the UI thread.
    private let lock = NSLock()
    private var ready: (version: Int, rect: Rect, bytes: [UInt8])?
    private var encodeTimes = EncodeTimes()
    private var writing = false
    private var finishedWrite: WriteTimes?
    /// One image write: when it started and ended (systemUptime) and its size.
    struct WriteTimes {
        var started: Double, finished: Double, bytes: Int
    }
    /// When the last encoding was asked for, started and finished (systemUptime; benchmark trace).
    struct EncodeTimes {
        var queued = 0.0, started = 0.0, finished = 0.0
        var seconds: Double { finished - started }
    }
    var lastEncodeTimes: EncodeTimes {
        lock.lock()
        defer { lock.unlock() }
        return encodeTimes
    }
    /// True when the terminal does not show the current image (new image,
    /// screen cleared, popup closed).
    private(set) var needsEmit = false
    /// Cells covered by the image last written (nil after a screen clear).
    private(set) var shownFootprint: Rect?

    init(mode: GraphicsMode, depth: ColorDepth, cellWidth: Int, cellHeight: Int, wake: @escaping @Sendable () -> Void) {
        self.mode = mode
        self.depth = depth
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.wake = wake
    }

    var hasImage: Bool { image != nil }

    /// True while an image is being written: nothing else may go to the terminal.
    var isWriting: Bool {
        lock.lock()
        defer { lock.unlock() }
        return writing
    }

    /// The last finished write, once (benchmark trace).
    func takeFinishedWrite() -> WriteTimes? {
        lock.lock()
        defer { lock.unlock() }
        let w = finishedWrite
        finishedWrite = nil
        return w
    }

    /// Blocks until the image being written is out (before quitting, before a
    /// message that must show at once).
    func finishWriting() {
        writer.sync {}
    }

    func setImage(_ newImage: RGBImage) {
        image = newImage
        version += 1
        needsEmit = true
    }

    /// The screen was cleared or the pane covered: draw again on the next emit.
    func invalidate() {
        needsEmit = image != nil
        shownFootprint = nil
    }

    /// The size of a cell changed (resize): encode again.
    func resetCache() {
        version += 1
        invalidate()
    }

    /// The cells the current image will cover in `rect`.
    func footprint(in rect: Rect) -> Rect? {
        guard let image else { return nil }
        return Self.footprint(width: image.width, height: image.height, in: rect, mode: mode, cell: (cellWidth, cellHeight))
    }

    static func footprint(width: Int, height: Int, in rect: Rect, mode: GraphicsMode, cell: (Int, Int)) -> Rect? {
        guard rect.width > 0, rect.height > 0 else { return nil }
        switch mode {
        case .sixel, .kitty, .iterm:
            // Sixel rows come in bands of 6 pixels: stay inside the rectangle.
            let size = fill(width: width, height: height, into: rect.width * cell.0, (rect.height * cell.1 / 6) * 6)
            let columns = (size.width + cell.0 - 1) / cell.0
            let rows = (size.height + cell.1 - 1) / cell.1
            return Rect(x: rect.x + max(0, (rect.width - columns) / 2), y: rect.y, width: columns, height: rows)
        case .symbols, .truecolor, .ansi256, .ansi16:
            let size = fill(width: width, height: height, into: rect.width, rect.height * 2)
            return Rect(x: rect.x + max(0, (rect.width - size.width) / 2), y: rect.y, width: size.width, height: (size.height + 1) / 2)
        }
    }

    private func readyBytes(for rect: Rect) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let ready, ready.version == version, ready.rect == rect else { return nil }
        return ready.bytes
    }

    /// True when the next image is ready and would leave parts of the
    /// previous one visible: the screen must be cleared first.
    func wouldLeaveFragments(in rect: Rect) -> Bool {
        guard needsEmit, let shown = shownFootprint, let next = footprint(in: rect), readyBytes(for: rect) != nil else { return false }
        return shown.x < next.x || shown.y < next.y
            || shown.x + shown.width > next.x + next.width || shown.y + shown.height > next.y + next.height
    }

    /// Starts writing the image into `rect` if it is due and encoded;
    /// otherwise starts encoding it. Returns the number of bytes being written.
    @discardableResult
    func emitIfNeeded(in rect: Rect) -> Int {
        guard needsEmit, let image, rect.width > 0, rect.height > 0, !isWriting else { return 0 }
        if let bytes = readyBytes(for: rect) {
            needsEmit = false
            shownFootprint = footprint(in: rect)
            lock.lock()
            writing = true
            lock.unlock()
            writer.async { [self] in
                let start = UptimeClock().now()
                Self.writeAll(bytes)
                let end = UptimeClock().now()
                lock.lock()
                writing = false
                finishedWrite = WriteTimes(started: start, finished: end, bytes: bytes.count)
                lock.unlock()
                wake()
            }
            return bytes.count
        }
        if let encoding, encoding.version == version, encoding.rect == rect { return 0 }
        encoding = (version, rect)
        let job = (version: version, mode: mode, depth: depth, cell: (cellWidth, cellHeight))
        let queued = UptimeClock().now()
        queue.async { [weak self] in
            let start = UptimeClock().now()
            guard let bytes = try? Self.encode(image, in: rect, mode: job.mode, depth: job.depth, cell: job.cell) else { return }
            let end = UptimeClock().now()
            guard let self else { return }
            self.lock.lock()
            self.ready = (job.version, rect, bytes)
            self.encodeTimes = EncodeTimes(queued: queued, started: start, finished: end)
            self.lock.unlock()
            self.wake()
        }
        return 0
    }

    /// Positioned bytes for the image fitted into `rect`, centred horizontally.
    static func encode(_ image: RGBImage, in rect: Rect, mode: GraphicsMode, depth: ColorDepth, cell: (Int, Int)) throws -> [UInt8] {
        guard let place = footprint(width: image.width, height: image.height, in: rect, mode: mode, cell: cell) else { return [] }
        var out = Array("\u{1B}7".utf8)
        switch mode {
        case .sixel:
            let size = fill(width: image.width, height: image.height, into: rect.width * cell.0, (rect.height * cell.1 / 6) * 6)
            out += cursorPosition(row: place.y, column: place.x)
            let fitted = image.resized(width: size.width, height: size.height)
            if sixelDither == "libsixel" {
                out += try TerminalImage(rgb: fitted).encoded(mode: .sixel)
            } else {
                out += try SixelEncoder.encode(indices: EditorSixelQuantizer.indices(fitted), width: fitted.width,
                                               height: fitted.height, palette: EditorSixelQuantizer.palette)
            }
        case .kitty:
            // The generator's pixels as they are; kitty scales them to the cells.
            out += cursorPosition(row: place.y, column: place.x)
            out += KittyGraphics.place(.rgb(image), id: 1, cells: (place.width, place.height))
        case .iterm:
            let size = fill(width: image.width, height: image.height, into: rect.width * cell.0, (rect.height * cell.1 / 6) * 6)
            out += cursorPosition(row: place.y, column: place.x)
            out += try TerminalImage(rgb: image.resized(width: size.width, height: size.height)).encoded(mode: mode, imageID: 1)
        case .symbols, .truecolor, .ansi256, .ansi16:
            let size = fill(width: image.width, height: image.height, into: rect.width, rect.height * 2)
            let grid = TerminalImage(rgb: image).cells(columns: size.width, rows: (size.height + 1) / 2, mode: mode, depth: depth)
            for (i, line) in grid.lines(depth: mode.colorDepth(detected: depth)).enumerated() where i < rect.height {
                out += cursorPosition(row: place.y + i, column: place.x)
                out += Array(line.utf8)
            }
        }
        out += Array("\u{1B}8".utf8)
        return out
    }

    /// The largest size with the image's aspect that fits the box (any
    /// factor, up or down: the pane is meant to be filled).
    static func fill(width: Int, height: Int, into boxWidth: Int, _ boxHeight: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0, boxWidth > 0, boxHeight > 0 else { return (1, 1) }
        let scale = min(Double(boxWidth) / Double(width), Double(boxHeight) / Double(height))
        return (max(1, Int(Double(width) * scale)), max(1, Int(Double(height) * scale)))
    }

    /// SCENEPAINT_SIXEL_DITHER=libsixel uses libsixel's adaptive palette and
    /// error diffusion (slower, for comparison in the benchmark).
    static let sixelDither = ProcessInfo.processInfo.environment["SCENEPAINT_SIXEL_DITHER"] ?? "ordered"

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
