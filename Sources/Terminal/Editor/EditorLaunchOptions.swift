import Editor
import Generation
import Layouts

/// What `scenepaint edit` hands the front end.
public struct EditorLaunchOptions {
    public var layout: Layout
    /// The file the layout came from (nil for a new, unsaved layout).
    public var layoutPath: String?
    public var generator: SceneGenerator
    /// Shown in the status line: "no model" for the stand-in, else the model's file name.
    public var generatorLabel: String
    /// Set when a trained model is used: layouts opened later must match its palette.
    public var modelPath: String?
    /// nil: ask the terminal.
    public var graphics: GraphicsMode?
    public var library: PaletteLibrary?
    public var recovery: RecoveryStore
    /// Where `o` starts looking (samples/ when found).
    public var openDirectory: String?
    /// When set, the editor appends timing lines (input to screen, request to
    /// preview) to this file: used by the benchmark.
    public var tracePath: String?
    /// First line on the message row.
    public var startMessage: String = ""
    /// Further loaded models that `m` switches to (after `generator`), e.g. ECGAN beside LGGAN.
    public var alternatives: [(generator: SceneGenerator, label: String, modelPath: String?)] = []

    public init(layout: Layout, layoutPath: String?, generator: SceneGenerator, generatorLabel: String,
                modelPath: String? = nil, graphics: GraphicsMode? = nil, library: PaletteLibrary? = nil,
                recovery: RecoveryStore = .standard(), openDirectory: String? = nil, tracePath: String? = nil) {
        self.layout = layout
        self.layoutPath = layoutPath
        self.generator = generator
        self.generatorLabel = generatorLabel
        self.modelPath = modelPath
        self.graphics = graphics
        self.library = library
        self.recovery = recovery
        self.openDirectory = openDirectory
        self.tracePath = tracePath
    }
}
