import Editor
import Layouts
import XCTest

final class EditorStateTests: XCTestCase {
    func testBrushDragPaintsAGaplessStrokeAsOneUndoStep() {
        var state = EditorState(layout: Fixture.blank(8, 3))
        state.selectClass(1)
        state.setBrushSize(1)
        state.press(at: PixelPoint(0, 1))
        state.drag(to: PixelPoint(7, 1))
        state.release(at: PixelPoint(7, 1))
        XCTAssertEqual(Fixture.rows(state.labels), ["00000000", "11111111", "00000000"])
        XCTAssertEqual(state.history.undoCount, 1)
        XCTAssertTrue(state.isDirty)
        state.undo()
        XCTAssertEqual(Fixture.rows(state.labels), ["00000000", "00000000", "00000000"])
        XCTAssertFalse(state.isDirty, "undoing back to the opened state is clean")
        state.redo()
        XCTAssertEqual(Fixture.rows(state.labels)[1], "11111111")
    }

    func testBrushClipsAtTheLayoutEdge() {
        var state = EditorState(layout: Fixture.blank(4, 4))
        state.selectClass(2)
        state.setBrushSize(3)
        state.press(at: PixelPoint(0, 0))
        state.release(at: PixelPoint(0, 0))
        XCTAssertEqual(Fixture.rows(state.labels), ["2200", "2200", "0000", "0000"])
    }

    func testShapesCommitOnReleaseWithAPreviewMeanwhile() {
        var state = EditorState(layout: Fixture.blank(6, 4))
        state.selectClass(3)
        state.setBrushSize(1)
        state.tool = .rectangle
        state.press(at: PixelPoint(1, 0))
        state.drag(to: PixelPoint(4, 3))
        XCTAssertEqual(state.shapePreview.count, 12)
        XCTAssertEqual(Fixture.rows(state.labels)[0], "000000", "nothing is painted before release")
        state.release(at: PixelPoint(4, 3))
        XCTAssertEqual(Fixture.rows(state.labels), ["033330", "030030", "030030", "033330"])
        XCTAssertTrue(state.shapePreview.isEmpty)

        state.tool = .filledEllipse
        state.selectClass(1)
        state.press(at: PixelPoint(0, 0))
        state.release(at: PixelPoint(5, 3))
        XCTAssertEqual(state.history.undoCount, 2)
        XCTAssertEqual(Fixture.rows(state.labels), ["011110", "111111", "111111", "011110"])

        state.tool = .line
        state.selectClass(2)
        state.press(at: PixelPoint(0, 3))
        state.release(at: PixelPoint(5, 3))
        XCTAssertEqual(Fixture.rows(state.labels)[3], "222222")
        state.undo(); state.undo()
        XCTAssertEqual(Fixture.rows(state.labels), ["033330", "030030", "030030", "033330"])
    }

    func testOutlineShapesUseTheBrush() {
        var state = EditorState(layout: Fixture.blank(5, 5))
        state.selectClass(1)
        state.setBrushSize(2)
        state.tool = .line
        state.press(at: PixelPoint(1, 2))
        state.release(at: PixelPoint(4, 2))
        XCTAssertEqual(Fixture.rows(state.labels), ["00000", "11111", "11111", "00000", "00000"])
    }

    func testKeyboardShapeNeedsTwoSpacesAndEscapeCancels() {
        var state = EditorState(layout: Fixture.blank(5, 5))
        state.selectClass(2)
        state.setBrushSize(1)
        state.tool = .filledRectangle
        state.setCursor(PixelPoint(1, 1))
        state.applyAtCursor()
        XCTAssertEqual(state.shapeAnchor, PixelPoint(1, 1))
        state.moveCursor(dx: 2, dy: 1)
        XCTAssertEqual(state.shapePreview.count, 6)
        state.applyAtCursor()
        XCTAssertEqual(Fixture.rows(state.labels), ["00000", "02220", "02220", "00000", "00000"])
        state.applyAtCursor()
        state.cancelShape()
        XCTAssertNil(state.shapeAnchor)
        XCTAssertEqual(state.history.undoCount, 1)
    }

    func testPenDownPaintsWhileTheCursorMoves() {
        var state = EditorState(layout: Fixture.blank(5, 3))
        state.selectClass(1)
        state.setBrushSize(1)
        state.setCursor(PixelPoint(0, 0))
        state.togglePen()
        state.moveCursor(dx: 1, dy: 0)
        state.moveCursor(dx: 1, dy: 1)
        state.moveCursor(dx: 1, dy: 0)
        state.togglePen()
        state.moveCursor(dx: 1, dy: 0)
        XCTAssertEqual(Fixture.rows(state.labels), ["11000", "00110", "00000"])
        XCTAssertEqual(state.history.undoCount, 1, "one pen-down session is one undo step")
    }

