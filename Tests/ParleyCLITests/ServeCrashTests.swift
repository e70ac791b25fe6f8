import Foundation
import LocalServing
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServeChannelTests {
    /// `parley serve` killed without warning, and started again on the same state folder and port.
    @Suite struct Crash {
        static let conversations = 15

        /// Conversations waiting for their users to authorize survive a SIGKILL: after a restart the links they were
        /// sent still work, every task finishes, and the sandbox holds one lead per conversation.
        @Test func killedWhileUsersAuthorizeEveryConversationCompletesOnce() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            // Both ports stay the same across the restart, so the links sent before it still lead through the sandbox.
            let port = try LocalServer.freeLoopbackPort()
            let sandboxPort = try LocalServer.freeLoopbackPort()
            let sandboxArguments = ["--sandbox-port", String(sandboxPort)]
            let first = try await ServeServer.start(state: state, port: port, arguments: sandboxArguments)
            let links: [Int: String]
            do {
                links = try await withThrowingTaskGroup(of: (Int, String).self, returning: [Int: String].self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask {
                            let user = "crash-\(index)"
                            _ = try await first.say("create a lead for Crash\(index) at Crashco", as: user, key: "\(user)-1")
                            return (index, try ServeServer.link(in: try await first.say("Cy\(index)", as: user, key: "\(user)-2")))
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
            } catch {
                await first.process.stop()
                throw error
            }
            kill(first.process.pid, SIGKILL)
            await first.process.stop()

            try await ServeServer.with(state: state, port: port, arguments: sandboxArguments) { second in
                #expect(second.baseURL == first.baseURL)
                #expect(second.sandboxURL == first.sandboxURL)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask {
                            let user = "crash-\(index)"
                            // The client does not know its last turn was answered: it retries it, and gets the same link.
                            let retried = try await second.say("Cy\(index)", as: user, key: "\(user)-2")
                            #expect(try ServeServer.link(in: retried) == links[index])
                            let link = try #require(links[index])
                            _ = try await SandboxBrowser.withBrowser(overHTTP: second.sandboxURL) { browser in
                                try await second.authorize(link, browser: browser)
                            }
                            _ = try await second.waitForEvent(
                                containing: "Lead Crash\(index) at Crashco created with id", user: user)
                        }
                    }
                    try await group.waitForAll()
                }
                let leads = try await BrowserAuthorizationTests.sandboxQuery(
                    "SELECT Id, LastName FROM Lead WHERE Company = 'Crashco'", sandbox: second.sandboxURL, state: state)
                #expect(leads.json["totalSize"] == .number(Double(Self.conversations)))
            }
        }

        static let preauthorizedConversations = 1000

        /// A thousand conversations creating leads on the bot's own connection, with the server killed (SIGKILL) while
        /// they run: after a restart each client retries what was not answered with the same Idempotency-Key, every
        /// conversation completes, and the sandbox holds exactly one lead per conversation.
        ///
        /// A turn that was claimed and never finished is not run again (409); its client cannot know whether the lead
        /// was made, so it looks, as a person would in the CRM, and only starts the task again when there is none.
        @Test func killedUnderLoadEveryConversationCreatesItsLeadOnce() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.preauthorize(state: state)
            let port = try LocalServer.freeLoopbackPort()
            let first = try await ServeServer.start(state: state, port: port)
            let answered = Answered()
            // The load runs until the kill; its requests then fail, which is what a client sees of a crash.
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<Self.preauthorizedConversations {
                        group.addTask {
                            for (step, text) in Load.turns(index).enumerated() {
                                let user = "bulk-\(index)"
                                guard let reply = try? await first.say(text, as: user, key: "\(user)-\(step)"), reply.status == 200
                                else { return }
                                answered.record(index, step: step)
                            }
                        }
                    }
                }
            }
            // Killed once about a third of the leads were made, while the rest are in flight or waiting.
            let deadline = ContinuousClock.now + ServeServer.patience
            while answered.leads < Self.preauthorizedConversations / 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(first.process.pid, SIGKILL)
            await first.process.stop()
            // Requests still waiting for a connection would wait out their deadline; the clients give up at once.
            load.cancel()
            await load.value
            let killedAfter = answered.leads
            #expect(killedAfter < Self.preauthorizedConversations, "the server was killed before every lead was made")

            let interrupted = try await ServeServer.with(state: state, port: port) { second in
                // The CRM user's token, for looking up leads.
                let token = try await BrowserAuthorizationTests.demoUserToken(sandbox: second.sandboxURL, state: state)
                let interrupted = try await withThrowingTaskGroup(of: Bool.self, returning: Int.self) { group in
                    for index in 0..<Self.preauthorizedConversations {
                        group.addTask {
                            try await Self.finish(index, answeredSteps: answered.steps(of: index), server: second, token: token)
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                try await Load.expectLeads(
                    count: Self.preauthorizedConversations, company: "Bulkco", sandbox: second.sandboxURL, state: state)
                return interrupted
            }
            print(
                "serve crash: killed after \(killedAfter) of \(Self.preauthorizedConversations) leads, \(interrupted) turns interrupted; "
                    + "every conversation completed")
        }

        /// Finishes a conversation after the restart: retries its unanswered turns with their keys, and settles a turn
        /// the crash interrupted by looking for the lead. Returns whether a turn had been interrupted.
        static func finish(_ index: Int, answeredSteps: Int, server: ServeServer, token: String) async throws -> Bool {
            let user = "bulk-\(index)"
            for step in answeredSteps..<2 {
                let reply = try await server.say(Load.turns(index)[step], as: user, key: "\(user)-\(step)")
                if reply.status == 200 { continue }
                #expect(reply.status == 409, "\(user): \(reply.text)")
                #expect(reply.json["error"]?["code"]?.stringValue == "turn_interrupted")
                let soql = "SELECT Id FROM Lead WHERE LastName = 'Bulk\(index)' AND Company = 'Bulkco'"
                let query = try #require(soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                let found = try await SharedStateTests.send(
                    "GET", server.sandboxURL + "/services/data/v66.0/query?q=" + query, token: token)
                if found.json["totalSize"] == 1 { return true }
                // No lead: start over, from whatever the interrupted turn left, with new keys.
                _ = try await server.say("cancel", as: user, key: "\(user)-cancel")
                let again = try await server.say(Load.turns(index)[0], as: user, key: "\(user)-again-0")
                #expect(again.messages == "What is the lead's first name?", "\(user): \(again.text)")
                let made = try await server.say(Load.turns(index)[1], as: user, key: "\(user)-again-1")
                #expect(made.messages.contains("created with id"), "\(user): \(made.text)")
                return true
            }
            return false
        }

        /// Which turns of each conversation the client saw answered before the kill.
        final class Answered: Sendable {
            private let steps = Mutex<[Int: Int]>([:])

            func record(_ index: Int, step: Int) {
                steps.withLock { $0[index] = max($0[index] ?? 0, step + 1) }
            }

            func steps(of index: Int) -> Int { steps.withLock { $0[index] ?? 0 } }

            var leads: Int { steps.withLock { $0.values.count(where: { $0 == 2 }) } }
        }
    }
}
