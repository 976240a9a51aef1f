import ArgumentParser
import Models
import Support

/// `--model` of the commands that generate (generate, edit, eval, bench generate):
/// a model file, by default the bundled LGGAN. What each command does
/// without one differs and is said in the help.
struct ModelOption: ParsableArguments {
    @Option(help: """
        Model file (default: models/\(ModelLoader.defaultModelName); without it generate and eval stop, \
        bench generate times an untrained model). edit: 'none' for the stand-in generator, and the bundled \
        model only when the layout uses its palette. eval: also 'flat' or 'shaded'.
        """)
    var model: String?

    /// --model, else the bundled model when it is found.
    func pathOrDefault(locator: ResourceLocator = .standard()) -> String? {
        model ?? ModelLoader.defaultModelPath(locator: locator)
    }

    /// --model, else the bundled model; an error when there is neither.
    func path() throws -> String {
        guard let path = pathOrDefault() else {
            throw Failure("no model given and models/\(ModelLoader.defaultModelName) not found (pass --model)")
        }
        return path
    }
}
