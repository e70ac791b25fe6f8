import AsyncHTTPClient
import DialogRuntime
import Foundation
import Integrations
import Logging
import NIOCore
import NIOHTTP1
import SalesforceAPI
import SalesforceSandbox
import Synchronization

/// A scratch state folder, removed afterwards.
func withStateDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "parley-integrations-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A fixed vault key so tests need no key file unless they test it.
let testVaultKey = VaultKey.generateEncoded()
let testEnvironment = [VaultKey.environmentVariable: testVaultKey]

/// A response as a browser sees it.
struct Page: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var text: String

    var location: String? { headers.first(name: "Location") }

    /// The value of a hidden form field, as the sandbox's pages write them.
    func formValue(_ name: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A browser over real HTTP: no automatic redirects, one cookie jar.
final class TestBrowser: Sendable {
    let client: HTTPClient
    private let cookies = Mutex<[String: String]>([:])

    init() {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func send(_ method: HTTPMethod, _ url: String, form: [(String, String)]? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let jar = cookies.withLock { $0 }
        if !jar.isEmpty { request.headers.add(name: "Cookie", value: jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let body = form.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        for header in response.headers["Set-Cookie"] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies.withLock { $0[String(pair[0])] = String(pair[1]) } }
        }
        return Page(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }

    /// Opens an authorization URL, signs in as the demo user, allows access and follows the redirect to the
    /// callback; returns the callback URL and its page.
    func authorize(_ url: URL, sandboxURL: String) async throws -> (callback: String, page: Page) {
        var login = try await send(.GET, url.absoluteString)
        // A short link redirects to the identity provider first.
        if let location = login.location, !location.contains("/oauth/callback") {
            login = try await send(.GET, location)
        }
        var page = login
        if let request = login.formValue("request"), login.text.contains("name=\"pw\"") {
            page = try await send(
                .POST, sandboxURL + "/services/oauth2/authorize/login",
                form: [
                    ("request", request), ("csrf", login.formValue("csrf") ?? ""), ("username", "demo@parley.dev"),
                    ("pw", "parley-demo"), ("Login", "Login"),
                ])
        }
        var hops = 0
        while let location = page.location, hops < 5, !location.contains("/oauth/callback") {
            page = try await send(.GET, location.hasPrefix("http") ? location : sandboxURL + location)
            hops += 1
        }
        if page.location == nil, let request = page.formValue("request"), page.text.contains("oaapprove") {
            page = try await send(
                .POST, sandboxURL + "/services/oauth2/authorize/consent",
                form: [("request", request), ("csrf", page.formValue("csrf") ?? ""), ("oaapprove", "Allow")])
        }
        guard let callback = page.location, callback.contains("/oauth/callback") else {
            throw TestFailure("the sandbox did not redirect to the callback: \(page.status) \(page.text.prefix(300))")
        }
        return (callback, try await send(.GET, callback))
    }

    func shutdown() async throws { try await client.shutdown() }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func formEncode(_ text: String) -> String {
    let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
}

/// Log lines kept in memory, so a test can search them.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        var logger = Logger(label: "parley.test") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
        }
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date())
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Everything a Salesforce test needs: a running sandbox, a callback server on a free port registered with the
/// sandbox's system app, a store, an authorizer, a browser.
struct SalesforceFixture: Sendable {
    let sandbox: Sandbox
    let store: IntegrationStore
    let authorizer: SalesforceAuthorizer
    let callback: OAuthCallbackServer.Running
    let browser: TestBrowser
    let httpClient: HTTPClient
    let recorder: CompletionRecorder
    let logs: LogCapture
    let clock: TestClock
    let state: String

    static func run(
        authorization: AuthorizationMode = .preauthorized, faults: FaultInjection = FaultInjection(),
        confirmWithCode: Bool = false, _ body: (SalesforceFixture) async throws -> Void
    ) async throws {
        try await withStateDirectory { state in
            let logs = LogCapture()
            let clock = TestClock()
            let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            try store.enable(ActionConfiguration(action: "salesforce", authorization: authorization, app: .system))
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            let browser = TestBrowser()
            let recorder = CompletionRecorder()
            do {
                try await withSandbox(configuration: SandboxConfiguration(faults: faults)) { sandbox in
                    let secret = try sandbox.systemApp().clientSecret
                    // The callback server needs its port before the authorizer knows its redirect URI.
                    let handlers = OAuthCallbackServer.Handlers(
                        answer: { query in
                            guard let authorizer = recorder.authorizer else {
                                return CallbackResult(outcome: .rejected("no authorizer yet"), status: 503, page: "")
                            }
                            // Recorded as answered: the server reports it only after the page is written, which
                            // may be after the browser has read it.
                            let result = await authorizer.answer(query)
                            recorder.record(result.outcome)
                            return result
                        },
                        destination: { link in try? recorder.authorizer?.destination(ofLink: link) },
                        onOutcome: { outcome in recorder.reported.withLock { $0.append(outcome) } })
                    try await OAuthCallbackServer.withCallbackServer(port: 0, handlers: handlers, logger: logs.logger) { running in
                        try sandbox.registerCallback(running.callbackURL)
                        let environment = SalesforceEnvironment(
                            localSandbox: LocalSandbox(baseURL: sandbox.baseURL, systemClientSecret: secret),
                            variables: [:], callbackURL: running.callbackURL)
                        let authorizer = SalesforceAuthorizer(
                            store: store, environment: environment, httpClient: httpClient,
                            linkBase: "http://\(running.host):\(running.port)", confirmWithCode: confirmWithCode,
                            clock: { clock.now }, logger: logs.logger)
                        recorder.authorizer = authorizer
                        try await body(
                            SalesforceFixture(
                                sandbox: sandbox, store: store, authorizer: authorizer, callback: running,
                                browser: browser, httpClient: httpClient, recorder: recorder, logs: logs,
                                clock: clock, state: state))
                    }
                }
            } catch {
                try? await browser.shutdown()
                try? await httpClient.shutdown()
                throw error
            }
            try await browser.shutdown()
            try await httpClient.shutdown()
        }
    }

    var completed: [CompletedAuthorization] { recorder.list.withLock { $0 } }
    var outcomes: [CallbackOutcome] { recorder.outcomes.withLock { $0 } }

    /// Authorizes as the demo user through the browser and returns the callback's page.
    func authorize(user: String = "", conversation: String = "test") async throws -> Page {
        let link = try authorizer.begin(user: user, conversation: conversation)
        return try await browser.authorize(link.url, sandboxURL: sandbox.baseURL).page
    }

    /// The integration with retries that do not wait, counting the waits.
    func integration(retries: RetryCounter = RetryCounter()) -> SalesforceIntegration {
        SalesforceIntegration(
            authorizer: authorizer,
            retry: RetryPolicy(maxAttempts: 3, sleep: { _ in retries.count() }))
    }

    /// Revokes a token at the sandbox, as someone removing the app's access in Salesforce would.
    func revokeAtSalesforce(_ token: String) async throws {
        try await OAuthClient(loginURL: sandbox.baseURL, httpClient: httpClient).revoke(token: token)
    }

    /// A GET of one lead through the integration's URL placeholders.
    func leadQuery() -> ServiceRequest {
        ServiceRequest(
            method: "GET", url: sandbox.baseURL + "/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Lead+LIMIT+1")
    }
}

/// Counts the waits before retries.
final class RetryCounter: Sendable {
    private let value = Mutex(0)
    var waits: Int { value.withLock { $0 } }
    func count() { value.withLock { $0 += 1 } }
}

/// Holds what the callback server's handlers need before it exists, and what they report.
final class CompletionRecorder: Sendable {
    private let current = Mutex<SalesforceAuthorizer?>(nil)
    let list = Mutex<[CompletedAuthorization]>([])

    var authorizer: SalesforceAuthorizer? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    let outcomes = Mutex<[CallbackOutcome]>([])
    /// What the callback server reported through `onOutcome`, after writing each page.
    let reported = Mutex<[CallbackOutcome]>([])

    func record(_ outcome: CallbackOutcome) {
        outcomes.withLock { $0.append(outcome) }
        if case .connected(let completion) = outcome { list.withLock { $0.append(completion) } }
    }
}
