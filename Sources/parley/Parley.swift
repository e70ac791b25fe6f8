import ArgumentParser
import DialogModel
import Foundation
import Integrations
import Logging

/// The `parley` command: chat with a bot, check its files, run the local Salesforce, connect actions.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Run task-oriented chat bots: chat, lint, test, and connect Salesforce.",
        subcommands: [
            Chat.self, Serve.self, Lint.self, Sandbox.self, Actions.self, AuthProfiles.self,
            Test.self, Understand.self, Templates.self, Graph.self,
        ]
    )

    static func main() async {
        lineBufferStandardOutput()
        bootstrapLogging()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// Logs go to standard error at `warning` and above, so they stay out of the chat;
    /// `PARLEY_LOG_LEVEL=debug` (or info, notice, error) shows more or less. Credentials and sensitive
    /// values are masked in every line.
    static func bootstrapLogging() {
        let name = ProcessInfo.processInfo.environment["PARLEY_LOG_LEVEL"]?.lowercased() ?? "warning"
        let level = Logger.Level(rawValue: name) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            // Tokens and the chat's sensitive values never reach a log line.
            return RedactingLogHandler(handler)
        }
    }
}

/// Where the bot's files and Parley's own state live; every subcommand takes these.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The bot's folder: bot.yaml and one YAML file per dialog task.")
    var bot = "Dialogs"

    @Option(help: "The folder for Parley's state: history, conversations, tokens, the sandbox's data.")
    var state = ".parley"

    func validate() throws {
        guard !bot.isEmpty else { throw ValidationError("--bot needs a folder; it is empty") }
        guard !state.isEmpty else { throw ValidationError("--state needs a folder; it is empty") }
    }

    /// The bot, for a command that reads it without running it; a bot that does not load is a usage error
    /// that says why.
    func botToRead() throws -> Bot {
        do {
            return try BotLoader.load(directory: bot).bot
        } catch {
            throw ValidationError("The bot in \(bot) does not load:\n\(error)")
        }
    }
}
