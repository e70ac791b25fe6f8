import Foundation
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing

extension ServeChannelTests {
    /// Many conversations at once through `parley serve`, each creating a lead in the sandbox after its user authorizes
    /// in a (scripted) browser, over loopback and bounded in count.
    @Suite struct Load {
        static let conversations = 50

        /// Every conversation completes its create-lead task, with each turn sent twice under one Idempotency-Key; no
        /// request fails and the sandbox holds exactly one lead per conversation.
        @Test func concurrentConversationsEachCreateOneLead() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state, arguments: ["--rate", "50", "--burst", "50"]) { server in
                let start = ContinuousClock.now
                let ids = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask { try await Self.createLead(index, server: server) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let elapsed = start.duration(to: .now)
                print("serve load: \(Self.conversations) conversations, each 2 turns sent twice and one authorization, in \(elapsed)")
                #expect(Set(ids).count == Self.conversations)

                try await Self.expectOneLeadEach(count: Self.conversations, company: "Loadco", server: server, state: state)
            }
        }

        static let preauthorizedConversations = 1000

        /// A thousand conversations at once on the bot's own Salesforce connection (authorized once by its operator):
        /// each creates its lead, with no error; the sandbox holds exactly one lead per conversation and each turn ran
        /// once.
        @Test func aThousandConversationsOnTheBotsConnectionEachCreateOneLead() async throws {
            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.preauthorize(state: state)
            try await ServeServer.with(state: state) { server in
                let start = ContinuousClock.now
                let ids = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
                    for index in 0..<Self.preauthorizedConversations {
                        group.addTask {
                            let user = "bulk-\(index)"
                            let first = try await server.say("create a lead for Bulk\(index) at Bulkco", as: user, key: "\(user)-1")
                            #expect(first.status == 200)
                            #expect(first.messages == "What is the lead's first name?")
                            let second = try await server.say("Bo\(index)", as: user, key: "\(user)-2")
                            #expect(second.status == 200)
                            let id = try #require(
                                second.messages.firstMatch(of: /Lead Bulk\d+ at Bulkco created with id ([A-Za-z0-9]{15,18})\./)?.output.1,
                                "no lead for \(user): \(second.text)")
                            return String(id)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let elapsed = start.duration(to: .now)
                print("serve load: \(Self.preauthorizedConversations) conversations on the bot's connection, 2 turns each, in \(elapsed)")
                #expect(Set(ids).count == Self.preauthorizedConversations)

                try await Self.expectOneLeadEach(
                    count: Self.preauthorizedConversations, company: "Bulkco", server: server, state: state)
            }
        }

        /// The sandbox holds exactly one lead per conversation at `company`, each of the two turns per conversation ran
        /// once, and Salesforce was called once per conversation without an error.
        static func expectOneLeadEach(count: Int, company: String, server: ServeServer, state: URL) async throws {
            let leads = try await BrowserAuthorizationTests.sandboxQuery(
                "SELECT Id, LastName FROM Lead WHERE Company = '\(company)'", sandbox: server.sandboxURL, state: state)
            #expect(leads.status == 200)
            #expect(leads.json["totalSize"] == .number(Double(count)))
            let names = (leads.json["records"]?.arrayValue ?? []).compactMap { $0["LastName"]?.stringValue }
            #expect(Set(names).count == count, "no lead twice")
            let metrics = try await server.send(.GET, "/metrics", secret: nil)
            #expect(metrics.text.contains("parley_turns_total \(2 * count)"), "each turn ran once")
            #expect(metrics.text.contains("parley_service_calls_total{integration=\"salesforce\"} \(count)"))
            #expect(!metrics.text.contains("parley_service_errors_total"))
        }

        /// One conversation's task, start to finish; returns the created lead's id.
        static func createLead(_ index: Int, server: ServeServer) async throws -> String {
            let user = "load-\(index)"
            let first = try await twice { try await server.say("create a lead for Load\(index) at Loadco", as: user, key: "\(user)-1") }
            #expect(first.messages == "What is the lead's first name?")
            let second = try await twice { try await server.say("Ada\(index)", as: user, key: "\(user)-2") }
            let link = try ServeServer.link(in: second)
            let page = try await SandboxBrowser.withBrowser(overHTTP: server.sandboxURL) { browser in
                try await server.authorize(link, browser: browser)
            }
            #expect(page.status == 200)
            let events = try await server.waitForEvent(containing: "created with id", user: user)
            let text = events.map { $0.jsonText() }.joined()
            let id = try #require(text.firstMatch(of: /Lead Load\d+ at Loadco created with id ([A-Za-z0-9]{15,18})\./)?.output.1)
            return String(id)
        }

        /// Sends a request twice at once, as a client that retries too early; both must answer the same.
        static func twice(_ send: @escaping @Sendable () async throws -> ServeServer.Reply) async throws -> ServeServer.Reply {
            async let one = send()
            async let two = send()
            let (a, b) = try await (one, two)
            #expect(a.status == 200)
            #expect(a.text == b.text)
            return a
        }
    }
}
