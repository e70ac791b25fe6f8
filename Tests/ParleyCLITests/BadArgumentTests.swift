import Foundation
import Testing

/// Hostile command lines: each gets a one-line error that says what is wrong, and a non-zero exit, never a crash.
@Suite struct BadArgumentTests {
    /// A command line and what `parley` must answer; `SCRATCH` stands for a scratch folder holding `folder/`
    /// (a folder), `binary.bin` (bytes that are not text) and `badbot/` (a bot whose bot.yaml is such bytes).
    struct BadCommand: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var status: Int32
        var error: String

        var testDescription: String { "parley " + arguments.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ") }
    }

    static let commands = [
        BadCommand(
            arguments: ["chat", "--env", "="], status: 64,
            error: "--env takes name=value with the variable's name before '=', not '='"),
        BadCommand(
            arguments: ["chat", "--env", "==x"], status: 64,
            error: "--env takes name=value with the variable's name before '=', not '==x'"),
        BadCommand(
            arguments: ["chat", "--env", "=x"], status: 64,
            error: "--env takes name=value with the variable's name before '=', not '=x'"),
        BadCommand(arguments: ["chat", "--env", "x"], status: 64, error: "--env takes name=value, not 'x'"),
        BadCommand(arguments: ["chat", "--user", ""], status: 64, error: "--user needs a name for who is chatting; it is empty"),
        BadCommand(arguments: ["chat", "--bot", ""], status: 64, error: "--bot needs a folder; it is empty"),
        BadCommand(arguments: ["chat", "--state", ""], status: 64, error: "--state needs a folder; it is empty"),
        BadCommand(arguments: ["chat", "--record", ""], status: 64, error: "--record needs a file name"),
        BadCommand(
            arguments: ["chat", "--record", "SCRATCH/folder"], status: 64, error: "--record: 'SCRATCH/folder' is a folder; name a file"),
        BadCommand(
            arguments: ["chat", "--record", "SCRATCH/missing/chat.chat"], status: 64,
            error: "--record: the folder 'SCRATCH/missing' does not exist"),
        BadCommand(
            arguments: ["chat", "--state", "SCRATCH/binary.bin"], status: 1,
            error: "SCRATCH/binary.bin: the state folder is a file, not a folder"),
        BadCommand(
            arguments: ["chat", "--bot", "SCRATCH/badbot"], status: 1,
            error: "SCRATCH/badbot/bot.yaml:1:1: error: the file is not UTF-8 text"),
        BadCommand(arguments: ["lint", "SCRATCH/folder"], status: 1, error: "the bot folder has no bot.yaml"),
        BadCommand(arguments: ["sandbox", "--state", ""], status: 64, error: "--state needs a folder; it is empty"),
        BadCommand(arguments: ["sandbox", "--data", ""], status: 64, error: "--data needs a file name; it is empty"),
        BadCommand(
            arguments: ["sandbox", "--data", "SCRATCH/folder"], status: 64,
            error: "--data: 'SCRATCH/folder' is a folder; name the sandbox's SQLite file"),
        BadCommand(
            arguments: ["sandbox", "--data", "SCRATCH/binary.bin", "--port", "0"], status: 1,
            error: "SCRATCH/binary.bin: the sandbox's data file cannot be opened (file is not a database)"),
        BadCommand(
            arguments: ["sandbox", "apps", "list", "--data", "SCRATCH/binary.bin"], status: 1,
            error: "SCRATCH/binary.bin: the sandbox's data file cannot be opened (file is not a database)"),
        BadCommand(arguments: ["sandbox", "--port", "65536"], status: 64, error: "--port must be between 0 and 65535, not 65536"),
        BadCommand(
            arguments: ["test", "--filter", "", "SCRATCH/folder"], status: 64, error: "--filter needs some text to look for; it is empty"),
        BadCommand(
            arguments: ["test", "--junit", "SCRATCH/folder", "SCRATCH/folder"], status: 64,
            error: "--junit: 'SCRATCH/folder' is a folder; name a file"),
        BadCommand(arguments: ["test", "SCRATCH/binary.bin"], status: 1, error: "SCRATCH/binary.bin:0: error: the file is not UTF-8 text"),
        BadCommand(arguments: ["graph", "CreateLead", "--output", ""], status: 64, error: "--output needs a file name"),
        BadCommand(
            arguments: ["graph", "CreateLead", "--output", "SCRATCH/folder"], status: 64,
            error: "--output: 'SCRATCH/folder' is a folder; name a file"),
        BadCommand(
            arguments: ["understand", "--now", "garbage", "hello"], status: 64,
            error: "--now must be an ISO 8601 moment such as 2026-03-02T09:00:00Z, not 'garbage'."),
    ]

    /// Each hostile command line gets its error and exit status, and nothing starts.
    @Test(arguments: commands)
    func aBadCommandLineGetsAClearError(_ command: BadCommand) async throws {
        let scratch = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("folder"), withIntermediateDirectories: true)
        let binary = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 0x80) })
        try binary.write(to: scratch.appendingPathComponent("binary.bin"))
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("badbot"), withIntermediateDirectories: true)
        try binary.write(to: scratch.appendingPathComponent("badbot/bot.yaml"))

        let arguments = command.arguments.map { $0.replacingOccurrences(of: "SCRATCH", with: scratch.path) }
        // Commands that would use the default bot and state folder get the shipped bot and the scratch folder.
        var folders: [String] = []
        if ["chat", "graph", "understand"].contains(arguments[0]), !arguments.contains("--bot") {
            folders += ["--bot", Build.packageRoot.appendingPathComponent("Dialogs").path]
        }
        if ["chat", "sandbox"].contains(arguments[0]), !arguments.contains("--state"), !arguments.contains("--data") {
            folders += ["--state", scratch.appendingPathComponent("state").path]
        }
        let result = try await runParley(arguments + folders, in: scratch, input: "/quit\n")
        let expected = command.error.replacingOccurrences(of: "SCRATCH", with: scratch.path)
        #expect(result.status == command.status, "output was:\n\(result.output)")
        #expect(result.output.contains(expected), "output was:\n\(result.output)")
        #expect(!result.output.contains("Fatal error"))
    }
}
