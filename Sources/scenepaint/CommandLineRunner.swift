import ArgumentParser
import Foundation
import Support

/// Runs a command with scenepaint's error contract: one line on stderr,
/// exit 2 for usage errors and 1 for runtime errors; help exits 0.
enum CommandLineRunner {
    static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) -> Never {
        if arguments == nil, let bad = nonUTF8Argument() {
            printError("argument \(bad.index) is not valid UTF-8 (\(bad.shown)): scenepaint takes paths and values in UTF-8; rename the file")
            exit(2)
        }
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            let code = root.exitCode(for: error)
            if code == .success {
                root.exit(withError: error)  // --help, --version: prints and exits 0
            }
            let message = negativeValueMessage(root.message(for: error), arguments: arguments ?? Array(CommandLine.arguments.dropFirst()))
                ?? firstLine(root.message(for: error))
            printError("\(message) (see 'scenepaint --help')")
            exit(2)
        }
        do {
            try command.run()
            exit(0)
        } catch let error as UserFacingError {
            printError(error.description)
            exit(1)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // Errors of the argument parser itself (help on a command group,
            // validation) keep its meaning: help exits 0, misuse exits 2.
            switch root.exitCode(for: error) {
            case .success:
                root.exit(withError: error)
            case .validationFailure:
                printError(firstLine(root.message(for: error)))
                exit(2)
            default:
                printError(describe(error))
                exit(1)
            }
        }
    }

    /// The parser's message as one line: its first line, and when that ends
    /// with a colon (the valid values follow, one per line) the values too.
    static func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first else { return text }
        guard first.hasSuffix(":"), lines.count > 1 else { return first }
        let values = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
        return first + " " + values.joined(separator: ", ")
    }

    /// The parser reads `--seed -1` as an option without its value; say what it really is.
    static func negativeValueMessage(_ message: String, arguments: [String]) -> String? {
        guard message.hasPrefix("Missing value for '") else { return nil }
        let option = message.dropFirst("Missing value for '".count).prefix { $0 != " " && $0 != "'" }
        guard let at = arguments.firstIndex(of: String(option)), at + 1 < arguments.count else { return nil }
        let value = arguments[at + 1]
        guard value.count > 1, value.hasPrefix("-"), value.dropFirst().first.map({ $0.isNumber || $0 == "." }) == true else { return nil }
        return "\(option) \(value): a negative value is not allowed here"
    }

    /// The first argument whose bytes are not UTF-8: Swift would read it with
    /// replacement characters, so a path would name a file that does not exist.
    static func nonUTF8Argument() -> (index: Int, shown: String)? {
        for i in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[i], String(validatingCString: raw) == nil else { continue }
            return (i, String(decoding: UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return nil
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? UserFacingError { return e.description }
        if let e = error as? CocoaError, let path = e.filePath {
            return "\(path): \(e.localizedDescription)"
        }
        let text = "\(error)"
        return text.contains("\n") ? String(text.split(separator: "\n")[0]) : text
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("scenepaint: \(message)\n".utf8))
    }
}
