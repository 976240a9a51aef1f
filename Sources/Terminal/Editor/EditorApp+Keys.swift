import CNCurses
import Editor
import Foundation
import Generation
import Layouts

/// What each key and mouse event does (the list in EditorKeyBindings).
extension EditorApp {
    func handle(key: Int32) {
        if key == KEY_RESIZE {
            relayout()
            return
        }
        if key == KEY_MOUSE && !isNormalMode {
            // Popups and prompts ignore the mouse (motion would close them).
            var event = MEVENT()
            _ = getmouse(&event)
            return
        }
        switch mode {
        case .help(let page):
            if key == 32, let screen, page + 1 < helpPages(screen).count {
                setMode(.help(page: page + 1))
            } else {
                setMode(.normal)
            }
            return
        case .table:
            if key == 27 || key == Int32(UInt8(ascii: "t")) || key == Int32(UInt8(ascii: "q")) { setMode(.normal) }
            return
        case .prompt(var prompt):
            if key == 27 { setMode(.normal); message = "cancelled"; return }
            if prompt.type(key) {
                setMode(.normal)
                finishPrompt(prompt)
            } else {
                mode = .prompt(prompt)
            }
            return
        case .confirmQuit:
            setMode(.normal)
            switch key {
            case Int32(UInt8(ascii: "s")): save(thenQuit: true)
            case Int32(UInt8(ascii: "d")), Int32(UInt8(ascii: "q")):
                options.recovery.discard(for: state.filePath)
                quitting = true
            default: message = "not quitting"
            }
            return
        case .offerRecovery(let entry):
            switch key {
            case Int32(UInt8(ascii: "r")): recover(entry); setMode(.normal)
            case Int32(UInt8(ascii: "d")):
                options.recovery.discard(for: state.filePath)
                message = "discarded the recovery file"
                setMode(.normal)
            case 27:
                recoveryDeferred = true
                message = "the recovery file is kept for next time"
                setMode(.normal)
            default: break
            }
            return
        case .normal:
            break
        }
        handleNormal(key: key)
    }

    var isNormalMode: Bool {
        if case .normal = mode { return true }
        return false
    }

    private func ascii(_ c: Character) -> Int32 { Int32(c.asciiValue!) }

    private func handleNormal(key: Int32) {
        let before = state.cursor
        switch key {
        case KEY_MOUSE:
            handleMouse()
        case KEY_LEFT: state.moveCursor(dx: -1, dy: 0)
        case KEY_RIGHT: state.moveCursor(dx: 1, dy: 0)
        case KEY_UP: state.moveCursor(dx: 0, dy: -1)
        case KEY_DOWN: state.moveCursor(dx: 0, dy: 1)
        case 32: state.applyAtCursor()
        case 10, 13, KEY_ENTER:
            state.togglePen()
            message = state.penDown ? "pen down: arrows paint, enter lifts it" : "pen up"
        case 27:
            if state.shapeAnchor != nil { state.cancelShape(); message = "shape cancelled" }
            if state.penDown { state.togglePen() }
        case ascii("b"): state.tool = .brush
        case ascii("l"): state.tool = .line
        case ascii("r"): state.tool = .rectangle
        case ascii("R"): state.tool = .filledRectangle
        case ascii("e"): state.tool = .ellipse
        case ascii("E"): state.tool = .filledEllipse
        case ascii("f"): state.tool = .fill4
        case ascii("F"): state.tool = .fill8
        case ascii("i"): state.tool = .eyedropper
        case ascii("["): state.setBrushSize(state.brushSize - 1)
        case ascii("]"): state.setBrushSize(state.brushSize + 1)
        case ascii(","), ascii("<"): state.cycleClass(by: -1)
        case ascii("."), ascii(">"): state.cycleClass(by: 1)
        case ascii("g"):
            let under = Int(state.labels[state.cursor.x, state.cursor.y])
            state.replaceEverywhere(under)
            message = "replaced \(state.palette.class(id: under)?.name ?? "#\(under)") with \(className(state.currentClass)) everywhere"
        case ascii("C"):
            state.clear()
            message = "cleared to \(className(state.currentClass)) (u undoes)"
        case ascii("u"), 26:
            message = state.undo().map { "undid \($0.name)" } ?? "nothing to undo"
        case ascii("U"), 25, 18:
            message = state.redo().map { "redid \($0.name)" } ?? "nothing to redo"
        case ascii("1"), ascii("2"), ascii("3"), ascii("4"), ascii("5"), ascii("6"), ascii("7"), ascii("8"), ascii("9"):
            if let view = SceneView.forKey(Character(Unicode.Scalar(UInt8(key))), in: generator.views) { state.view = view }
        case ascii("v"): state.view = state.view.next(in: generator.views)
        case ascii("m"): switchModel()
        case ascii("t"): setMode(.table)
        case ascii("?"): setMode(.help(page: 0))
        case ascii("n"):
            if generator.hasNoiseInput {
                state.reroll(to: UInt64.random(in: 1...UInt64(UInt32.max)))
                message = "new seed \(state.seed) (p goes back)"
            } else {
                message = "this model has no noise input: the seed changes nothing"
            }
        case ascii("p"):
            message = state.previousSeed() ? "back to seed \(state.seed)" : "no earlier seed (n makes a new one)"
        case ascii("P"):
            setMode(.prompt(EditorPrompt(label: "Style image (PNG; empty clears): ", text: "", purpose: .styleImage)))
        case ascii("+"), ascii("="): zoom(by: 1)
        case ascii("-"): zoom(by: -1)
        case ascii("0"): relayout()
        case ascii("H"), KEY_SLEFT: pan(dx: -1, dy: 0)
        case ascii("L"), KEY_SRIGHT: pan(dx: 1, dy: 0)
        case ascii("K"), KEY_SR: pan(dx: 0, dy: -1)
        case ascii("J"), KEY_SF: pan(dx: 0, dy: 1)
        case 12: needsFullClear = true
        case ascii("s"), 19: save(thenQuit: false)
        case ascii("S"): setMode(.prompt(EditorPrompt(label: "Save as: ", text: state.filePath ?? defaultNewPath(), purpose: .saveAs(thenQuit: false))))
        case ascii("o"): setMode(.prompt(EditorPrompt(label: "Open layout: ", text: openStartText(), purpose: .open)))
        case ascii("N"):
            setMode(.prompt(EditorPrompt(label: "New layout (WIDTHxHEIGHT [palette]): ",
                                         text: "\(state.layout.width)x\(state.layout.height) \(state.palette.name)", purpose: .newLayout)))
        case ascii("x"): startExport(.view(state.view, inspectedClass: state.inspectedClass))
        case ascii("X"): startExport(.allViews)
        case ascii("q"), 17:
            if state.isDirty { setMode(.confirmQuit) } else {
                if !recoveryDeferred { options.recovery.discard(for: state.filePath) }
                quitting = true
            }
        default:
            break
        }
        if state.cursor != before, let screen {
            let dots = canvasRenderer.dots(in: screen.canvas)
            state.viewport.reveal(state.cursor, dotsWide: dots.wide, dotsHigh: dots.high)
            clampViewport()
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
