import Editor
import Foundation
import Layouts
import Models

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
        guard let model = options.modelPath else { return }
        try GeneratorLoader.checkPalette(model: generator.palette, modelPath: model, layout: palette, layoutPath: layoutPath)
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

    /// The result for the current layout, waiting for the generator if it is
    /// still working on it (exports must match what is painted).
    func currentResult() -> PreviewResult? {
        requestPreviewIfNeeded()
        if let latest, latest.labels == state.labels, latest.seed == state.seed { return latest }
        message = "waiting for the generator to finish this layout..."
        render()  // say so before blocking
        scheduler.waitUntilIdle(timeout: 120)
        if let result = scheduler.takeResult() { latest = result }
        guard let latest, latest.labels == state.labels else {
            message = "nothing to export yet: the generator has not finished"
            return nil
        }
        return latest
    }

    func exportCurrentView() {
        guard let result = currentResult() else { return }
        let exporter = ViewExporter(layoutPath: state.filePath)
        do {
            let path = try exporter.export(state.view, views: result.views, labels: result.labels,
                                           palette: state.palette, inspectedClass: state.inspectedClass)
            message = "exported \(state.view.title) view to \(path)"
        } catch {
            message = "export failed: \(error)"
        }
    }

    func exportAllViews() {
        guard let result = currentResult() else { return }
        let exporter = ViewExporter(layoutPath: state.filePath)
        do {
            let paths = try exporter.exportAll(views: result.views, labels: result.labels, palette: state.palette)
            message = "exported \(paths.count) views to \(exporter.directory)/\(exporter.baseName)-*.png"
        } catch {
            message = "export failed: \(error)"
        }
    }
}
