import Foundation
import Testing

/// `parley chat` driven through a real terminal (tmux): typing, Tab completion, history, search.
@Suite(.serialized) struct REPLTests {
    /// A person chats with the example bot: the service is called over HTTP, Tab completes commands and
    /// list values, Up recalls history, Ctrl-R searches it, and history survives a restart.
    @Test func chatInATerminal() async throws {
        try await OrderService.with { ordersURL in
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            let command = [
                Build.parley, "chat", "--bot", Build.packageRoot.appendingPathComponent("Examples/orders").path,
                "--state", state.path, "--env", "ordersApi=\(ordersURL)", "--user", "ana",
            ]
            try await TerminalSession.with(command, environment: ["NO_COLOR": "1", "TERM": "xterm-256color"]) { terminal in
                try await terminal.waitFor("ana>")
                #expect(try await terminal.screen().contains("Order Desk: Hi! I can check an order or place a new one."))

                // Tab completes a meta command.
                try await terminal.waitForPrompt("ana>")
                try await terminal.type("/he")
                try await terminal.press("Tab")
                try await terminal.waitFor("ana> /help")
                try await terminal.press("Enter")
                try await terminal.waitFor("list what the bot can do")

                // A task that calls the order service over HTTP.
                try await terminal.waitForPrompt("ana>")
                try await terminal.type("where is my order ORD-1001")
                try await terminal.press("Enter")
                try await terminal.waitFor("Order ORD-1001: 1 × Burr Grinder, shipped.")

                // Tab completes the values of the list entity being asked for.
                try await terminal.waitForPrompt("ana>")
                try await terminal.type("place an order")
                try await terminal.press("Enter")
                try await terminal.waitFor("Which product would you like?")
                try await terminal.waitForPrompt("ana>")
                try await terminal.type("Bu")
                try await terminal.press("Tab")
                try await terminal.waitFor("ana> Burr Grinder")
                try await terminal.press("Enter")
                try await terminal.waitFor("How many?")
                try await terminal.waitForPrompt("ana>")
                try await terminal.type("cancel")
                try await terminal.press("Enter")
                try await terminal.waitFor("OK, I've cancelled Place Order.")

                // Up recalls the previous lines; Ctrl-R finds an older one.
                try await terminal.press("Up")
                try await terminal.waitFor("ana> cancel")
                try await terminal.press("C-u")
                try await terminal.press("C-r")
                try await terminal.type("ORD-10")
                try await terminal.waitFor("where is my order ORD-1001", times: 2)
                try await terminal.press("Enter")
                try await terminal.waitFor("Order ORD-1001: 1 × Burr Grinder, shipped.", times: 2)

                try await terminal.waitForPrompt("ana>")
                try await terminal.type("/quit")
                try await terminal.press("Enter")
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(5)
                while await terminal.isRunning() && clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                #expect(!(await terminal.isRunning()))
                let history = try String(contentsOf: state.appendingPathComponent("history"), encoding: .utf8)
                #expect(history.contains("where is my order ORD-1001"))
                #expect(history.contains("place an order"))
            }
        }
    }

    /// When standard input is not a terminal, the chat reads plain lines and prints no escape codes.
    @Test func scriptedChatHasNoEscapeCodes() async throws {
        try await OrderService.with { ordersURL in
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            let result = try await ChildProcess.run(
                Build.parley,
                [
                    "chat", "--bot", Build.packageRoot.appendingPathComponent("Examples/orders").path, "--state", state.path,
                    "--env", "ordersApi=\(ordersURL)", "--user", "ben",
                ],
                input: "check my order\nORD-1002\n/quit\n")
            let text = result.output
            #expect(result.status == 0)
            #expect(!text.contains("\u{1B}"))
            #expect(text.contains("Order Desk: What is the order number? It looks like ORD-1234."))
            #expect(text.contains("Order Desk: Order ORD-1002: 3 × Espresso Beans, being packed."))
        }
    }
}
