import CNCurses
import Editor
import Foundation
import Generation
import Layouts

/// What each key and mouse event does: normal-mode keys through EditorKeyMap,
/// the popups' and prompts' own few keys here.
extension EditorApp {
    func handle(key code: Int32) {
        let key = EditorKey(cursesCode: code)
        if key == .resize {
            relayout()
            return
        }
        if key == .mouse && !isNormalMode {
            // Popups and prompts ignore the mouse (motion would close them).
            var event = MEVENT()
            _ = getmouse(&event)
            return
        }
        switch mode {
        case .help(let page):
            if key == .space, let screen, page + 1 < helpPages(screen).count {
                setMode(.help(page: page + 1))
            } else {
                setMode(.normal)
            }
            return
        case .table:
            if key == .escape || key == .character("t") || key == .character("q") { setMode(.normal) }
            return
        case .prompt(var prompt):
            if key == .escape { setMode(.normal); message = "cancelled"; return }
            // The prompt takes bytes, not keys: UTF-8 arrives one byte at a time.
            if prompt.type(code) {
                setMode(.normal)
                finishPrompt(prompt)
            } else {
                mode = .prompt(prompt)
            }
            return
        case .confirmQuit:
            setMode(.normal)
            switch key {
            case .character("s"): save(thenQuit: true)
            case .character("d"), .character("q"):
                options.recovery.discard(for: state.filePath)
                quitting = true
            default: message = "not quitting"
            }
            return
        case .offerRecovery(let entry):
            switch key {
            case .character("r"): recover(entry); setMode(.normal)
            case .character("d"):
                options.recovery.discard(for: state.filePath)
                message = "discarded the recovery file"
                setMode(.normal)
            case .escape:
                recoveryDeferred = true
                message = "the recovery file is kept for next time"
                setMode(.normal)
            default: break
            }
            return
        case .normal:
            break
        }
        let before = state.cursor
        if key == .mouse {
            handleMouse()
        } else if let key, let action = EditorKeyMap.action(for: key) {
            perform(action)
        }
        if state.cursor != before, let screen {
            let dots = canvasRenderer.dots(in: screen.canvas)
            state.viewport.reveal(state.cursor, dotsWide: dots.wide, dotsHigh: dots.high)
            clampViewport()
        }
    }

    var isNormalMode: Bool {
        if case .normal = mode { return true }
        return false
    }

    private func perform(_ action: EditorAction) {
        switch action {
        case .moveCursor(let dx, let dy): state.moveCursor(dx: dx, dy: dy)
        case .applyAtCursor: state.applyAtCursor()
        case .togglePen:
            state.togglePen()
            message = state.penDown ? "pen down: arrows paint, enter lifts it" : "pen up"
        case .cancel:
            if state.shapeAnchor != nil { state.cancelShape(); message = "shape cancelled" }
            if state.penDown { state.togglePen() }
        case .selectTool(let tool): state.tool = tool
        case .changeBrushSize(let delta): state.setBrushSize(state.brushSize + delta)
        case .cycleClass(let delta): state.cycleClass(by: delta)
        case .replaceClassEverywhere:
            let under = Int(state.labels[state.cursor.x, state.cursor.y])
            state.replaceEverywhere(under)
            message = "replaced \(state.palette.class(id: under)?.name ?? "#\(under)") with \(className(state.currentClass)) everywhere"
        case .clearLayout:
            state.clear()
            message = "cleared to \(className(state.currentClass)) (u undoes)"
        case .undo:
            message = state.undo().map { "undid \($0.name)" } ?? "nothing to undo"
        case .redo:
            message = state.redo().map { "redid \($0.name)" } ?? "nothing to redo"
        case .showView(let number):
            if let view = SceneView.forKey(Character("\(number)"), in: generator.views) { state.view = view }
        case .nextView: state.view = state.view.next(in: generator.views)
        case .switchModel: switchModel()
        case .showClassTable: setMode(.table)
        case .showHelp: setMode(.help(page: 0))
        case .newSeed:
            if generator.hasNoiseInput {
                state.reroll(to: UInt64.random(in: 1...UInt64(UInt32.max)))
                message = "new seed \(state.seed) (p goes back)"
            } else {
                message = "this model has no noise input: the seed changes nothing"
            }
        case .previousSeed:
            message = state.previousSeed() ? "back to seed \(state.seed)" : "no earlier seed (n makes a new one)"
        case .chooseStyleImage:
            setMode(.prompt(EditorPrompt(label: "Style image (PNG; empty clears): ", text: "", purpose: .styleImage)))
        case .zoom(let delta): zoom(by: delta)
        case .zoomToFit: relayout()
        case .pan(let dx, let dy): pan(dx: dx, dy: dy)
        case .redraw: needsFullClear = true
        case .save: save(thenQuit: false)
        case .saveAs:
            setMode(.prompt(EditorPrompt(label: "Save as: ", text: state.filePath ?? defaultNewPath(), purpose: .saveAs(thenQuit: false))))
        case .open: setMode(.prompt(EditorPrompt(label: "Open layout: ", text: openStartText(), purpose: .open)))
        case .newLayout:
            setMode(.prompt(EditorPrompt(label: "New layout (WIDTHxHEIGHT [palette]): ",
                                         text: "\(state.layout.width)x\(state.layout.height) \(state.palette.name)", purpose: .newLayout)))
        case .exportView: startExport(.view(state.view, inspectedClass: state.inspectedClass))
        case .exportAllViews: startExport(.allViews)
        case .quit:
            if state.isDirty { setMode(.confirmQuit) } else {
                if !recoveryDeferred { options.recovery.discard(for: state.filePath) }
                quitting = true
            }
        }
    }

