import AsyncHTTPClient
import Crypto
import Foundation
import LocalServing
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing

/// The tests of `parley serve`, one server at a time: each starts a process with its own sandbox, and a two-core
/// machine running the rest of the tests beside them has no room for many at once.
@Suite(.serialized) struct ServeChannelTests {}

/// `parley serve` running the lead bot in a child process, with two callers, and requests to it as a caller sends them.
struct ServeServer {
    static let webSecret = "web-secret-0123456789"
    static let crmSecret = "crm-secret-0123456789"
    static let callers = "web=\(webSecret),crm=\(crmSecret)"
    /// A loaded two-core machine can take its time to start the sandbox and the bot, and to answer a request of a load
    /// test, which waits for one of the client's few connections to the server behind up to a thousand others.
    static let patience = Duration.seconds(120)

    let process: ChildProcess.Background
    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    /// The in-process sandbox the server started.
    let sandboxURL: String
    /// The client requests go through: the shared one, or one a test shuts down when it kills the server, so that
    /// requests still waiting for a connection fail at once rather than retry connecting until their deadline.
    var client = HTTPClient.shared

    /// The configuration of a load test's client: the shared client's, but with 32 connections to each server rather
    /// than 8, so that as many turns run in a server at once as it holds conversations' locks for on PostgreSQL, rather
    /// than wait in the client.
    static func loadConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        return configuration
    }

    /// A client with the load configuration for the whole test run, never shut down, as the shared one.
    static let loadClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: loadConfiguration())

    /// This server, its requests sent through `client`.
    func through(_ client: HTTPClient) -> ServeServer {
        var server = self
        server.client = client
        return server
    }

    /// Runs `body` with a server on a free port over `state`; stops it (SIGTERM) afterwards.
    ///
    /// - Parameters:
    ///   - bot: the bot's folder; the lead bot unless told otherwise.
    ///   - environment: variables set for the server besides the callers.
    static func with<T>(
        state: URL, port: Int = 0, bot: String = DurabilityTests.leadBot, arguments: [String] = [],
        environment: [String: String] = [:], _ body: (ServeServer) async throws -> T
    ) async throws -> T {
        let server = try await start(state: state, port: port, bot: bot, arguments: arguments, environment: environment)
        do {
            let result = try await body(server)
            await server.process.stop()
            return result
        } catch {
            await server.process.stop()
            throw error
        }
    }

    /// Starts a server; `port` 0 takes any free one.
    static func start(
        state: URL, port: Int = 0, bot: String = DurabilityTests.leadBot, arguments: [String] = [],
        environment extra: [String: String] = [:]
    ) async throws -> ServeServer {
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        environment["PARLEY_SERVE_CALLERS"] = callers
        environment["NO_COLOR"] = "1"
        let process = try ChildProcess.start(
            Build.parley,
            ["serve", "--bot", bot, "--state", state.path, "--port", String(port)] + arguments,
            environment: environment)
        do {
            let output = try await process.waitFor("(web chat: ", timeout: patience)
            let base = try #require(output.firstMatch(of: /Serving Leads on (http:\/\/127\.0\.0\.1:\d+)/)?.output.1)
            let sandbox = try #require(output.firstMatch(of: /the local sandbox at (http:\/\/127\.0\.0\.1:\d+)/)?.output.1)
            return ServeServer(process: process, baseURL: String(base), sandboxURL: String(sandbox))
        } catch {
            await process.stop()
            throw error
        }
    }

    /// Sets the lead bot in `state` up as its operator would for pre-authorized use: enables the Salesforce action
    /// with the bot's own token, and authorizes it as the demo user (`parley actions authorize`, its link opened by the
    /// scripted browser).
    static func preauthorize(state: URL) async throws {
        let place = ["--bot", DurabilityTests.leadBot, "--state", state.path]
        let enabled = try await runParley(
            ["actions", "enable", "salesforce", "--authorization", "preauthorized", "--app", "system"] + place)
        try #require(enabled.status == 0, "\(enabled.output)")
        let authorize = try ChildProcess.start(
            Build.parley,
            ["actions", "authorize", "salesforce", "--no-browser", "--port", "\(try LocalServer.freeLoopbackPort())"] + place)
        do {
            let waiting = try await authorize.waitFor("Waiting for the browser", timeout: patience)
            let link = try #require(
                waiting.firstMatch(of: /(http:\/\/127\.0\.0\.1:\d+)\/a\/[A-Za-z0-9_-]+/)?.output,
                "no authorization link in:\n\(waiting)")
            // The short link leads to the sandbox's authorize page; the sandbox's pages are read against its address.
            let authorizeURL = try await SandboxBrowser.withBrowser(overHTTP: String(link.1)) { browser in
                try #require(try await browser.get(String(link.0)).location, "the short link did not redirect")
            }
            let sandbox = try #require(authorizeURL.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/)?.output)
            try await SandboxBrowser.withBrowser(overHTTP: String(sandbox)) { browser in
                let redirect = try await browser.signIn(at: authorizeURL)
                let callback = try #require(redirect.location, "the sandbox did not send the browser back")
                _ = try await browser.get(callback)
            }
            try await authorize.waitFor("Connected to Salesforce as demo@parley.dev", timeout: patience)
        } catch {
            await authorize.stop()
            throw ChildProcess.Failure(description: "\(error)\n`parley actions authorize` printed:\n\(authorize.text)")
        }
        await authorize.stop()
    }

    /// What the server answered.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue { (try? JSONValue(parsing: text)) ?? .null }
        /// The messages' text, one a line.
        var messages: String { (json["messages"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n") }
    }

    /// Sends a request as the caller whose bearer secret is given (none: unauthenticated).
    func send(
        _ method: HTTPMethod, _ path: String, secret: String? = ServeServer.webSecret, headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let secret { request.headers.add(name: "Authorization", value: "Bearer \(secret)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: TimeAmount(Self.patience))
        let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
    }

    /// Says `text` as `user`, as the web caller unless told otherwise.
    func say(_ text: String, as user: String, secret: String = ServeServer.webSecret, key: String? = nil) async throws -> Reply {
        try await send(
            .POST, "/v1/users/\(user)/messages", secret: secret, headers: key.map { [("Idempotency-Key", $0)] } ?? [],
            body: JSONValue.object(["text": .string(text)]).jsonText())
    }

    /// The authorization link in a reply.
    static func link(in reply: Reply) throws -> String {
        let message = try #require(
            reply.json["messages"]?.arrayValue?.first { $0["kind"]?.stringValue == "authorization" },
            "no authorization link in: \(reply.text)")
        return try #require(message["authorizationUrl"]?.stringValue)
    }

    /// Opens an authorization link as the demo user and allows access; returns the callback page the server showed.
    func authorize(_ link: String, browser: SandboxBrowser) async throws -> BrowserPage {
        let redirect = try await browser.signIn(at: link)
        let callback = try #require(redirect.location, "the sandbox did not send the browser back")
        #expect(callback.hasPrefix(baseURL + "/oauth/callback?"))
        return try await browser.get(callback)
    }

    /// Waits (long-poll) for events of `user` after `after` until one contains `text`; returns the events seen.
    func waitForEvent(containing text: String, user: String, after: Int = 0, secret: String = ServeServer.webSecret)
        async throws -> [JSONValue]
    {
        let deadline = ContinuousClock.now + Self.patience
        var cursor = after
        var seen: [JSONValue] = []
        while ContinuousClock.now < deadline {
            let reply = try await send(.GET, "/v1/users/\(user)/events?after=\(cursor)&wait=10", secret: secret)
            #expect(reply.status == 200)
            let events = reply.json["events"]?.arrayValue ?? []
            seen += events
            cursor = events.compactMap { $0["id"]?.numberValue.map(Int.init) }.max() ?? cursor
            if events.contains(where: { $0.jsonText().contains(text) }) { return seen }
        }
        throw ChildProcess.Failure(description: "no event for \(user) said \"\(text)\"")
    }
}
