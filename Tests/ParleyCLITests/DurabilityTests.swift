import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `parley chat` keeps its conversations in the state folder: they outlive quitting and crashing.
@Suite struct DurabilityTests {
    static let orders = Build.packageRoot.appendingPathComponent("Examples/orders").path
    /// A small Salesforce bot, quick to start (the shipped one trains its intent classifier first).
    static let leadBot = Build.packageRoot.appendingPathComponent("Tests/ParleyCLITests/Fixtures/LeadBot").path

    /// A chat that quits mid-task continues where it was the next time it starts.
    @Test func aScriptedChatContinuesAfterQuitting() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let arguments = ["chat", "--bot", Self.orders, "--state", state.path, "--user", "cam"]
        let first = try await runParley(arguments, input: "place an order\nBurr Grinder\n/quit\n")
        #expect(first.status == 0)
        #expect(first.output.contains("Order Desk: How many?"))

        let second = try await runParley(arguments, input: "2\n/quit\n")
        #expect(second.status == 0)
        #expect(second.output.contains("Order Desk: How many?"))
        #expect(second.output.contains("Order Desk: When should it arrive?"))
    }

    /// `/reset` forgets for good: the next start begins afresh.
    @Test func resetForgetsAcrossRestarts() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let arguments = ["chat", "--bot", Self.orders, "--state", state.path, "--user", "dee"]
        _ = try await runParley(arguments, input: "place an order\n/reset\n/quit\n")
        let again = try await runParley(arguments, input: "/context\n/quit\n")
        #expect(!again.output.contains("How many?"))
        #expect(!again.output.contains("Which product would you like?"))
        #expect(!again.output.contains("PlaceOrder"))
    }

    /// A chat killed with SIGKILL in the middle of creating a lead continues after a restart, down to the
    /// authorization link it was waiting on.
    @Test func aKilledChatContinuesAfterARestart() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let command = [Build.parley, "chat", "--bot", Self.leadBot, "--state", state.path, "--user", "eve"]
        let environment = ["NO_COLOR": "1", "TERM": "xterm-256color"]
        let start = Duration.seconds(60)
        try await TerminalSession.with(command, environment: environment) { terminal in
            try await terminal.waitForPrompt("eve>", timeout: start)
            try await terminal.type("create a lead")
            try await terminal.press("Enter")
            try await terminal.waitFor("What is the lead's first name?")
            try await terminal.waitForPrompt("eve>")
            try await terminal.type("Ann")
            try await terminal.press("Enter")
            try await terminal.waitFor("What is the lead's last name?")
            try await terminal.waitForPrompt("eve>")
            kill(try await terminal.programID(), SIGKILL)
            try await terminal.waitUntilEnded()
        }
        let link = try await TerminalSession.with(command, environment: environment) { terminal in
            // The greeting, then the question the chat was killed on.
            try await terminal.waitFor("What is the lead's last name?", timeout: start)
            try await terminal.waitForPrompt("eve>")
            try await terminal.type("Doe")
            try await terminal.press("Enter")
            try await terminal.waitFor("Which company is Doe with?")
            try await terminal.waitForPrompt("eve>")
            try await terminal.type("Acme")
            try await terminal.press("Enter")
            let screen = try await terminal.waitFor("Please authorize Salesforce before we continue: ")
            try await terminal.waitForPrompt("eve>")
            kill(try await terminal.programID(), SIGKILL)
            try await terminal.waitUntilEnded()
            return Self.authorizationLink(in: screen)
        }
        try await TerminalSession.with(command, environment: environment) { terminal in
            let screen = try await terminal.waitFor("Please authorize Salesforce before we continue: ", timeout: start)
            // The same link; its port is another when tests running alongside hold the usual one.
            #expect(Self.authorizationLink(in: screen)?.split(separator: "/").last == link?.split(separator: "/").last)
            try await terminal.waitForPrompt("eve>")
            try await terminal.type("/context")
            try await terminal.press("Enter")
            try await terminal.waitFor(#""messagePayload": "Acme""#)
            try await terminal.type("/quit")
            try await terminal.press("Enter")
            try await terminal.waitUntilEnded()
        }
    }

    /// The link on the screen, which may wrap onto the next lines.
    static func authorizationLink(in screen: String) -> String? {
        guard let start = screen.range(of: "before we continue: ") else { return nil }
        return screen[start.upperBound...].split(separator: "\n").prefix { !$0.contains(">") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    /// `/open` without a display says it cannot and shows the pending short link; `/whoami` and `/signout` say the
    /// user is not connected yet.
    @Test func accountCommandsBeforeAuthorizing() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let arguments = ["chat", "--bot", Self.leadBot, "--state", state.path, "--user", "fin"]
        let none = try await runParley(arguments, environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""], input: "/open\n/quit\n")
        #expect(none.output.contains("There is no authorization link to open"))
        let result = try await runParley(
            arguments, environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""],
            input: "create a lead for Doe at Acme\nJane\n/open\n/whoami\n/signout\n/quit\n")
        #expect(result.status == 0)
        let link = try #require(result.output.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{16}/)).output
        #expect(result.output.contains("I can't open a browser here (no display or no xdg-open); open this link yourself: \(link)"))
        #expect(result.output.contains("You are not connected to Salesforce; the bot sends you a link when a task needs it."))
        #expect(result.output.contains("You are not connected to Salesforce.\n"))
    }
}
