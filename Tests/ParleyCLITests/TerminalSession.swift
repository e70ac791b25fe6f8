import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program running in a tmux session, driven as a person would: keys in, screen out.
///
/// Each session has a tmux server of its own (a private socket), so tests neither meet a server
/// left over from elsewhere nor leave one behind.
struct TerminalSession {
    let name: String

    /// Runs `command` in a new detached tmux session of the given size while `body` drives it, then ends it.
    static func with<T>(
        _ command: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:],
        _ body: (TerminalSession) async throws -> T
    ) async throws -> T {
        let session = TerminalSession(name: "parley-test-\(UUID().uuidString.prefix(8))")
        // The pane stays after the program ends, so a program that fails at once still shows what it said.
        var arguments = ["set-option", "-g", "remain-on-exit", "on", ";"]
        arguments += ["new-session", "-d", "-s", session.name, "-x", "\(width)", "-y", "\(height)"]
        for (key, value) in environment { arguments += ["-e", "\(key)=\(value)"] }
        // `exec`, so the pane's process is the program itself and a test can signal it.
        arguments.append("exec " + command.map(TerminalSession.quote).joined(separator: " "))
        try await session.tmux(arguments)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Types text literally (no key names interpreted).
    func type(_ text: String) async throws {
        try await tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Presses keys by tmux name: `Enter`, `Tab`, `Up`, `C-r`, `C-c`, `C-d`.
    func press(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", name] + keys)
    }

    /// What the screen shows now.
    func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", name])
    }

    /// Waits until the screen contains `text` (at least `times` times), and returns the screen.
    @discardableResult
    func waitFor(_ text: String, times: Int = 1, timeout: Duration = .seconds(10)) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            // Whether it ended is asked before the screen is read, so what it showed last is seen before giving up.
            let ended = !(await isRunning())
            last = (try? await screen()) ?? last
            if last.components(separatedBy: text).count - 1 >= times { return last }
            if ended { throw await endedError(showing: last) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TerminalSessionError(message: "the screen never showed \"\(text)\"; it shows:\n\(last)")
    }

    /// Waits until the last line on the screen is the empty prompt: the program is reading again.
    ///
    /// Keys sent before that reach the terminal while it is not in line-editing mode.
    func waitForPrompt(_ prompt: String, timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            let ended = !(await isRunning())
            last = (try? await screen()) ?? last
            let lines = last.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if lines.last == prompt { return }
            if ended { throw await endedError(showing: last) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TerminalSessionError(message: "the screen never ended with the prompt \"\(prompt)\"; it shows:\n\(last)")
    }

    /// The program's process id.
    func programID() async throws -> pid_t {
        let text = try await tmux(["display-message", "-p", "-t", name, "#{pane_pid}"])
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TerminalSessionError(message: "tmux did not tell the program's process id: \(text)")
        }
        return pid
    }

    /// Waits until the program has ended.
    func waitUntilEnded(timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while await isRunning() {
            guard clock.now < deadline else { throw TerminalSessionError(message: "the program is still running") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether the program is still running.
    func isRunning() async -> Bool {
        guard let dead = try? await tmux(["display-message", "-p", "-t", name, "#{pane_dead}"]) else { return false }
        return dead.trimmingCharacters(in: .whitespacesAndNewlines) != "1"
    }

    /// The program ended while a test waited for more: the screen and the exit status.
    private func endedError(showing screen: String) async -> TerminalSessionError {
        let status = (try? await tmux(["display-message", "-p", "-t", name, "#{pane_dead_status}"])) ?? "?"
        return TerminalSessionError(
            message: "the program ended (status \(status.trimmingCharacters(in: .whitespacesAndNewlines))); it shows:\n\(screen)")
    }

    /// Ends the program and the session's tmux server.
    func close() async {
        _ = try? await tmux(["kill-server"])
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run("tmux", ["-L", name] + arguments, timeout: .seconds(20))
        guard result.status == 0 else {
            throw TerminalSessionError(message: "tmux \(arguments.joined(separator: " ")) failed: \(result.output)")
        }
        return result.output
    }

    static func quote(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TerminalSessionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The built `parley` binary, next to the test bundle, and the package's root folder.
enum Build {
    static var parley: String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("parley")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/parley").path
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
