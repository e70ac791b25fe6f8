import Foundation
import Testing

/// Secrets and sensitive values stay masked wherever `parley chat` keeps or shows them, and the state folder
/// is readable by its owner only.
@Suite struct SecretTests {
    static let secretBot = Build.packageRoot.appendingPathComponent("Tests/ParleyCLITests/Fixtures/SecretBot").path
    static let account = "AC-99887766"
    static let pin = "4321"
    static let token = "bank-token-5f3a9c"

    /// A chat with a sensitive account number and PIN: history, the recording, `/context` and `/debug` show only
    /// masks, and the token in the service URL is hidden.
    @Test func sensitiveValuesAreMaskedEverywhere() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let recording = state.appendingPathComponent("balance.chat").path
        let command = [
            Build.parley, "chat", "--bot", Self.secretBot, "--state", state.appendingPathComponent("state").path, "--user", "kim",
            "--debug", "--record", recording, "--env", "bankToken=\(Self.token)",
        ]
        // Tall enough for the whole of `/context`.
        try await TerminalSession.with(command, height: 100, environment: ["NO_COLOR": "1", "TERM": "xterm-256color"]) { terminal in
            try await terminal.waitForPrompt("kim>", timeout: .seconds(60))
            try await terminal.type("check my balance")
            try await terminal.press("Enter")
            try await terminal.waitFor("What is your account number?")
            try await terminal.waitForPrompt("kim>")
            try await terminal.type(Self.account)
            try await terminal.press("Enter")
            try await terminal.waitFor("And your PIN?")
            try await terminal.waitForPrompt("kim>")
            try await terminal.press("C-l")
            try await terminal.type("/context")
            try await terminal.press("Enter")
            let context = try await terminal.waitFor(#""accountNumber": "•••""#)
            #expect(!context.contains("99887766"))
            try await terminal.waitForPrompt("kim>")
            try await terminal.type(Self.pin)
            try await terminal.press("Enter")
            let debug = try await terminal.waitFor("The bank isn't answering right now.")
            #expect(debug.contains("/accounts/•••?access_token=[redacted]&pin=•••"))
            #expect(!debug.contains(Self.token))
            try await terminal.waitForPrompt("kim>")
            try await terminal.type("/quit")
            try await terminal.press("Enter")
            try await terminal.waitUntilEnded()
        }
        let history = try String(contentsOf: state.appendingPathComponent("state/history"), encoding: .utf8)
        #expect(history.contains("check my balance"))
        #expect(!history.contains(Self.account))
        #expect(!history.contains(Self.pin))
        let transcript = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(transcript.contains("> •••"))
        #expect(!transcript.contains("99887766"))
        #expect(!transcript.contains("> \(Self.pin)"))
        #expect(!transcript.contains(Self.token))
    }

    /// The state folder is created 0700 and every file Parley keeps in it is 0600: history, the conversation and
    /// integration database with its WAL files, the vault key, the sandbox's data and key, the trained models.
    @Test func theStateFolderIsPrivate() async throws {
        let root = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let state = root.appendingPathComponent("state")
        let orders = Build.packageRoot.appendingPathComponent("Examples/orders").path
        let chat = try await runParley(["chat", "--bot", orders, "--state", state.path], input: "place an order\n/quit\n")
        #expect(chat.status == 0)
        #expect(try await runParley(["actions", "list", "--state", state.path]).status == 0)
        #expect(try await runParley(["sandbox", "apps", "list", "--state", state.path]).status == 0)

        let manager = FileManager.default
        #expect(try manager.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int == 0o700)
        let files = try manager.contentsOfDirectory(atPath: state.path).sorted()
        for expected in ["parley.sqlite", "vault.key", "sandbox.sqlite", "sandbox.key"] {
            #expect(files.contains(expected), "no \(expected) in \(files)")
        }
        // Folders inside it (the trained models') are 0700 too.
        #expect(files.contains("models"), "no saved model in \(files)")
        let everything = try manager.subpathsOfDirectory(atPath: state.path)
        for file in everything {
            let attributes = try manager.attributesOfItem(atPath: state.appendingPathComponent(file).path)
            let mode = attributes[.posixPermissions] as? Int
            let expected = attributes[.type] as? FileAttributeType == .typeDirectory ? 0o700 : 0o600
            #expect(mode == expected, "\(file) is \(String(mode ?? 0, radix: 8))")
        }
    }
}
