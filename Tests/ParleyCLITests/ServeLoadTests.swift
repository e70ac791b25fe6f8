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

                try await Self.expectOneLeadEach(count: Self.conversations, company: "Loadco", servers: [server], state: state)
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
                        group.addTask { try await Self.createLeadOnTheBotsConnection(index, servers: [server]) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let elapsed = start.duration(to: .now)
                print("serve load: \(Self.preauthorizedConversations) conversations on the bot's connection, 2 turns each, in \(elapsed)")
                #expect(Set(ids).count == Self.preauthorizedConversations)

                try await Self.expectOneLeadEach(
                    count: Self.preauthorizedConversations, company: "Bulkco", servers: [server], state: state)
            }
        }

        /// A conversation's two turns on the bot's connection: starting the task, and the first name that makes the lead.
        static func turns(_ index: Int) -> [String] {
            ["create a lead for Bulk\(index) at Bulkco", "Bo\(index)"]
        }

        /// One conversation's task on the bot's connection, each turn under its own Idempotency-Key; turn `step` goes to
        /// `servers[(index + step) % servers.count]`, so with two servers the turns alternate and half the conversations
        /// start on each. Returns the created lead's id.
        static func createLeadOnTheBotsConnection(_ index: Int, servers: [ServeServer]) async throws -> String {
            let user = "bulk-\(index)"
            let first = try await servers[index % servers.count].say(turns(index)[0], as: user, key: "\(user)-0")
            #expect(first.status == 200)
            #expect(first.messages == "What is the lead's first name?")
            let second = try await servers[(index + 1) % servers.count].say(turns(index)[1], as: user, key: "\(user)-1")
            #expect(second.status == 200)
            let id = try #require(
                second.messages.firstMatch(of: /Lead Bulk\d+ at Bulkco created with id ([A-Za-z0-9]{15,18})\./)?.output.1,
                "no lead for \(user): \(second.text)")
            return String(id)
        }

        /// The sandbox holds exactly one lead per conversation at `company`, each of the two turns per conversation ran
        /// once on one of `servers`, and Salesforce was called once per conversation without an error.
        static func expectOneLeadEach(count: Int, company: String, servers: [ServeServer], state: URL) async throws {
            try await expectLeads(count: count, company: company, sandbox: servers[0].sandboxURL, state: state)
            var (turns, calls) = (0, 0)
            for server in servers {
                let metrics = try await server.send(.GET, "/metrics", secret: nil).text
                turns += value(of: "parley_turns_total", in: metrics)
                calls += value(of: "parley_service_calls_total{integration=\"salesforce\"}", in: metrics)
                #expect(!metrics.contains("parley_service_errors_total"))
            }
            #expect(turns == 2 * count, "each turn ran once")
            #expect(calls == count)
        }

        /// The sandbox, whose data every server on the state folder shares, holds exactly `count` leads at `company`, each
        /// with a last name of its own.
        static func expectLeads(count: Int, company: String, sandbox: String, state: URL) async throws {
            let leads = try await BrowserAuthorizationTests.sandboxQuery(
                "SELECT Id, LastName FROM Lead WHERE Company = '\(company)'", sandbox: sandbox, state: state)
            #expect(leads.status == 200)
            #expect(leads.json["totalSize"] == .number(Double(count)))
            let names = (leads.json["records"]?.arrayValue ?? []).compactMap { $0["LastName"]?.stringValue }
            #expect(Set(names).count == count, "no lead twice")
        }

        /// The value of `metric` (its name and labels, as /metrics writes them) in a /metrics page; 0 when it is not there.
        static func value(of metric: String, in page: String) -> Int {
            let line = page.split(separator: "\n").first { $0.hasPrefix(metric + " ") }
            return line.flatMap { Double($0.dropFirst(metric.count + 1)) }.map { Int($0) } ?? 0
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
