import ArgumentParser
import Foundation
import Support

/// Runs a command with scenepaint's error contract: one line on stderr,
/// exit 2 for usage errors and 1 for runtime errors; help exits 0.
enum CommandLineRunner {
    static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) -> Never {
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            let code = root.exitCode(for: error)
            if code == .success {
                root.exit(withError: error)  // --help, --version: prints and exits 0
            }
            printError("\(firstLine(root.message(for: error))) (see 'scenepaint --help')")
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

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
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
