import CNCurses
import Editor
import Foundation
import Generation
import Layouts

/// The full-screen editor: ncurses for text and cells, the preview pane for
/// the image, the Editor module for everything that is not drawing. One
/// thread runs the UI; the generator runs on the scheduler's thread and wakes
/// the UI through a pipe.
///
/// `init` takes over the terminal (signal handlers, the terminal probe,
/// ncurses), so everything the loop uses exists from the start; `run()`
/// gives the terminal back when it returns.
public final class EditorApp {
    enum Mode {
        case normal
        /// The key list, shown a page at a time when the screen is short.
        case help(page: Int)
        case table
        case prompt(EditorPrompt)
        case confirmQuit
        case offerRecovery(RecoveryStore.Entry)
    }

    var state: EditorState
    let options: EditorLaunchOptions
    var mode: Mode = .normal
    let curses: EditorCurses
    /// nil while the terminal is too small for the editor.
    var screen: EditorScreenLayout?
    let pane: EditorPreviewPane
    var scheduler: PreviewScheduler
    /// Schedulers replaced by `m`, a new layout or a style, stopped but
    /// perhaps still inside a generation: exit waits for them (see `replaceScheduler`).
    var retiredSchedulers: [PreviewScheduler] = []
    let exports: ExportQueue
    let graphicsMode: GraphicsMode
    var canvasRenderer: EditorCanvasRenderer
    /// The canvas and swatch frames on screen (nil: draw again).
    var shownCanvas: EditorCanvasRenderer.Frame?
    var shownSwatches: (frame: EditorCanvasRenderer.Frame, row: Int)?
    /// The palette rows' text as last drawn: ncurses rewrites a changed row
    /// whole, blanking the swatch image in its first cells, so a change redraws it.
    var shownPaletteRows: [String] = []
    var message = ""
    var requestedRevision = -1
    var requestedSeed: UInt64 = 0
    var latest: PreviewResult?
    var composedKey: (requestID: Int, view: SceneView, inspected: Int?)?
    var caption = ""
    var mouseDown = false
    var quitting = false
    var exitStatus: Int32 = 0
    var needsFullClear = true
    /// The user chose "decide later" for a recovery file: a clean quit keeps it.
    var recoveryDeferred = false
    /// Set by `edit --trace FILE`.
    let trace: EditorTrace?
    var generator: SceneGenerator
    /// The current model's status-line label and file (they change with `m`).
    var generatorLabel: String
    var modelPath: String?
    var modelIndex = 0
    /// Wakes the UI loop from other threads (a byte into the wake pipe).
    let wake: @Sendable () -> Void
    /// The read end of the wake pipe (-1 when no pipe could be made: the loop then polls every second).
    private let wakeRead: Int32
    private let signalRead: Int32

    public init(options: EditorLaunchOptions) {
        self.options = options
        self.state = EditorState(layout: options.layout, filePath: options.layoutPath)
        self.generator = options.generator
        self.generatorLabel = options.generatorLabel
        self.modelPath = options.modelPath
        self.message = options.startMessage
        signalRead = EditorTerminalGuard.install()
        let caps = TerminalProbe.probe()
        graphicsMode = options.graphics ?? GraphicsMode.best(for: caps)
        canvasRenderer = EditorCanvasRenderer(mode: graphicsMode, depth: graphicsMode.colorDepth(detected: caps.colorDepth),
                                              cellWidth: caps.cellWidth ?? 10, cellHeight: caps.cellHeight ?? 20)
        trace = options.tracePath.map(EditorTrace.init(path:))
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        let wakeFD = fds[1]
        wake = {
            var byte: UInt8 = 1
            _ = write(wakeFD, &byte, 1)
        }
        pane = EditorPreviewPane(mode: graphicsMode, depth: canvasRenderer.depth, cellWidth: caps.cellWidth ?? 10, cellHeight: caps.cellHeight ?? 20, wake: wake)
        scheduler = Self.makeScheduler(generator: options.generator, wake: wake)
        exports = ExportQueue(onFinish: wake)
        curses = EditorCurses.start()
    }