    func className(_ id: Int) -> String { state.palette.class(id: id)?.name ?? "#\(id)" }

    private func zoom(by delta: Int) {
        state.viewport.setZoom(state.viewport.zoom + delta, keeping: state.cursor)
        clampViewport()
    }

    private func pan(dx: Int, dy: Int) {
        guard let screen else { return }
        let dots = canvasRenderer.dots(in: screen.canvas)
        let stepX = max(1, state.viewport.pixelsSpanned(byDots: dots.wide) / 4)
        let stepY = max(1, state.viewport.pixelsSpanned(byDots: dots.high) / 4)
        state.viewport.originX += dx * stepX
        state.viewport.originY += dy * stepY
        clampViewport()
    }

    func clampViewport() {
        guard let screen else { return }
        let dots = canvasRenderer.dots(in: screen.canvas)
        state.viewport.clamp(layoutWidth: state.layout.width, layoutHeight: state.layout.height,
                             dotsWide: dots.wide, dotsHigh: dots.high)
    }

    // MARK: mouse

    private func handleMouse() {
        var event = MEVENT()
        guard getmouse(&event) == OK, let screen else { return }
        let column = Int(event.x), row = Int(event.y)
        let b = event.bstate
        if b & EditorCurses.button4Pressed != 0 { state.setBrushSize(state.brushSize + 1); return }
        if b & EditorCurses.button5Pressed != 0 { state.setBrushSize(state.brushSize - 1); return }
        let canvas = screen.canvas
        let inCanvas = canvas.contains(column: column, row: row)
        // Pixel under the cell (its top half in half blocks); outside the canvas, clamp (for drags).
        let dot = canvasRenderer.dot(column: min(max(column - canvas.x, 0), canvas.width - 1),
                                     row: min(max(row - canvas.y, 0), canvas.height - 1))
        let pixel = state.viewport.pixel(atDotX: dot.x, dotY: dot.y)
        if b & (EditorCurses.button3Pressed | EditorCurses.button3Clicked) != 0 {
            if inCanvas {
                state.eyedrop(at: pixel)
                message = "picked \(className(state.currentClass))"
            }
            return
        }
        let pressed = b & EditorCurses.button1Pressed != 0
        let released = b & EditorCurses.button1Released != 0
        // A press and release that arrive together are reported as a click.
        let clicked = b & EditorCurses.button1Clicked != 0
        if pressed || clicked {
            if inCanvas {
                mouseDown = true
                state.setCursor(pixel)
                state.press(at: pixel)
            } else if screen.palette.contains(column: column, row: row) {
                let index = paletteFirstRow(rect: screen.palette) + row - screen.palette.y
                if index < state.palette.classes.count { state.selectClass(state.palette.classes[index].id) }
            }
        }
        if released || clicked {
            if mouseDown {
                mouseDown = false
                state.setCursor(pixel)
                state.release(at: pixel)
            }
            return
        }
        if pressed { return }
        if mouseDown {  // motion with the button held
            // Moving the cursor already redraws a pending shape; a brush needs the drag.
            state.setCursor(pixel)
            if state.shapeAnchor == nil { state.drag(to: pixel) }
        }
    }
}
