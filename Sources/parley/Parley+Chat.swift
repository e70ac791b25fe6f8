import ArgumentParser
import BotHost
import Channels
import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Transcripts

extension Parley {
    /// `parley chat`: talk to the bot in a line-edited terminal session.
    struct Chat: AsyncParsableCommand {
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

        @Option(
            name: .customLong("env"), help: ArgumentHelp("Override a bot variable from bot.yaml's env: section.", valueName: "name=value"))
        var variables: [String] = []

        @Option(help: ArgumentHelp("Write the chat as a transcript that replays with parley test (like /record).", valueName: "file"))
        var record: String?

        func validate() throws {
            for assignment in variables {
                guard let equals = assignment.firstIndex(of: "=") else {
                    throw ValidationError("--env takes name=value, not '\(assignment)'")
                }
                guard equals != assignment.startIndex else {
                    throw ValidationError("--env takes name=value with the variable's name before '=', not '\(assignment)'")
                }
            }
            // The empty user is the bot's own: its Salesforce token is the pre-authorized one.
            guard !user.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--user needs a name for who is chatting; it is empty")
            }
            if let record { try OutputFile.check(record, option: "--record") }
        }

        func run() async throws {
            let loaded = try loadBot(options.bot)
            let recording = TranscriptRecording(botFolder: options.bot, variables: overrides().compactMapValues { $0.stringValue })
            do {
                try await TerminalChat.run(
                    loaded.bot, host: HostOptions(botFolder: options.bot, stateFolder: options.state, variableOverrides: overrides()),
                    options: TerminalChat.Options(user: UserID(user), debug: debug, recordTo: record), recording: recording)
            } catch let failure as TerminalChat.RecordingFailure {
                throw OutputFileFailure(option: "--record", path: failure.path, error: failure.underlying)
            }
        }

        private func overrides() -> [String: JSONValue] {
            var values: [String: JSONValue] = [:]
            for assignment in variables {
                // validate() made sure each has a name and an '='.
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                values[String(assignment[..<equals])] = .string(String(assignment[assignment.index(after: equals)...]))
            }
            return values
        }
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
        FileHandle.standardError.write(
            Data(
                "The bot in \(folder) has \(count) error\(count == 1 ? "" : "s") and cannot start; fix \(count == 1 ? "it" : "them") and try again (parley lint \(folder) checks without starting).\n"
                    .utf8))
        throw ExitCode.failure
    }
}
