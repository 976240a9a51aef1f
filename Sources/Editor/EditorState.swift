import Generation
import Layouts

/// Everything the editor knows, without any terminal: the layout being
/// painted, the tool settings, the cursor and view, the undo history and
/// whether there are unsaved changes. Painting goes through press / drag /
/// release (mouse) or the cursor methods (keyboard); each completed stroke,
/// shape, fill or whole-layout action is one undo step.
public struct EditorState: Sendable {
    public private(set) var layout: Layout
    public private(set) var currentClass: Int
    public var tool: EditorTool { didSet { if tool != oldValue { cancelShape() } } }
    public private(set) var brushSize: Int
    public private(set) var cursor: PixelPoint
    public var viewport = Viewport()
    public var view: SceneView = .fused
    /// The class the class view shows: under the cursor, or picked in the palette.
    public var inspectedClass: Int?
    public var filePath: String?
    public private(set) var history: EditHistory
    /// Bumped on every change of the label map (also mid-stroke): preview requests key on it.
    public private(set) var revision = 0
    /// Undo steps recorded (or undone/redone) since the last autosave.
    public private(set) var changesSinceAutosave = 0
    /// The start of a shape being drawn, if any.
    public private(set) var shapeAnchor: PixelPoint?
    /// Pixel indices the pending shape would paint (drawn as an overlay).
    public private(set) var shapePreview: [Int] = []
    /// Keyboard painting: while down, cursor moves paint with the brush.
    public private(set) var penDown = false
    /// Seed for generators with a noise input.
    public var seed: UInt64 = 1
    private var stroke: StrokeRecorder?
    private var strokePoint: PixelPoint?
    private var savedSerial: Int

    public init(layout: Layout, filePath: String? = nil, historyDepth: Int = EditHistory.defaultDepth) {
        self.layout = layout
        self.filePath = filePath
        self.currentClass = layout.palette.classes.first?.id ?? 0
        self.tool = .brush
        self.brushSize = 3
        self.cursor = PixelPoint(layout.width / 2, layout.height / 2)
        self.history = EditHistory(depth: historyDepth)
        self.savedSerial = history.stateSerial
        self.inspectedClass = Int(layout.labels[cursor.x, cursor.y])
    }

    public var labels: LabelMap { layout.labels }
    public var palette: Palette { layout.palette }
    /// True when the layout differs from the last save (or the file it came from).
    public var isDirty: Bool { history.stateSerial != savedSerial || stroke != nil }
    public var isStrokeActive: Bool { stroke != nil }

    // MARK: settings

    public mutating func selectClass(_ id: Int) {
        guard palette.contains(id: id) else { return }
        currentClass = id
        inspectedClass = id
    }

    /// Moves the current class `delta` steps through the palette, wrapping.
    public mutating func cycleClass(by delta: Int) {
        let classes = palette.classes
        let position = palette.position(ofID: currentClass) ?? 0
        let next = ((position + delta) % classes.count + classes.count) % classes.count
        selectClass(classes[next].id)
    }

    public mutating func setBrushSize(_ size: Int) {
        brushSize = min(max(size, BrushFootprint.sizes.lowerBound), BrushFootprint.sizes.upperBound)
    }

    // MARK: pointer (mouse) painting

    /// Button down at a layout pixel (may be outside: then only shapes start there).
    public mutating func press(at p: PixelPoint) {
        finishStroke()
        penDown = false
        switch tool {
        case .brush:
            stroke = StrokeRecorder(name: "brush")
            strokePoint = p
            stamp(at: p)
        case .line, .rectangle, .filledRectangle, .ellipse, .filledEllipse:
            shapeAnchor = p
            updateShapePreview(to: p)
        case .fill4, .fill8:
            fill(at: p)
        case .eyedropper:
            eyedrop(at: p)
        }
    }

    /// Motion with the button held.
    public mutating func drag(to p: PixelPoint) {
        if stroke != nil, let from = strokePoint {
            for q in LineRaster.pixels(from: from, to: p).dropFirst() { stamp(at: q) }
            strokePoint = p
        } else if shapeAnchor != nil {
            updateShapePreview(to: p)
        }
    }