    func testFillEyedropperReplaceAndClear() {
        var state = EditorState(layout: Fixture.layout(["0011", "0101", "1100"]))
        state.tool = .fill4
        state.selectClass(2)
        state.press(at: PixelPoint(0, 0))
        XCTAssertEqual(Fixture.rows(state.labels), ["2211", "2101", "1100"])
        state.tool = .fill8
        state.selectClass(3)
        state.press(at: PixelPoint(2, 1))
        XCTAssertEqual(Fixture.rows(state.labels), ["2211", "2131", "1133"], "the 0 at (2,1) joins (2,2) but not (1,0)'s region, which became 2")
        state.tool = .eyedropper
        state.press(at: PixelPoint(1, 1))
        XCTAssertEqual(state.currentClass, 1)
        XCTAssertEqual(state.history.undoCount, 2, "the eyedropper changes no pixels")
        state.replaceEverywhere(3)
        XCTAssertEqual(Fixture.rows(state.labels), ["2211", "2111", "1111"])
        state.selectClass(0)
        state.clear()
        XCTAssertEqual(Fixture.rows(state.labels), ["0000", "0000", "0000"])
        state.undo(); state.undo()
        XCTAssertEqual(Fixture.rows(state.labels), ["2211", "2131", "1133"])
        XCTAssertEqual(state.currentClass, 0)
    }

    func testFillingARegionWithItsOwnClassRecordsNothing() {
        var state = EditorState(layout: Fixture.blank(3, 3))
        state.tool = .fill4
        state.selectClass(0)
        state.press(at: PixelPoint(1, 1))
        XCTAssertEqual(state.history.undoCount, 0)
        XCTAssertFalse(state.isDirty)
    }

    func testUndoRedoSequencesAndRedoIsDroppedByANewEdit() {
        var state = EditorState(layout: Fixture.blank(3, 1))
        state.setBrushSize(1)
        for (x, id) in [(0, 1), (1, 2), (2, 3)] {
            state.selectClass(id)
            state.press(at: PixelPoint(x, 0)); state.release(at: PixelPoint(x, 0))
        }
        XCTAssertEqual(Fixture.rows(state.labels), ["123"])
        state.undo(); state.undo()
        XCTAssertEqual(Fixture.rows(state.labels), ["100"])
        state.redo()
        XCTAssertEqual(Fixture.rows(state.labels), ["120"])
        state.selectClass(3)
        state.press(at: PixelPoint(0, 0)); state.release(at: PixelPoint(0, 0))
        XCTAssertEqual(Fixture.rows(state.labels), ["320"])
        XCTAssertNil(state.redo(), "a new edit drops the redo stack")
        state.undo(); state.undo(); state.undo()
        XCTAssertEqual(Fixture.rows(state.labels), ["000"])
        XCTAssertNil(state.undo())
    }

    func testHistoryKeepsAtLeast200StepsAndIsBounded() {
        var state = EditorState(layout: Fixture.blank(20, 20), historyDepth: 250)
        state.setBrushSize(1)
        for step in 0..<300 {
            state.selectClass(step % 2 == 0 ? 1 : 2)
            let p = PixelPoint(step % 20, step / 20)
            state.press(at: p); state.release(at: p)
        }
        XCTAssertEqual(state.history.undoCount, 250)
        var undone = 0
        while state.undo() != nil { undone += 1 }
        XCTAssertEqual(undone, 250)
        XCTAssertTrue(state.isDirty, "the dropped 50 steps are still applied")
        XCTAssertEqual(Fixture.rows(state.labels)[0], "12121212121212121212", "steps 0-49 were dropped, so they stay")
        XCTAssertEqual(Fixture.rows(state.labels)[2], "12121212120000000000")
        XCTAssertEqual(Fixture.rows(state.labels)[3], "00000000000000000000")
        while state.redo() != nil {}
        XCTAssertEqual(state.labels.ids.filter { $0 != 0 }.count, 300)
        XCTAssertGreaterThanOrEqual(EditHistory.defaultDepth, 200)
    }

    func testSavingMakesCleanAndUndoAfterSaveIsDirty() {
        var state = EditorState(layout: Fixture.blank(3, 3))
        state.selectClass(1)
        state.press(at: PixelPoint(1, 1)); state.release(at: PixelPoint(1, 1))
        state.markSaved(path: "/tmp/x.png")
        XCTAssertFalse(state.isDirty)
        state.undo()
        XCTAssertTrue(state.isDirty)
        state.redo()
        XCTAssertFalse(state.isDirty)
        XCTAssertEqual(state.changesSinceAutosave, 3)
        state.noteAutosaved()
        XCTAssertEqual(state.changesSinceAutosave, 0)
    }

    func testRecoveredLayoutIsDirtyAndCursorFollowsClamp() {
        var state = EditorState(layout: Fixture.blank(10, 10))
        state.setCursor(PixelPoint(50, -3))
        XCTAssertEqual(state.cursor, PixelPoint(9, 0))
        state.replaceLayout(Fixture.blank(4, 4, fill: 2), path: "a.png", dirty: true)
        XCTAssertTrue(state.isDirty)
        XCTAssertEqual(state.cursor, PixelPoint(3, 0))
        XCTAssertEqual(state.inspectedClass, 2)
        XCTAssertEqual(state.history.undoCount, 0)
    }

    func testClassCyclingWrapsAndRevisionTracksChanges() {
        var state = EditorState(layout: Fixture.blank(3, 3))
        state.cycleClass(by: -1)
        XCTAssertEqual(state.currentClass, 3)
        state.cycleClass(by: 2)
        XCTAssertEqual(state.currentClass, 1)
        let before = state.revision
        state.press(at: PixelPoint(1, 1))
        XCTAssertGreaterThan(state.revision, before, "mid-stroke changes bump the revision for the live preview")
        state.release(at: PixelPoint(1, 1))
        state.selectClass(42)
        XCTAssertEqual(state.currentClass, 1, "ids outside the palette are refused")
    }
}
