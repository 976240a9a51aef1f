import Foundation
import XCTest

/// Drives the real binary in a private tmux server (its own socket, so tests
/// never touch a user's sessions): send keys, read the screen, wait for text.
final class EditorTmuxSession {
    let socket: String
    let name = "editor"
    private(set) var closed = false

    static var tmuxPath: String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/tmux") {
            return dir + "/tmux"
        }
        return nil
    }

    /// Starts `command` (a shell line) in a detached session of the given size.
    /// After the command ends the pane prints "EXITED <status>" and stays.
    init(command: String, columns: Int = 120, rows: Int = 36) throws {
        guard Self.tmuxPath != nil else { throw XCTSkip("tmux is not installed") }
        guard FileManager.default.isExecutableFile(atPath: CLIRunner.binary) else {
            throw XCTSkip("no scenepaint binary at \(CLIRunner.binary); run `make test`")
        }
        socket = "scenepaint-test-\(UUID().uuidString.prefix(8))"
        let wrapped = "\(command); echo EXITED $?; sleep 600"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", wrapped])
        _ = try? tmux(["set-option", "-g", "default-terminal", "tmux-256color"])
    }

    /// A shell line that opens the editor on `layout` with the repository's
    /// models and palettes, its recovery files under `home`/recovery, in the
    /// 256-colour terminal tmux emulates; `arguments` follow `edit LAYOUT`.
    static func editorCommand(home: String, layout: String, arguments: String) -> String {
        "cd \(shellQuote(home)) && TERM=tmux-256color SCENEPAINT_HOME=\(shellQuote(CLIRunner.packageRoot)) "
            + "SCENEPAINT_RECOVERY_DIR=\(shellQuote(home + "/recovery")) \(shellQuote(CLIRunner.binary)) edit \(shellQuote(layout)) "
            + arguments
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
    }

    /// Runs tmux with posix_spawn and waitpid: Foundation's Process can miss
    /// the exit of a tmux client that has just forked the server.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outPath = NSTemporaryDirectory() + "tmux-out-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let argv = [Self.tmuxPath!, "-L", socket] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard status == 0 else { throw XCTSkip("cannot run tmux (posix_spawn \(status))") }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// Keys in tmux send-keys syntax ("Space", "Escape", "Left", or literal text).
    func send(_ keys: String...) throws { try send(keys) }

    func send(_ keys: [String]) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Literal text, typed character by character.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    var screen: String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }

    /// Waits until the screen contains `text`; fails the test with the screen if it never does.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen
            if last.contains(text) { return last }
            usleep(50_000)
        }
        XCTFail("screen never showed \"\(text)\"; it shows:\n\(last)", file: file, line: line)
        return last
    }

    /// The pid of the process running in the pane (the shell wrapper's child is the editor).
    var panePID: Int32? { Int32((try? tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") }

    var alternateScreenOn: Bool {
        ((try? tmux(["display-message", "-p", "-t", name, "#{alternate_on}"])) ?? "").hasPrefix("1")
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }
}

/// Shell-quotes one word.
func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