    /// Button up: ends a brush stroke or commits a shape.
    public mutating func release(at p: PixelPoint) {
        if stroke != nil {
            drag(to: p)
            finishStroke()
        } else if let anchor = shapeAnchor {
            commitShape(from: anchor, to: p)
        }
    }

    public mutating func cancelShape() {
        shapeAnchor = nil
        shapePreview = []
    }

    // MARK: keyboard painting

    /// Moves the brush cursor (clamped to the layout). With the pen down it
    /// paints along the way; with a shape started it updates the outline.
    public mutating func moveCursor(dx: Int, dy: Int) {
        setCursor(PixelPoint(cursor.x + dx, cursor.y + dy))
    }

    public mutating func setCursor(_ p: PixelPoint) {
        let clamped = PixelPoint(min(max(p.x, 0), layout.width - 1), min(max(p.y, 0), layout.height - 1))
        let previous = cursor
        cursor = clamped
        inspectedClass = Int(layout.labels[clamped.x, clamped.y])
        if penDown && stroke != nil && clamped != previous {
            drag(to: clamped)
            inspectedClass = Int(layout.labels[clamped.x, clamped.y])
        } else if shapeAnchor != nil {
            updateShapePreview(to: clamped)
        }
    }

    /// Space: what a click at the cursor does. For shapes the first press sets
    /// the start, the second draws the shape to the cursor.
    public mutating func applyAtCursor() {
        if tool.isShape {
            if let anchor = shapeAnchor { commitShape(from: anchor, to: cursor) } else { press(at: cursor) }
        } else if tool == .brush && penDown {
            stamp(at: cursor)
        } else {
            press(at: cursor)
            finishStroke()
        }
    }

    /// Enter: puts the pen down (cursor moves paint with the brush, as one
    /// undo step) or lifts it.
    public mutating func togglePen() {
        if penDown {
            penDown = false
            finishStroke()
        } else {
            tool = .brush
            press(at: cursor)
            penDown = true
        }
    }

    // MARK: whole-layout actions

    public mutating func eyedrop(at p: PixelPoint) {
        guard layout.labels.contains(x: p.x, y: p.y) else { return }
        selectClass(Int(layout.labels[p.x, p.y]))
    }

    public mutating func fill(at p: PixelPoint) {
        guard layout.labels.contains(x: p.x, y: p.y) else { return }
        let region = FloodFill.region(in: layout.labels, from: p, connectivity: tool == .fill8 ? .eight : .four)
        paint(indices: region, name: tool == .fill8 ? "fill (8-connected)" : "fill (4-connected)")
    }

