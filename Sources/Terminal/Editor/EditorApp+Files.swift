import Editor
import Foundation
import Generation
import Layouts

/// Open, save, new, export and recovery.
extension EditorApp {
    func defaultNewPath() -> String {
        FileManager.default.currentDirectoryPath + "/untitled.png"
    }

    func openStartText() -> String {
        if let dir = options.openDirectory { return dir.hasSuffix("/") ? dir : dir + "/" }
        if let path = state.filePath { return URL(fileURLWithPath: path).deletingLastPathComponent().path + "/" }
        return FileManager.default.currentDirectoryPath + "/"
    }

    func finishPrompt(_ prompt: EditorPrompt) {
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { message = "cancelled"; return }
        switch prompt.purpose {
        case .open: open(path: expand(text))
        case .styleImage: loadStyle(path: text.isEmpty ? nil : expand(text))
        case .saveAs(let thenQuit): save(to: expand(text), thenQuit: thenQuit)
        case .newLayout: newLayout(spec: text)
        }
    }

    func expand(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }

    func save(thenQuit: Bool) {
        if let path = state.filePath {
            save(to: path, thenQuit: thenQuit)
        } else {
            mode = .prompt(EditorPrompt(label: "Save as: ", text: defaultNewPath(), purpose: .saveAs(thenQuit: thenQuit)))
        }
    }

    func save(to path: String, thenQuit: Bool) {
        do {
            try LayoutFile.write(state.layout, to: path)
            let oldPath = state.filePath
            state.markSaved(path: path)
            options.recovery.discard(for: oldPath)
            options.recovery.discard(for: path)
            message = "saved \(path)"
            if thenQuit { quitting = true }
        } catch {
            message = "not saved: \(error)"
        }
    }

    func open(path: String) {
        if state.isDirty { saveRecovery() }
        do {
            let layout = try LayoutFile.read(path: path, palette: nil, library: options.library)
            try checkModelPalette(layout.palette, layoutPath: path)
            try generator.checkMemory(width: layout.width, height: layout.height)
            state.replaceLayout(layout, path: path)
            layoutReplaced()
            message = "opened \(path)"
            recoveryDeferred = false
            if let entry = options.recovery.entry(for: path) { setMode(.offerRecovery(entry)) }
        } catch {
            message = "cannot open: \(error)"
        }
    }

    /// "WIDTHxHEIGHT [palette]".
    func newLayout(spec: String) {
        let parts = spec.split(separator: " ", omittingEmptySubsequences: true)
        let size = parts.first.map { $0.lowercased().split(separator: "x").compactMap { Int($0) } } ?? []
        guard size.count == 2, (1...4096).contains(size[0]), (1...4096).contains(size[1]) else {
            message = "new layout: give a size like 128x64 (1-4096 per side)"
            return
        }
        var palette = state.palette
        if parts.count > 1 {
            guard let library = options.library, let named = try? library.named(String(parts[1])) else {
                message = "new layout: unknown palette \"\(parts[1])\""
                return
            }
            palette = named
        }
        do {
            try checkModelPalette(palette, layoutPath: nil)
            try generator.checkMemory(width: size[0], height: size[1])
        } catch {
            message = "\(error)"
            return
        }
        if state.isDirty { saveRecovery() }
        let fill = UInt8(palette.classes[0].id)
        state.replaceLayout(Layout(labels: LabelMap(width: size[0], height: size[1], fill: fill), palette: palette), path: nil)
        layoutReplaced()
        message = "new \(size[0])x\(size[1]) layout with palette \(palette.name)"
    }

    func checkModelPalette(_ palette: Palette, layoutPath: String?) throws {
        guard let model = modelPath else { return }
        try PaletteCompatibility.check(palette, of: layoutPath ?? "the new layout", against: generator.palette, of: "model \(model)")
    }

    func recover(_ entry: RecoveryStore.Entry) {
        var palette = state.palette
        if entry.paletteName != palette.name, let named = try? options.library?.named(entry.paletteName) { palette = named }
        do {
            let layout = try options.recovery.load(entry, palette: palette)
            state.replaceLayout(layout, path: state.filePath, dirty: true)
            layoutReplaced()
            message = "recovered unsaved work (s saves it)"
        } catch {
            message = "cannot recover: \(error)"
        }
    }

    /// Starts an export of the layout as painted now; the editor keeps
    /// running while it waits for the generator and writes the files.
    func startExport(_ scope: ExportJob.Scope) {
        requestPreviewIfNeeded()
        let job = ExportJob(scope: scope, labels: state.labels, seed: state.seed, palette: state.palette,
                            exporter: ViewExporter(layoutPath: state.filePath), settings: generationSettings)
        exports.submit(job, scheduler: scheduler)
        message = job.startMessage
    }

    /// The seed and style the preview is made with (saved in exported PNGs).
    var generationSettings: GenerationSettings {
        GenerationSettings(seed: state.seed, style: (generator as? StyleSwitching)?.style)
    }

    /// `P`: the generator takes its style from a reference image (nil: back to seeds alone).
    func loadStyle(path: String?) {
        guard let switching = generator as? StyleSwitching else {
            message = "this generator cannot take a style from an image (a trained model with a style encoder can)"
            return
        }
        do {
            let styled = try switching.styled(referencePath: path)
            replaceScheduler(generator: styled)
            message = path.map { "style from \($0)" } ?? "style cleared: the seed alone picks the look"
        } catch {
            message = "\(error)"
        }
    }

    /// Outcomes of finished exports go to the message line.
    func takeExportMessages() {
        if let last = exports.takeMessages().last { message = last }
    }

    /// Waits for exports still running (quit, replacing the generator), saying so first.
    func finishExports() {
        let count = exports.pendingCount
        guard count > 0 else { return }
        message = count == 1 ? "finishing an export..." : "finishing \(count) exports..."
        pane.finishWriting()
        render()
        exports.waitUntilIdle(timeout: 300)
        takeExportMessages()
    }
}
