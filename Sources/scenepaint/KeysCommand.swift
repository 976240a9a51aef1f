import ArgumentParser
import Terminal

/// The editor's keys from the one key map (Sources/Terminal/Editor/EditorKeyMap.swift):
/// the README's table is this command's `--markdown` output, checked by a test.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List the editor's keys (the same list as its ? help).")

    @Flag(help: "Print the list as the Markdown table README.md holds.")
    var markdown = false

    func run() throws {
        if markdown {
            print(EditorKeyMap.markdownTable, terminator: "")
        } else {
            for line in EditorKeyMap.helpLines { print(line) }
        }
    }
}
