import ArgumentParser

struct Scenepaint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenepaint",
        abstract: "Paint semantic layouts in the terminal and watch a CPU GAN turn them into scenes.",
        subcommands: [
            EditCommand.self,
            KeysCommand.self,
            GenerateCommand.self,
            PalettesCommand.self,
            LayoutCommand.self,
            ShowCommand.self,
            DatasetCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            DoctorCommand.self,
            ExportCommand.self,
            ModelCommand.self,
            BenchCommand.self,
        ])
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed (figures and ratios from one run; see docs/benchmarks.md).",
        subcommands: [BenchEngineCommand.self, BenchGenerateCommand.self, BenchCellsCommand.self, BenchPeersCommand.self])
}
