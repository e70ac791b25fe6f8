import ArgumentParser
import AsyncHTTPClient
import Channels
import DialogModel
import DialogRuntime
import Foundation
import Integrations
import LineEditing
import ParleyJSON

/// `parley chat`: talk to the bot in a line-edited terminal session.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with the bot in the terminal.",
        discussion: """
            Line editing with history (saved in the state folder), Ctrl-R to search it, Tab to complete \
            commands and answers. Type /help for the chat's own commands. When standard input is not a \
            terminal, lines are read plainly and no escape codes are printed, so a chat can be scripted.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Who is chatting; each user has their own conversation.")
    var user: String = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "you"

    @Flag(help: "Show the nodes and transitions each turn runs.")
    var debug = false

    @Option(name: .customLong("env"), help: ArgumentHelp("Override a bot variable from bot.yaml's env: section.", valueName: "name=value"))
    var variables: [String] = []

    func validate() throws {
        for assignment in variables where !assignment.contains("=") {
            throw ValidationError("--env takes name=value, not '\(assignment)'")
        }
    }

    func run() async throws {
        let loaded = try loadBot(options.bot)
        let stateFolder = URL(fileURLWithPath: options.state)
        try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let environment = RuntimeEnvironment(
                http: .asyncHTTPClient(httpClient),
                variableOverrides: overrides())
            let runtime = try BotRuntime(bot: loaded.bot, environment: environment)
            let style = TerminalStyle(for: .standardOutput)
            try await withLineEditor(historyFile: stateFolder.appendingPathComponent("history")) { editor in
                let repl = ChatREPL(runtime: runtime, editor: editor, style: style, user: UserID(user), debug: debug)
                await repl.run()
            }
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    private func overrides() -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for assignment in variables {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            values[parts[0]] = .string(parts.count > 1 ? parts[1] : "")
        }
        return values
    }
}

/// Loads a bot and prints its warnings; a bot with errors does not start, and the errors say why.
func loadBot(_ folder: String) throws -> LoadedBot {
    let style = TerminalStyle(for: .standardError)
    do {
        let loaded = try BotLoader.load(directory: folder, scriptChecker: JavaScriptSyntaxChecker())
        for warning in loaded.warnings {
            FileHandle.standardError.write(Data((style.diagnostic(warning) + "\n").utf8))
        }
        return loaded
    } catch {
        for diagnostic in error.diagnostics {
            FileHandle.standardError.write(Data((style.diagnostic(diagnostic) + "\n").utf8))
        }
        let count = error.errors.count
        FileHandle.standardError.write(Data("The bot in \(folder) has \(count) error\(count == 1 ? "" : "s") and cannot start; fix \(count == 1 ? "it" : "them") and try again (parley lint \(folder) checks without starting).\n".utf8))
        throw ExitCode.failure
    }
}