    /// Runs until the user quits or a termination signal arrives; returns the exit status.
    public func run() -> Int32 {
        relayout()
        if let entry = options.recovery.entry(for: state.filePath) {
            mode = .offerRecovery(entry)
        }
        requestPreviewIfNeeded()

        while !quitting {
            if render() { trace?.frameDone() }
            if let write = pane.takeFinishedWrite() { trace?.imageWritten(write, encode: pane.lastEncodeTimes) }
            if previewSettled, let id = latest?.requestID { scheduler.markShown(through: id) }
            waitForInput()
            if let signal = EditorTerminalGuard.pendingSignal(signalRead) {
                terminate(by: signal)
                break
            }
            drainWakePipe()
            takePreview()
            takeExportMessages()
            readKeys()
            requestPreviewIfNeeded()
            autosaveIfDue()
        }
        if exitStatus == 0 { finishExports() }
        trace?.finished(scheduler.statistics)
        // After a signal, exports still running are not waited for (finishExports ran only on a clean quit).
        let workersStopped = ([scheduler] + retiredSchedulers).allSatisfy { $0.stopAndWait(timeout: 10) }
            && exports.pendingCount == 0
        pane.finishWriting()
        if graphicsMode == .kitty { EditorPreviewPane.writeAll(KittyGraphics.deleteAll) }
        EditorCurses.stop()
        EditorPreviewPane.writeAll(Array(EditorTerminalGuard.restoreSequence.utf8))
        EditorTerminalGuard.uninstall()
        if !workersStopped {
            // A generation (or, after Ctrl-C, an export) still runs: exit's handlers would tear down
            // OpenBLAS and oneDNN under it (a crash). The layout is saved, the terminal restored, and an
            // export writes to a temporary file first, so its target is never half-written.
            fflush(stdout)
            _exit(exitStatus)
        }
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
            trace?.keysHandled()
            if quitting { return }
        }
    }

    func requestPreviewIfNeeded() {
        guard state.revision != requestedRevision || state.seed != requestedSeed else { return }
        requestedRevision = state.revision
        requestedSeed = state.seed
        let id = scheduler.request(state.labels, seed: state.seed)
        trace?.requested(id)
    }

    private func takePreview() {
        if let failure = scheduler.takeFailure() { message = "generator failed: \(failure)" }
        if let result = scheduler.takeResult() {
            latest = result
            trace?.previewArrived(result)
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

    /// After open / new / recover: the stand-in generator follows the layout's
    /// palette (a trained model's palette was checked before the layout was accepted).
    func layoutReplaced() {
        relayout()
        latest = nil
        composedKey = nil
        guard modelPath == nil, generator.palette != state.palette else { return }
        replaceScheduler(generator: ShadedLayoutGenerator(palette: state.palette))
    }

    /// The preview's generator becomes `generator` on a new scheduler. The old
    /// one is stopped, not waited for (its generation ends at its next stage),
    /// and kept until its worker has returned: exiting while a worker is still
    /// inside oneDNN crashed the editor (quit right after `m` from ECGAN).
    func replaceScheduler(generator next: SceneGenerator) {
        finishExports()  // they wait on the old generator
        scheduler.stop()
        retiredSchedulers.removeAll { !$0.isGenerating }
        retiredSchedulers.append(scheduler)
        generator = next
        scheduler = Self.makeScheduler(generator: next, wake: wake)
        requestedRevision = -1
    }

    /// `m`: the next loaded model (the default LGGAN, the style LGGAN, the ECGAN) takes over the preview, without a restart.
    /// A view the new model lacks falls back to fused.
    func switchModel() {
        let all = [(generator: options.generator, label: options.generatorLabel, modelPath: options.modelPath)] + options.alternatives
        guard all.count > 1 else {
            message = "only one model is loaded (scenepaint edit --and-model FILE loads another)"
            return
        }
        let index = (modelIndex + 1) % all.count
        let next = all[index]
        guard PaletteCompatibility.compatible(next.generator.palette, state.palette) else {
            message = "\(next.label) was trained on palette \(next.generator.palette.name), not this layout's \(state.palette.name)"
            return
        }
        do {
            try next.generator.checkMemory(width: state.layout.width, height: state.layout.height)
        } catch {
            message = "\(next.label) not switched to: \(error)"
            return
        }
        modelIndex = index
        generatorLabel = next.label
        modelPath = next.modelPath
        replaceScheduler(generator: next.generator)
        latest = nil
        composedKey = nil
        if !generator.views.contains(state.view) { state.view = .fused }
        message = "model: \(generator.modelName) (\(next.label))"
    }

    /// The status line's model: kind and file ("no model" for the stand-in).
    var modelStatus: String {
        modelPath == nil ? generatorLabel : "\(generatorLabel) [\(generator.modelName)]"
    }

    /// 10 ms merges the events of a drag; the next generation waits up to
    /// 150 ms for the previous image to reach the screen (see PreviewScheduler).
    /// For benchmarks, SCENEPAINT_PREVIEW_POLICY=cancel-always restores the
    /// earlier policy (every stale generation cancelled, no wait for the
    /// screen) and =no-screen-wait drops only the wait for the screen.
    static func makeScheduler(generator: SceneGenerator, wake: @escaping @Sendable () -> Void) -> PreviewScheduler {
        switch ProcessInfo.processInfo.environment["SCENEPAINT_PREVIEW_POLICY"] {
        case "cancel-always":
            return PreviewScheduler(generator: generator, debounce: 0.01, lateCancelFraction: .infinity, onUpdate: wake)
        case "no-screen-wait":
            return PreviewScheduler(generator: generator, debounce: 0.01, onUpdate: wake)
        default:
            return PreviewScheduler(generator: generator, debounce: 0.01, displayGrace: 0.15, onUpdate: wake)
        }
    }

    /// True when the newest image is on screen, or cannot be shown now
    /// (terminal too small, a popup over the pane).
    var previewSettled: Bool {
        screen == nil || Self.coversPreview(mode) || (!pane.needsEmit && !pane.isWriting)
    }

    /// Recomputes the screen layout (start, resize) and fits the canvas.
    func relayout() {
        let size = curses.size
        screen = EditorScreenLayout(columns: size.columns, rows: size.rows)
        if let window = TerminalProbe.windowSize(), window.xPixels > 0, window.yPixels > 0 {
            pane.cellWidth = window.xPixels / window.columns
            pane.cellHeight = window.yPixels / window.rows
            canvasRenderer.cellWidth = pane.cellWidth
            canvasRenderer.cellHeight = pane.cellHeight
        }
        if let screen {
            let dots = canvasRenderer.dots(in: screen.canvas)
            state.viewport = Viewport.fitting(layoutWidth: state.layout.width, layoutHeight: state.layout.height,
                                              dotsWide: dots.wide, dotsHigh: dots.high)
        }
        pane.resetCache()
        needsFullClear = true
    }

    /// Draws everything ncurses owns, refreshes, then starts writing the
    /// image. Returns false (drawing nothing) while an image is still being
    /// written: the next wake-up draws.
    @discardableResult
    func render() -> Bool {
        guard !pane.isWriting else { return false }
        if needsFullClear {
            // Kitty images lie over the text: a popup or a cleared screen needs them gone.
            if graphicsMode == .kitty { EditorPreviewPane.writeAll(KittyGraphics.deleteAll) }
            clearok(stdscr, true)
            needsFullClear = false
            pane.invalidate()
            shownCanvas = nil
            shownSwatches = nil
        }
        werase(stdscr)
        guard let screen else {
            let size = curses.size
            let text = EditorScreenLayout.tooSmallMessage(columns: size.columns, rows: size.rows)
            curses.text(text, row: size.rows / 2, column: 0, width: max(0, size.columns - 1), pad: false)
            wrefresh(stdscr)
            return true
        }
        composePreviewIfNeeded()
        if pane.wouldLeaveFragments(in: screen.preview) {
            // A smaller image than the one shown: only a cleared screen drops the rest.
            clearok(stdscr, true)
            pane.invalidate()
            shownCanvas = nil
            shownSwatches = nil
        }
        drawScreen(screen)
        wrefresh(stdscr)
        if !Self.coversPreview(mode) { drawCanvasAndSwatches(screen) }
        if !Self.coversPreview(mode), pane.emitIfNeeded(in: screen.preview) > 0 { trace?.imageWriteStarted() }
        return true
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

/// Timing lines for the benchmark (`edit --trace FILE`), one event a line:
///   key <ms>                  poll wake-up with keys -> their frame drawn (ncurses refresh written;
///                             after an image write still going on, if any)
///   preview <ms> gen <ms> wait <ms> pickup <ms> show <ms> queue <ms> ready <ms>
///                             edit (request) -> its image written; inside it: the generation,
///                             the wait before it started (debounce, a generation running before
///                             it), generation end -> UI took the result, and UI took it -> image
///                             written (compose, encode, write); of `show`: encode asked -> started
///                             (queue) and encoded -> write started (ready)
///   emit <ms> <bytes>         writing the (already encoded) preview image (background queue)
///   encode <ms>               encoding that image (background queue)
///   edit <ms>                 an edit -> the first image that includes it written (every edit,
///                             also those whose own generation was cancelled or replaced)
///   stats started N completed N cancelled N superseded N failed N    (at exit)
final class EditorTrace {
    private let handle: FileHandle?
    private var wokeAt: Double?
    /// The wake-up at which the first key not yet on screen was handled.
    private var keysAt: Double?
    private var arrived: (result: PreviewResult, takenAt: Double)?
    /// The result whose image is being written.
    private var writing: (result: PreviewResult, takenAt: Double)?
    /// Requests (id, time) not yet covered by an image on screen.
    private var unseen: [(id: Int, at: Double)] = []

    /// A log appended line by line while the editor runs (not a document:
    /// it does not go through AtomicFile).
    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
    }

    func inputArrived() { wokeAt = UptimeClock().now() }
    func requested(_ id: Int) { unseen.append((id, UptimeClock().now())) }
    func keysHandled() { if keysAt == nil { keysAt = wokeAt } }
    func previewArrived(_ result: PreviewResult) { arrived = (result, UptimeClock().now()) }
    /// The newest result's image started going out (it is the one encoded last).
    func imageWriteStarted() {
        writing = arrived
        arrived = nil
    }
    /// The preview image was written: closes the newest generation's timing.
    func imageWritten(_ write: EditorPreviewPane.WriteTimes, encode: EditorPreviewPane.EncodeTimes) {
        let start = write.started, now = write.finished
        line(String(format: "emit %.3f %d", (now - start) * 1000, write.bytes))
        line(String(format: "encode %.3f", encode.seconds * 1000))
        if let (r, takenAt) = writing {
            line(String(format: "preview %.3f gen %.3f wait %.3f pickup %.3f show %.3f queue %.3f ready %.3f",
                        (now - r.requestedAt) * 1000, r.views.seconds * 1000, (r.startedAt - r.requestedAt) * 1000,
                        (takenAt - r.finishedAt) * 1000, (now - takenAt) * 1000,
                        (encode.started - encode.queued) * 1000, (start - encode.finished) * 1000))
            for edit in unseen where edit.id <= r.requestID { line(String(format: "edit %.3f", (now - edit.at) * 1000)) }
            unseen.removeAll { $0.id <= r.requestID }
            writing = nil
        }
    }

    /// Called once a frame is drawn (ncurses refresh written, image write started).
    func frameDone() {
        let now = UptimeClock().now()
        if let t = keysAt { line(String(format: "key %.3f", (now - t) * 1000)) }
        keysAt = nil
    }

    func finished(_ s: PreviewScheduler.Statistics) {
        line("stats started \(s.started) completed \(s.completed) cancelled \(s.cancelled) superseded \(s.superseded) failed \(s.failed)")
    }

    private func line(_ text: String) {
        handle?.write(Data((text + "\n").utf8))
    }
}