    /// Replaces every pixel of class `from` with the current class.
    public mutating func replaceEverywhere(_ from: Int) {
        let target = UInt8(clamping: from)
        let indices = layout.labels.ids.indices.filter { layout.labels.ids[$0] == target }
        paint(indices: indices, name: "replace \(palette.class(id: from)?.name ?? "#\(from)")")
    }

    /// Fills the whole layout with the current class.
    public mutating func clear() {
        paint(indices: Array(layout.labels.ids.indices), name: "clear")
    }

    // MARK: history and files

    @discardableResult
    public mutating func undo() -> LayoutEdit? {
        finishStroke()
        cancelShape()
        guard let edit = history.undo(&layout.labels) else { return nil }
        changesSinceAutosave += 1
        changed()
        return edit
    }

    @discardableResult
    public mutating func redo() -> LayoutEdit? {
        finishStroke()
        cancelShape()
        guard let edit = history.redo(&layout.labels) else { return nil }
        changesSinceAutosave += 1
        changed()
        return edit
    }

    /// The current layout is what is on disk at `path` now.
    public mutating func markSaved(path: String?) {
        finishStroke()
        filePath = path
        savedSerial = history.stateSerial
    }

    public mutating func noteAutosaved() { changesSinceAutosave = 0 }

    /// Starts over on another layout (open, new, recovery); history is cleared.
    /// A recovered layout is not what is on disk: pass `dirty: true`.
    public mutating func replaceLayout(_ newLayout: Layout, path: String?, dirty: Bool = false) {
        penDown = false
        stroke = nil
        cancelShape()
        layout = newLayout
        filePath = path
        history.clear()
        savedSerial = dirty ? -1 : history.stateSerial
        if !palette.contains(id: currentClass) { currentClass = palette.classes[0].id }
        cursor = PixelPoint(min(cursor.x, layout.width - 1), min(cursor.y, layout.height - 1))
        inspectedClass = Int(layout.labels[cursor.x, cursor.y])
        viewport = Viewport()
        revision += 1
        changesSinceAutosave = 0
    }

    // MARK: internals

    private mutating func stamp(at p: PixelPoint) {
        guard stroke != nil else { return }
        let id = UInt8(currentClass)
        let w = layout.width, h = layout.height
        var changedAny = false
        for o in BrushFootprint(size: brushSize).offsets {
            let x = p.x + o.x, y = p.y + o.y
            guard x >= 0, y >= 0, x < w, y < h else { continue }
            if layout.labels.ids[y * w + x] != id { changedAny = true }
            stroke!.set(y * w + x, to: id, in: &layout.labels)
        }
        if changedAny { revision += 1 }
    }

    private mutating func finishStroke() {
        guard let recorder = stroke else { return }
        stroke = nil
        strokePoint = nil
        let edit = recorder.finish()
        if !edit.isEmpty {
            history.record(edit)
            changesSinceAutosave += 1
        }
    }

    private func shapePixels(from a: PixelPoint, to b: PixelPoint) -> [Int] {
        let outline: [PixelPoint]
        switch tool {
        case .line: outline = LineRaster.pixels(from: a, to: b)
        case .rectangle: outline = ShapeRaster.rectangleOutline(a, b)
        case .ellipse: outline = ShapeRaster.ellipseOutline(a, b)
        case .filledRectangle: return inside(ShapeRaster.filledRectangle(a, b))
        case .filledEllipse: return inside(ShapeRaster.filledEllipse(a, b))
        default: return []
        }
        // Outlines are drawn with the brush.
        let w = layout.width, h = layout.height
        var seen = [Bool](repeating: false, count: w * h)  // cheaper than a Set for big brushes
        var result: [Int] = []
        let footprint = BrushFootprint(size: brushSize).offsets
        for p in outline {
            for o in footprint {
                let x = p.x + o.x, y = p.y + o.y
                guard x >= 0, y >= 0, x < w, y < h, !seen[y * w + x] else { continue }
                seen[y * w + x] = true
                result.append(y * w + x)
            }
        }
        return result
    }

    private func inside(_ points: [PixelPoint]) -> [Int] {
        points.compactMap { layout.labels.contains(x: $0.x, y: $0.y) ? $0.y * layout.width + $0.x : nil }
    }

    private mutating func updateShapePreview(to p: PixelPoint) {
        guard let anchor = shapeAnchor else { return }
        shapePreview = shapePixels(from: anchor, to: p)
    }

    private mutating func commitShape(from a: PixelPoint, to b: PixelPoint) {
        let indices = shapePixels(from: a, to: b)
        cancelShape()
        paint(indices: indices, name: tool.label)
    }

    /// Paints the indices with the current class as one undo step.
    private mutating func paint(indices: [Int], name: String) {
        finishStroke()
        var recorder = StrokeRecorder(name: name)
        let id = UInt8(currentClass)
        for i in indices { recorder.set(i, to: id, in: &layout.labels) }
        let edit = recorder.finish()
        guard !edit.isEmpty else { return }
        history.record(edit)
        changesSinceAutosave += 1
        changed()
    }

    private mutating func changed() {
        revision += 1
        inspectedClass = Int(layout.labels[cursor.x, cursor.y])
    }
}
