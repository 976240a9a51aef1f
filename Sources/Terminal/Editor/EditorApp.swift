import CNCurses
import Editor
import Foundation
import Layouts
import Models

/// The full-screen editor: ncurses for text and cells, the preview pane for
/// the image, the Editor module for everything that is not drawing. One
/// thread runs the UI; the generator runs on the scheduler's thread and wakes
/// the UI through a pipe.
public final class EditorApp {
    enum Mode {
        case normal
        case help
        case table
        case prompt(EditorPrompt)
        case confirmQuit
        case offerRecovery(RecoveryStore.Entry)
    }

    var state: EditorState
    let options: EditorLaunchOptions
    var mode: Mode = .normal
    var curses: EditorCurses!
    var screen: EditorScreenLayout?
    var pane: EditorPreviewPane!
    var scheduler: PreviewScheduler!
    var graphicsMode: GraphicsMode = .truecolor
    var message = ""
    var requestedRevision = -1
    var requestedSeed: UInt64 = 0
    var latest: PreviewResult?
    var composedKey: (requestID: Int, view: PreviewView, inspected: Int?)?
    var caption = ""
    var mouseDown = false
    var quitting = false
    var exitStatus: Int32 = 0
    var needsFullClear = true
    var trace: EditorTrace?
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var signalRead: Int32 = -1

    public init(options: EditorLaunchOptions) {
        self.options = options
        self.state = EditorState(layout: options.layout, filePath: options.layoutPath)
        self.message = options.startMessage
    }

    /// Runs until the user quits or a termination signal arrives; returns the exit status.
    public func run() -> Int32 {
        signalRead = EditorTerminalGuard.install()
        let caps = TerminalProbe.probe()
        graphicsMode = options.graphics ?? GraphicsMode.best(for: caps)
        pane = EditorPreviewPane(mode: graphicsMode, cellWidth: caps.cellWidth ?? 10, cellHeight: caps.cellHeight ?? 20)
        trace = options.tracePath.map(EditorTrace.init(path:))
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            wakeRead = fds[0]
            wakeWrite = fds[1]
            _ = fcntl(wakeRead, F_SETFL, fcntl(wakeRead, F_GETFL) | O_NONBLOCK)
            _ = fcntl(wakeWrite, F_SETFL, fcntl(wakeWrite, F_GETFL) | O_NONBLOCK)
        }
        let wake = wakeWrite
        scheduler = PreviewScheduler(generator: options.generator, onUpdate: {
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        })
        curses = EditorCurses.start()
        relayout()
        if let entry = options.recovery.entry(for: state.filePath) {
            mode = .offerRecovery(entry)
        }
        requestPreviewIfNeeded()

