import CNCurses
import Editor
import Foundation
import Layouts

/// Drawing what ncurses owns: titles, canvas, rules, palette, message and
/// status lines, popups. The preview rectangle is left alone.
extension EditorApp {
    func drawScreen(_ screen: EditorScreenLayout) {
        let titlePair = curses.pair(-1, -1)
        let layoutTitle = " \(ExportNaming.baseName(layoutPath: state.filePath)) \(state.layout.width)x\(state.layout.height) \(state.viewport.zoomLabel)"
        curses.text(layoutTitle, row: 0, column: screen.canvas.x, width: screen.canvas.width, pair: titlePair, attributes: EditorCurses.attrBold)
        let detail = latest == nil ? "generating..." : (caption == state.view.title ? "" : caption)
        let viewTitle = " \(state.view.key(in: generator.views)) \(state.view.title)" + (detail.isEmpty ? "" : ": " + detail)
        curses.text(viewTitle, row: 0, column: screen.preview.x, width: screen.preview.width, pair: titlePair, attributes: EditorCurses.attrBold)
        curses.text(" classes (\(state.palette.name))", row: 0, column: screen.palette.x, width: screen.palette.width, pair: titlePair, attributes: EditorCurses.attrBold)
        for column in screen.separators {
            for row in screen.canvas.y..<(screen.canvas.y + screen.canvas.height) {
                curses.put("\u{2502}", row: row, column: column, pair: titlePair)
            }
        }
        drawPalette(screen.palette)
        drawMessage(screen)
        drawStatus(screen)
        switch mode {
        case .help(let page): drawHelp(screen, page: page)
        case .table: drawTable(screen)
        default: break
        }
    }

    /// Writes the canvas and the palette swatches (cells ncurses leaves
    /// blank) when they changed since the last frame; after wrefresh.
    func drawCanvasAndSwatches(_ screen: EditorScreenLayout) {
        let renderer = canvasRenderer
        let canvas = renderer.canvasFrame(state, rect: screen.canvas)
        var out: [UInt8] = []
        if canvas != shownCanvas {
            if let bytes = try? renderer.bytes(canvas, at: (screen.canvas.x, screen.canvas.y), imageID: EditorCanvasRenderer.canvasImageID) {
                out += bytes
                shownCanvas = canvas
            }
        }
        let first = paletteFirstRow(rect: screen.palette)
        let shown = Array(state.palette.classes.dropFirst(first).prefix(screen.palette.height))
        let swatches = renderer.swatchFrame(shown, palette: state.palette)
        if !shown.isEmpty, shownSwatches?.frame != swatches || shownSwatches?.row != first {
            if let bytes = try? renderer.bytes(swatches, at: (screen.palette.x + 1, screen.palette.y), imageID: EditorCanvasRenderer.swatchImageID) {
                out += bytes
                shownSwatches = (swatches, first)
            }
        }
        if !out.isEmpty { EditorPreviewPane.writeAll(out) }
    }

    func drawPalette(_ rect: EditorScreenLayout.Rect) {
        let classes = state.palette.classes
        let present = Set(state.labels.idsPresent)
        let position = state.palette.position(ofID: state.currentClass) ?? 0
        let first = paletteFirstRow(rect: rect)
        var rows: [String] = []
        for row in 0..<rect.height {
            let index = first + row
            guard index < classes.count else { break }
            let cls = classes[index]
            let selected = index == position
            // Columns 1-2 are the swatch, drawn in exact colours by drawCanvasAndSwatches.
            curses.put(selected ? "\u{25B6}" : " ", row: rect.y + row, column: rect.x, pair: 0, attributes: EditorCurses.attrBold)
            let mark = present.contains(cls.id) ? "*" : " "
            let text = "\(mark)\(String(format: "%3d", cls.id)) \(cls.name)"
            curses.text(text, row: rect.y + row, column: rect.x + 3,
                        width: rect.width - 4, attributes: selected ? EditorCurses.attrReverse : 0)
            rows.append((selected ? ">" : " ") + text)
        }
        if rows != shownPaletteRows {
            shownPaletteRows = rows
            shownSwatches = nil
        }
    }

    /// The first palette entry shown: keeps the current class visible.
    func paletteFirstRow(rect: EditorScreenLayout.Rect) -> Int {
        let count = state.palette.classes.count
        guard count > rect.height else { return 0 }
        let position = state.palette.position(ofID: state.currentClass) ?? 0
        return max(0, min(position - rect.height / 2, count - rect.height))
    }

