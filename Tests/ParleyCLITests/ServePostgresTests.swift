import AsyncHTTPClient
import Foundation
import Integrations
import LocalServing
import NIOHTTP1
import ParleyJSON
import SalesforceAPI
import SalesforceSandboxTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServeChannelTests {
    /// Two `parley serve` processes sharing one PostgreSQL database (`--store`), as two servers behind a load balancer
    /// would: one user's turns go to either. Most share a state folder too, for the sandbox's data they both reach.
    @Suite(.needsPostgres) struct Postgres {
        /// A password in the URL, which the test server (trust authentication) does not need and no output may show.
        static let password = "pg-password-0123456789"

        /// Runs `body` with two servers on a fresh database; stops both afterwards.
        ///
        /// - Parameter preauthorized: whether the bot uses its own Salesforce connection, authorized by its operator in the
        ///   state folder before the servers start (which carry the token into the database), rather than its users'.
        static func withTwoServers(
            preauthorized: Bool = false, _ body: (ServeServer, ServeServer, URL) async throws -> Void
        ) async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let state = try Build.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: state) }
                if preauthorized { try await ServeServer.preauthorize(state: state) }
                // A URL given without a password gets one; one given with its own keeps it.
                let withPassword = url.replacing(/^(postgres(?:ql)?:\/\/[^:@\/]+)@/, maxReplacements: 1) { $0.output.1 + ":\(password)@" }
                let arguments = ["--store", withPassword, "--rate", "100", "--burst", "100"]
                try await ServeServer.with(state: state, arguments: arguments) { one in
                    #expect(one.process.text.contains("Keeping conversations, idempotency keys, the outbox and tokens in postgres://"))
                    try await ServeServer.with(state: state, arguments: arguments) { two in
                        try await body(one, two, state)
                        #expect(!one.process.text.contains(password))
                        #expect(!two.process.text.contains(password))
                    }
                }
            }
        }

        /// One user's create-lead task with turns spread over both servers: the conversation goes on whichever server
        /// takes the turn, a retried key on the other server replays the recorded reply, the link opens on either, the
        /// resumed task reaches a long-poll waiting on the other server at once, and the sandbox holds each lead once.
        @Test func oneUsersTurnsSpreadOverTwoServers() async throws {
            try await Self.withTwoServers { one, two, state in
                let first = try await one.say("create a lead for Doe at Acme", as: "eve", key: "eve-1")
                #expect(first.messages == "What is the lead's first name?")
                let retried = try await two.say("create a lead for Doe at Acme", as: "eve", key: "eve-1")
                #expect(retried.text == first.text)
                #expect(retried.headers.first(name: "Idempotent-Replayed") == "true")

                // The second server reads the conversation the first one left: "Jane" is the first name.
                let second = try await two.say("Jane", as: "eve", key: "eve-2")
                let link = try ServeServer.link(in: second)
                #expect(link.hasPrefix(two.baseURL + "/a/"))

                // A long-poll waits on the first server while the link, opened there, leads to the second one's callback.
                let poll = Task {
                    let start = ContinuousClock.now
                    let reply = try await one.send(.GET, "/v1/users/eve/events?after=0&wait=30")
                    return (reply, start.duration(to: .now))
                }
                try await Task.sleep(for: .milliseconds(300))
                let page = try await SandboxBrowser.withBrowser(overHTTP: two.sandboxURL) { browser in
                    try await two.authorize(one.baseURL + link.dropFirst(two.baseURL.count), browser: browser)
                }
                #expect(page.status == 200)
                let (events, waited) = try await poll.value
                print("serve on PostgreSQL: a long-poll on one server woken by the other's event after \(waited)")
                #expect(events.text.contains("Lead Doe at Acme created with id"), "\(events.text)")
                #expect(waited < .seconds(15), "woken by the other server's event, not by the wait running out")

                // The token is there for both: the next task on the first server, finished on the second, needs no link.
                #expect(
                    try await one.say("create a lead for Roe at Acme", as: "eve", key: "eve-3").messages == "What is the lead's first name?"
                )
                let done = try await two.say("Joe", as: "eve", key: "eve-4")
                #expect(done.messages.contains("Lead Roe at Acme created with id"), "\(done.text)")
                let again = try await one.say("Joe", as: "eve", key: "eve-4")
                #expect(again.text == done.text)

                let leads = try await BrowserAuthorizationTests.sandboxQuery(
                    "SELECT Id, LastName FROM Lead WHERE Company = 'Acme' AND (LastName = 'Doe' OR LastName = 'Roe')",
                    sandbox: one.sandboxURL, state: state)
                #expect(leads.json["totalSize"] == 2)
                let turns = try await [one, two].asyncMap { try await $0.send(.GET, "/metrics", secret: nil).text }
                #expect(turns[0].contains("parley_turns_total 2"), "the retries ran nothing")
                #expect(turns[1].contains("parley_turns_total 2"))
            }
        }

        /// Two servers with state folders of their own (their own SQLite databases) and one vault key: a task started on
        /// one is authorized through the other's link and callback, resumes and creates its lead once, and the token, kept
        /// in PostgreSQL only, serves the user's next task on the other server without a new link. A server with another
        /// vault key is refused before it serves.
        @Test func serversWithTheirOwnStateFoldersShareTokensAndLinks() async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let folders = try (Build.temporaryFolder(), Build.temporaryFolder(), Build.temporaryFolder())
                defer { for folder in [folders.0, folders.1, folders.2] { try? FileManager.default.removeItem(at: folder) } }
                let key = VaultKey.generateEncoded()
                let environment = [VaultKey.environmentVariable: key]
                let arguments = ["--store", url, "--rate", "100", "--burst", "100"]
                try await ServeServer.with(state: folders.0, arguments: arguments, environment: environment) { one in
                    try Self.shareSandbox(of: folders.0, with: folders.1)
                    try await ServeServer.with(state: folders.1, arguments: arguments, environment: environment) { two in
                        #expect(
                            try await one.say("create a lead for Doe at Acme", as: "ivy", key: "ivy-1").messages
                                == "What is the lead's first name?")
                        let link = try ServeServer.link(in: try await one.say("Jane", as: "ivy", key: "ivy-2"))
                        #expect(link.hasPrefix(one.baseURL + "/a/"))

                        // The load balancer sends the browser to the second server, for the link and for the callback. (The
                        // link leads to the sandbox the first server runs, which keeps the sign-in.)
                        let page = try await SandboxBrowser.withBrowser(overHTTP: one.sandboxURL) { browser in
                            let redirect = try await browser.signIn(at: two.baseURL + link.dropFirst(one.baseURL.count))
                            let callback = try #require(redirect.location, "the sandbox did not send the browser back")
                            #expect(callback.hasPrefix(one.baseURL + "/oauth/callback?"))
                            return try await browser.get(two.baseURL + callback.dropFirst(one.baseURL.count))
                        }
                        #expect(page.status == 200)
                        #expect(page.text.contains("Connected"), "\(page.text)")
                        let events = try await one.waitForEvent(containing: "Lead Doe at Acme created with id", user: "ivy")
                        #expect(!events.isEmpty)

                        // The token the second server obtained serves the user there and on the first server: no link.
                        let next = try await two.say("create a lead for Roe at Acme", as: "ivy", key: "ivy-3")
                        #expect(next.messages == "What is the lead's first name?")
                        let done = try await two.say("Joe", as: "ivy", key: "ivy-4")
                        #expect(done.messages.contains("Lead Roe at Acme created with id"), "\(done.text)")

                        let leads = try await BrowserAuthorizationTests.sandboxQuery(
                            "SELECT Id, LastName FROM Lead WHERE Company = 'Acme' AND (LastName = 'Doe' OR LastName = 'Roe')",
                            sandbox: one.sandboxURL, state: folders.0)
                        #expect(leads.json["totalSize"] == 2, "each lead once")
                        for server in [one, two] {
                            #expect(try await server.send(.GET, "/metrics", secret: nil).text.contains("parley_pending_authorizations 0"))
                        }
                        // The token is in PostgreSQL, not in either state folder.
                        for folder in [folders.0, folders.1] {
                            let local = try IntegrationStore(stateDirectory: folder.path, bot: "LeadBot", environment: environment)
                            #expect(try local.authorization(action: "salesforce", user: "ivy") == nil)
                        }
                        for output in [one.process.text, two.process.text] {
                            #expect(!output.contains(key))
                        }

                        // A server whose vault key is its own folder's cannot open the others' tokens: it says so and stops.
                        let refused = try await runParley(
                            ["serve", "--bot", DurabilityTests.leadBot, "--state", folders.2.path, "--port", "0"] + arguments,
                            environment: ["PARLEY_SERVE_CALLERS": ServeServer.callers])
                        #expect(refused.status != 0)
                        #expect(refused.output.contains("sealed with another vault key"), "\(refused.output)")
                        #expect(refused.output.contains("set PARLEY_VAULT_KEY to one value for all of them"))
                        #expect(!refused.output.contains("Serving"))
                    }
                }
            }
        }

        /// A pre-authorized bot's own token, which `parley actions authorize` keeps in the state folder, is carried into
        /// PostgreSQL when a server starts on that folder, and signs the requests of a server with a folder of its own.
        @Test func botsOwnTokenFromAStateFolderServesEveryServer() async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let root = try Build.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: root) }
                let bot = try Self.leadBot(in: root) { $0.replacing("authorization: user", with: "authorization: preauthorized") }
                let (developer, other) = (root.appendingPathComponent("a"), root.appendingPathComponent("b"))
                let environment = [VaultKey.environmentVariable: VaultKey.generateEncoded()]
                let arguments = ["--store", url, "--rate", "100", "--burst", "100"]

                // The developer's folder gets the bot's own token, as `parley actions authorize` leaves it there.
                try await ServeServer.with(state: developer, bot: bot.path, arguments: arguments, environment: environment) { first in
                    let token = try await BrowserAuthorizationTests.demoUserToken(sandbox: first.sandboxURL, state: developer)
                    try IntegrationStore(stateDirectory: developer.path, bot: "LeadBot", environment: environment).saveAuthorization(
                        StoredAuthorization(
                            user: "",
                            credentials: SalesforceCredentials(
                                accessToken: token, refreshToken: nil, instanceURL: first.sandboxURL, identityURL: nil, issuedAt: nil),
                            username: "demo@parley.dev", authorizedAt: Date()),
                        action: "salesforce")
                }
                try await ServeServer.with(state: developer, bot: bot.path, arguments: arguments, environment: environment) { one in
                    #expect(one.process.text.contains("The bot's own Salesforce token from this state folder now serves every server"))
                    try Self.shareSandbox(of: developer, with: other)
                    try await ServeServer.with(state: other, bot: bot.path, arguments: arguments, environment: environment) { two in
                        #expect(!two.process.text.contains("The bot's own Salesforce token"), "nothing to carry from its folder")
                        _ = try await two.say("create a lead for Poe at Acme", as: "una")
                        let done = try await two.say("Edgar", as: "una")
                        #expect(done.messages.contains("Lead Poe at Acme created with id"), "\(done.text)")
                    }
                }
            }
        }

        /// In confirm-with-code mode the code the second server's callback page shows is typed on the first server: the
        /// token is kept once, the task resumes there, and the second server uses the token too.
        @Test func codeShownByOneServerIsTypedOnTheOther() async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let root = try Build.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: root) }
                let bot = try Self.leadBot(in: root) { $0 + "authorization:\n  confirmWithCode: true\n" }
                let folders = (root.appendingPathComponent("a"), root.appendingPathComponent("b"))
                let environment = [VaultKey.environmentVariable: VaultKey.generateEncoded()]
                let arguments = ["--store", url, "--rate", "100", "--burst", "100"]
                try await ServeServer.with(state: folders.0, bot: bot.path, arguments: arguments, environment: environment) { one in
                    try Self.shareSandbox(of: folders.0, with: folders.1)
                    try await ServeServer.with(state: folders.1, bot: bot.path, arguments: arguments, environment: environment) { two in
                        _ = try await one.say("create a lead for Doe at Acme", as: "gus")
                        let link = try ServeServer.link(in: try await one.say("Jane", as: "gus"))
                        let page = try await SandboxBrowser.withBrowser(overHTTP: one.sandboxURL) { browser in
                            let redirect = try await browser.signIn(at: two.baseURL + link.dropFirst(one.baseURL.count))
                            let callback = try #require(redirect.location, "the sandbox did not send the browser back")
                            return try await browser.get(two.baseURL + callback.dropFirst(one.baseURL.count))
                        }
                        let code = try #require(page.text.firstMatch(of: /<strong id="code">(\d{6})<\/strong>/)?.output.1, "\(page.text)")
                        _ = try await one.waitForEvent(containing: "type the six-digit code your browser shows", user: "gus")

                        let confirmed = try await one.say(String(code), as: "gus")
                        #expect(confirmed.messages.contains("Connected to Salesforce as demo@parley.dev."), "\(confirmed.text)")
                        #expect(confirmed.messages.contains("Lead Doe at Acme created with id"), "\(confirmed.text)")
                        // The token kept is the shared one: the next task, on the other server, needs no link.
                        let next = try await two.say("create a lead for Roe at Acme", as: "gus")
                        #expect(next.messages == "What is the lead's first name?")
                        let done = try await two.say("Joe", as: "gus")
                        #expect(done.messages.contains("Lead Roe at Acme created with id"), "\(done.text)")
                        for output in [one.process.text, two.process.text] {
                            #expect(!output.contains(String(code)), "the code is a credential for a moment")
                        }
                    }
                }
            }
        }

        static let conversations = 100

        /// Many conversations at once over two servers: each turn is sent to both at the same moment under one key, the
        /// authorization goes through the other server, and every task completes once, with no error and no lead twice.
        @Test func concurrentConversationsOverTwoServers() async throws {
            try await Self.withTwoServers { one, two, state in
                let start = ContinuousClock.now
                let ids = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
                    for index in 0..<Self.conversations {
                        group.addTask { try await Self.createLead(index, servers: index.isMultiple(of: 2) ? (one, two) : (two, one)) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                print("serve load on PostgreSQL: \(Self.conversations) conversations over two servers in \(start.duration(to: .now))")
                #expect(Set(ids).count == Self.conversations)
                try await Load.expectOneLeadEach(count: Self.conversations, company: "Pgco", servers: [one, two], state: state)
            }
        }

        static let botConnectionConversations = 1000

        /// A thousand conversations at once on the bot's own Salesforce connection over two servers, each conversation's
        /// two turns on different servers: every task creates its lead with no error, the sandbox holds exactly one lead
        /// per conversation, and each turn ran once, on one server or the other.
        @Test func aThousandConversationsOnTheBotsConnectionOverTwoServers() async throws {
            try await Self.withTwoServers(preauthorized: true) { one, two, state in
                let servers = [one, two].map { $0.through(ServeServer.loadClient) }
                let start = ContinuousClock.now
                let ids = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
                    for index in 0..<Self.botConnectionConversations {
                        group.addTask { try await Load.createLeadOnTheBotsConnection(index, servers: servers) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                print(
                    "serve load on PostgreSQL: \(Self.botConnectionConversations) conversations on the bot's connection over two "
                        + "servers, 2 turns each, in \(start.duration(to: .now))")
                #expect(Set(ids).count == Self.botConnectionConversations)
                try await Load.expectOneLeadEach(
                    count: Self.botConnectionConversations, company: "Bulkco", servers: [one, two], state: state)
            }
        }

        /// The same load with one of the two servers killed (SIGKILL) once about a third of the leads are made: each
        /// client whose turn failed with it sends the turn again, under the same Idempotency-Key, to the other server,
        /// every conversation completes there, and the sandbox holds exactly one lead per conversation.
        ///
        /// A turn the killed server claimed and never finished is not run again (409); its client looks for the lead, as
        /// in the single server's crash test, and starts the task again only when there is none.
        @Test func oneOfTwoServersKilledUnderLoadEveryConversationCreatesItsLeadOnce() async throws {
            try await Self.withTwoServers(preauthorized: true) { one, two, state in
                // The killed server's client is shut down with it.
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ServeServer.loadConfiguration())
                let (doomed, survivor) = (one.through(client), two.through(ServeServer.loadClient))
                // The CRM user's token, for looking up leads.
                let token = try await BrowserAuthorizationTests.demoUserToken(sandbox: survivor.sandboxURL, state: state)
                let answered = Crash.Answered()
                let count = Self.botConnectionConversations
                let start = ContinuousClock.now
                let killer = Task {
                    let deadline = ContinuousClock.now + ServeServer.patience
                    while answered.leads < count / 3, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let killedAt = ContinuousClock.now
                    kill(doomed.process.pid, SIGKILL)
                    await doomed.process.stop()
                    // Requests waiting for a connection to the killed server fail now, as its clients give up on it.
                    try await client.shutdown()
                    return (killedAt, answered.leads)
                }
                let outcomes = try await withThrowingTaskGroup(of: KilledLoadOutcome.self, returning: [KilledLoadOutcome].self) {
                    group in
                    for index in 0..<count {
                        group.addTask {
                            try await Self.createLead(index, doomed: doomed, survivor: survivor, answered: answered, token: token)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let (killedAt, killedAfter) = try await killer.value
                let interrupted = outcomes.count(where: \.interrupted)
                print(
                    "serve crash on PostgreSQL: one of two servers killed after \(killedAfter) of \(count) leads, \(interrupted) "
                        + "turns interrupted; every conversation completed in \(start.duration(to: .now))")
                for failure in outcomes.compactMap(\.failure) {
                    #expect(failure.at >= killedAt, "a turn failed before the kill: \(failure.what)")
                }
                #expect(killedAfter < count, "the server was killed before every lead was made")
                try await Load.expectLeads(count: count, company: "Bulkco", sandbox: survivor.sandboxURL, state: state)
                let metrics = try await survivor.send(.GET, "/metrics", secret: nil).text
                #expect(!metrics.contains("parley_service_errors_total"))
            }
        }

        static let crashed = 20

        /// One server killed without warning while its users wait in their tasks: the other takes every conversation on
        /// from the database, each task completes once, and the killed server, started again, replays what it answered.
        @Test func oneServerKilledTheOtherCompletesEveryConversation() async throws {
            try await PostgresTestDatabase.withFreshDatabase { url in
                let state = try Build.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: state) }
                let arguments = ["--store", url, "--rate", "100", "--burst", "100"]
                let port = try LocalServer.freeLoopbackPort()
                let doomed = try await ServeServer.start(state: state, port: port, arguments: arguments)
                let replies: [Int: String]
                do {
                    replies = try await withThrowingTaskGroup(of: (Int, String).self, returning: [Int: String].self) { group in
                        for index in 0..<Self.crashed {
                            group.addTask {
                                let reply = try await doomed.say(
                                    "create a lead for Crash\(index) at Pgcrash", as: "crash-\(index)", key: "c\(index)-1")
                                return (index, reply.text)
                            }
                        }
                        return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                    }
                } catch {
                    await doomed.process.stop()
                    throw error
                }
                kill(doomed.process.pid, SIGKILL)
                await doomed.process.stop()

                try await ServeServer.with(state: state, arguments: arguments) { survivor in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<Self.crashed {
                            group.addTask {
                                let user = "crash-\(index)"
                                let link = try ServeServer.link(in: try await survivor.say("Cy\(index)", as: user, key: "c\(index)-2"))
                                let page = try await SandboxBrowser.withBrowser(overHTTP: survivor.sandboxURL) { browser in
                                    try await survivor.authorize(link, browser: browser)
                                }
                                #expect(page.status == 200)
                                _ = try await survivor.waitForEvent(containing: "Lead Crash\(index) at Pgcrash created with id", user: user)
                            }
                        }
                        try await group.waitForAll()
                    }
                    try await Load.expectLeads(count: Self.crashed, company: "Pgcrash", sandbox: survivor.sandboxURL, state: state)

                    // Started again, the killed server replays its answers and sees where each conversation is now.
                    try await ServeServer.with(state: state, port: port, arguments: arguments) { restarted in
                        let replayed = try await restarted.say("create a lead for Crash0 at Pgcrash", as: "crash-0", key: "c0-1")
                        #expect(replayed.text == replies[0])
                        #expect(replayed.headers.first(name: "Idempotent-Replayed") == "true")
                        let context = try await restarted.say("create a lead for Crash0b at Pgcrash", as: "crash-0", key: "c0-3")
                        #expect(context.messages == "What is the lead's first name?")
                    }
                }
            }
        }

        /// What became of a conversation in the load one of whose servers is killed.
        struct KilledLoadOutcome: Sendable {
            /// Whether a turn of it was claimed by the killed server and never finished.
            var interrupted: Bool
            /// When a turn of it failed on the killed server, and how, if one did.
            var failure: (at: ContinuousClock.Instant, what: String)?
        }

        /// One conversation's task on the bot's connection with its turns alternating between `doomed` and `survivor`:
        /// a turn that fails on `doomed`, which is killed meanwhile, is sent again to `survivor` with the same key, and
        /// the conversation finishes there.
        static func createLead(
            _ index: Int, doomed: ServeServer, survivor: ServeServer, answered: Crash.Answered, token: String
        ) async throws -> KilledLoadOutcome {
            let user = "bulk-\(index)"
            for step in 0..<2 {
                let server = (index + step).isMultiple(of: 2) ? doomed : survivor
                let what: String
                do {
                    let reply = try await server.say(Load.turns(index)[step], as: user, key: "\(user)-\(step)")
                    if reply.status == 200 {
                        answered.record(index, step: step)
                        continue
                    }
                    what = "\(user), turn \(step): \(reply.status) \(reply.text)"
                } catch {
                    what = "\(user), turn \(step): \(error)"
                }
                #expect(server.baseURL == doomed.baseURL, "the survivor failed: \(what)")
                let failure = (ContinuousClock.now, what)
                let interrupted = try await Crash.finish(index, answeredSteps: step, server: survivor, token: token)
                return KilledLoadOutcome(interrupted: interrupted, failure: failure)
            }
            return KilledLoadOutcome(interrupted: false, failure: nil)
        }

        /// A copy of the lead bot in `root`, its bot.yaml changed by `change`; the folder keeps its name, which is the bot's
        /// identity in the stores.
        static func leadBot(in root: URL, _ change: (String) -> String) throws -> URL {
            let bot = root.appendingPathComponent("LeadBot")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: DurabilityTests.leadBot), to: bot)
            let settings = bot.appendingPathComponent("bot.yaml")
            try change(try String(contentsOf: settings, encoding: .utf8)).write(to: settings, atomically: true, encoding: .utf8)
            return bot
        }

        /// Makes `folder` reach the sandbox data of `source`: servers of one bot reach one Salesforce, whatever their state
        /// folders.
        static func shareSandbox(of source: URL, with folder: URL) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in ["sandbox.sqlite", "sandbox.key"] {
                try FileManager.default.createSymbolicLink(
                    at: folder.appendingPathComponent(file), withDestinationURL: source.appendingPathComponent(file))
            }
        }

        /// One conversation's task over both servers; returns the created lead's id.
        static func createLead(_ index: Int, servers: (ServeServer, ServeServer)) async throws -> String {
            let (near, far) = servers
            let user = "pg-\(index)"
            let first = try await both(servers) { try await $0.say("create a lead for Pg\(index) at Pgco", as: user, key: "\(user)-1") }
            #expect(first.messages == "What is the lead's first name?")
            let second = try await both(servers) { try await $0.say("Ada\(index)", as: user, key: "\(user)-2") }
            let link = try ServeServer.link(in: second)
            let owner = link.hasPrefix(near.baseURL) ? near : far
            let page = try await SandboxBrowser.withBrowser(overHTTP: owner.sandboxURL) { browser in
                try await owner.authorize(link, browser: browser)
            }
            #expect(page.status == 200)
            let events = try await far.waitForEvent(containing: "created with id", user: user)
            let text = events.map { $0.jsonText() }.joined()
            let id = try #require(text.firstMatch(of: /Lead Pg\d+ at Pgco created with id ([A-Za-z0-9]{15,18})\./)?.output.1)
            return String(id)
        }

        /// Sends one request to both servers at once, as a client retrying through a load balancer; both answer the same.
        static func both(
            _ servers: (ServeServer, ServeServer), _ send: @escaping @Sendable (ServeServer) async throws -> ServeServer.Reply
        ) async throws -> ServeServer.Reply {
            async let one = send(servers.0)
            async let two = send(servers.1)
            let (a, b) = try await (one, two)
            #expect(a.status == 200)
            #expect(a.text == b.text)
            return a
        }
    }
}

extension Array {
    /// The elements mapped one after another by an async function.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// `parley serve --store` given a wrong URL or a database that is not there.
@Suite struct ServeStoreArgumentTests {
    /// Each says what is wrong and exits non-zero before serving, and none repeats the password.
    @Test(arguments: [
        ("mysql://parley:hunter2@127.0.0.1/parley", "Error: --store must be a postgres:// URL"),
        ("postgres://parley:hunter2@127.0.0.1:99999/parley", "the port must be a number from 1 to 65535, not '99999'"),
        (
            "postgres://parley:hunter2@127.0.0.1:1/parley",
            "Error: cannot connect (PostgreSQL database postgres://parley:•••@127.0.0.1:1/parley): the connection was refused"
        ),
    ])
    func badStoreSaysWhatIsWrong(_ url: String, _ message: String) async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try await runParley(
            ["serve", "--bot", DurabilityTests.leadBot, "--state", state.path, "--port", "0", "--store", url],
            environment: ["PARLEY_SERVE_CALLERS": ServeServer.callers])
        #expect(result.status != 0)
        #expect(result.output.contains(message), "\(result.output)")
        #expect(!result.output.contains("hunter2"))
        #expect(!result.output.contains("Serving"))
    }
}