        while !quitting {
            let inputAt = PreviewScheduler.now()
            render()
            trace?.frameDone(inputAt: inputAt)
            waitForInput()
            if let signal = EditorTerminalGuard.pendingSignal(signalRead) {
                terminate(by: signal)
                break
            }
            drainWakePipe()
            takePreview()
            readKeys()
            requestPreviewIfNeeded()
            autosaveIfDue()
        }
        scheduler.stop()
        EditorCurses.stop()
        EditorPreviewPane.writeAll(Array(EditorTerminalGuard.restoreSequence.utf8))
        EditorTerminalGuard.uninstall()
        return exitStatus
    }

    // MARK: loop parts

    private func waitForInput() {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, nfds_t(fds.count), 1000)
        trace?.inputArrived()
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private func readKeys() {
        var handled = 0
        while handled < 256 {
            let key = wgetch(stdscr)
            if key == ERR { break }
            handle(key: key)
            handled += 1
            if quitting { return }
        }
    }

    func requestPreviewIfNeeded() {
        guard state.revision != requestedRevision || state.seed != requestedSeed else { return }
        requestedRevision = state.revision
        requestedSeed = state.seed
        scheduler.request(state.labels, seed: state.seed)
        trace?.previewRequested()
    }

    private func takePreview() {
        if let failure = scheduler.takeFailure() { message = "generator failed: \(failure)" }
        if let result = scheduler.takeResult() {
            latest = result
            trace?.previewArrived(requestedAt: result.requestedAt)
        }
    }

    private func autosaveIfDue() {
        guard state.isDirty, state.changesSinceAutosave >= 5 else { return }
        saveRecovery()
    }

    func saveRecovery() {
        do {
            try options.recovery.save(state.layout, for: state.filePath)
            state.noteAutosaved()
        } catch {
            message = "autosave failed: \(error)"
        }
    }

    /// SIGINT, SIGTERM, SIGHUP: keep the work in the recovery file, give the terminal back.
    private func terminate(by signal: Int32) {
        if state.isDirty { saveRecovery() }
        quitting = true
        exitStatus = 128 + signal
    }

    /// Recomputes the screen layout (start, resize) and fits the canvas.
    func relayout() {
        let size = curses.size
        screen = EditorScreenLayout(columns: size.columns, rows: size.rows)
        if let window = TerminalProbe.windowSize(), window.xPixels > 0, window.yPixels > 0 {
            pane.cellWidth = window.xPixels / window.columns
            pane.cellHeight = window.yPixels / window.rows
        }
        if let screen {
            state.viewport = Viewport.fitting(layoutWidth: state.layout.width, layoutHeight: state.layout.height,
                                              dotsWide: screen.canvas.width, dotsHigh: screen.canvas.height * 2)
        }
        pane.resetCache()
        needsFullClear = true
    }

    /// Draws everything ncurses owns, refreshes, then writes the image.
    private func render() {
        if needsFullClear {
            clearok(stdscr, true)
            needsFullClear = false
            pane.invalidate()
        }
        werase(stdscr)
        guard let screen else {
            let size = curses.size
            let text = EditorScreenLayout.tooSmallMessage(columns: size.columns, rows: size.rows)
            curses.text(text, row: size.rows / 2, column: 0, width: max(0, size.columns - 1), pad: false)
            wrefresh(stdscr)
            return
        }
        composePreviewIfNeeded()
        if pane.wouldLeaveFragments(in: screen.preview) {
            // A smaller image than the one shown: only a cleared screen drops the rest.
            clearok(stdscr, true)
            pane.invalidate()
        }
        drawScreen(screen)
        wrefresh(stdscr)
        if !Self.coversPreview(mode) { pane.emitIfNeeded(in: screen.preview) }
    }

    /// Turns the latest result into the image of the current view.
    func composePreviewIfNeeded() {
        guard let latest else { return }
        let key = (latest.requestID, state.view, state.view == .classView ? state.inspectedClass : nil)
        if let composedKey, composedKey == key { return }
        composedKey = key
        let composed = ViewComposer.compose(state.view, views: latest.views, labels: latest.labels,
                                            palette: state.palette, inspectedClass: state.inspectedClass)
        caption = composed.caption
        pane.setImage(composed.image)
    }

    /// Opens or closes a popup over the pane: clear the screen so no image
    /// fragment survives, and draw the image again once nothing covers it.
    func setMode(_ newMode: Mode) {
        if Self.coversPreview(mode) || Self.coversPreview(newMode) { needsFullClear = true }
        mode = newMode
    }

    static func coversPreview(_ mode: Mode) -> Bool {
        switch mode {
        case .help, .table: return true
        default: return false
        }
    }
}

/// Timing lines for the benchmark: how long from an input until the screen
/// is written, and from a preview request until its image is on screen.
final class EditorTrace {
    private let handle: FileHandle?
    private var inputAt: Double?
    private var previewArrivedAt: (requested: Double, arrived: Double)?

    init(path: String) {
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
    }

    func inputArrived() { inputAt = PreviewScheduler.now() }
    func previewRequested() { line("request \(PreviewScheduler.now())") }
    func previewArrived(requestedAt: Double) { previewArrivedAt = (requestedAt, PreviewScheduler.now()) }

    /// Called after the frame (ncurses refresh and image write) is out.
    func frameDone(inputAt _: Double) {
        let now = PreviewScheduler.now()
        if let t = inputAt { line(String(format: "frame %.3f", (now - t) * 1000)) }
        if let p = previewArrivedAt {
            line(String(format: "preview %.3f generated-in %.3f", (now - p.requested) * 1000, (p.arrived - p.requested) * 1000))
        }
        inputAt = nil
        previewArrivedAt = nil
    }

    private func line(_ text: String) {
        handle?.write(Data((text + "\n").utf8))
    }
}