    func drawMessage(_ screen: EditorScreenLayout) {
        let width = screen.columns
        switch mode {
        case .prompt(let prompt):
            curses.text(prompt.label + prompt.text + "_", row: screen.messageRow, column: 0, width: width, attributes: EditorCurses.attrBold)
        case .confirmQuit:
            curses.text("Unsaved changes. s: save and quit, d: quit and discard them, any other key: go back",
                        row: screen.messageRow, column: 0, width: width, attributes: EditorCurses.attrBold)
        case .offerRecovery(let entry):
            let when = DateFormatter.localizedString(from: entry.savedAt, dateStyle: .short, timeStyle: .medium)
            curses.text("Unsaved work from \(when) was kept. r: recover it, d: discard it, esc: decide later",
                        row: screen.messageRow, column: 0, width: width, attributes: EditorCurses.attrBold)
        default:
            curses.text(message, row: screen.messageRow, column: 0, width: width)
        }
    }

    func drawStatus(_ screen: EditorScreenLayout) {
        let cls = state.palette.class(id: state.currentClass)?.name ?? "#\(state.currentClass)"
        var parts = [
            "? help",
            state.tool.label + (state.penDown ? " (pen down)" : ""),
            "size \(state.brushSize)",
            "class \(state.currentClass) \(cls)",
            "view \(state.view.title)",
        ]
        if let latest {
            parts.append(String(format: "gen %.0f ms", latest.views.seconds * 1000) + (scheduler.isBusy ? "..." : ""))
        } else {
            parts.append("gen ...")
        }
        parts.append(modelStatus)
        if generator.hasNoiseInput { parts.append(generationSettings.summary) }
        let name = state.filePath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "untitled"
        parts.append(name + (state.isDirty ? " [+]" : ""))
        parts.append("(\(state.cursor.x),\(state.cursor.y))")
        parts.append(graphicsMode.rawValue)
        // Never write the bottom-right cell: some terminals scroll when it is written.
        curses.text(" " + parts.joined(separator: " | "), row: screen.statusRow, column: 0,
                    width: screen.columns - 1, attributes: EditorCurses.attrReverse)
    }

    /// A centred box with a title and lines.
    func drawBox(_ screen: EditorScreenLayout, title: String, lines: [String]) {
        let width = min(screen.columns - 2, max(title.count + 4, (lines.map(\.count).max() ?? 0) + 4))
        let height = min(screen.rows - 3, lines.count + 2)
        let x = (screen.columns - width) / 2
        let y = max(0, (screen.rows - 2 - height) / 2)
        let border = curses.pair(-1, -1)
        curses.text("\u{250C}" + String(repeating: "\u{2500}", count: width - 2) + "\u{2510}", row: y, column: x, width: width, pair: border)
        let titleText = " \(title) "
        curses.text(titleText, row: y, column: x + 2, width: min(titleText.count, width - 4), pair: border, attributes: EditorCurses.attrBold)
        for i in 0..<(height - 2) {
            let text = i < lines.count ? lines[i] : ""
            curses.text("\u{2502} " + text, row: y + 1 + i, column: x, width: width - 1, pair: border)
            curses.put("\u{2502}", row: y + 1 + i, column: x + width - 1, pair: border)
        }
        curses.text("\u{2514}" + String(repeating: "\u{2500}", count: width - 2) + "\u{2518}", row: y + height - 1, column: x, width: width, pair: border)
    }

    /// The help lines split into pages that fit the screen.
    func helpPages(_ screen: EditorScreenLayout) -> [[String]] {
        let lines = EditorKeyMap.helpLines
        let perPage = max(1, screen.rows - 3 - 2 - 1)  // box borders and the footer line
        return stride(from: 0, to: lines.count, by: perPage).map { Array(lines[$0..<min($0 + perPage, lines.count)]) }
    }

    func drawHelp(_ screen: EditorScreenLayout, page: Int) {
        let pages = helpPages(screen)
        let shown = min(page, pages.count - 1)
        var lines = pages[shown]
        lines.append(shown + 1 < pages.count ? "space: more keys (\(shown + 1)/\(pages.count)), any other key closes"
                                            : "any key closes this help")
        drawBox(screen, title: "keys", lines: lines)
    }

    func drawTable(_ screen: EditorScreenLayout) {
        let rows = ClassTable.rows(labels: latest?.labels ?? state.labels, palette: state.palette,
                                   localWeight: latest?.views.localWeight)
        var lines = ["class                 pixels   local weight"]
        for r in rows {
            let weight = r.meanLocalWeight.map { String(format: "%.2f", $0) } ?? "-"
            lines.append(r.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                         + String(format: "%7.1f%%", r.pixelShare * 100) + "   " + weight)
        }
        if latest?.views.localWeight == nil { lines.append("(this model has no weight maps)") }
        lines.append("t or esc closes the table")
        drawBox(screen, title: "per-class table", lines: lines)
    }
}
