import AsyncHTTPClient
import DialogRuntime
import Foundation
import Integrations
import Logging
import NIOCore
import NIOHTTP1
import SalesforceAPI
import SalesforceSandbox
import SalesforceSandboxTesting
import Synchronization
import Testing

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

extension SandboxBrowser {
    /// Opens an authorization URL (a short link or the sandbox's own), signs in as the demo user, allows access
    /// and opens the callback; returns the callback URL and the callback server's page.
    func authorize(_ url: URL, sandboxURL: String) async throws -> (callback: String, page: BrowserPage) {
        let redirect = try await signIn(at: url.absoluteString)
        let callback = try #require(redirect.location)
        return (callback, try await send(.GET, callback))
    }
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

/// Everything a Salesforce test needs: a running sandbox, a callback server on a free port registered with the
/// sandbox's system app, a store, an authorizer, a browser.
struct SalesforceFixture: Sendable {
    let sandbox: Sandbox
    let store: IntegrationStore
    let authorizer: SalesforceAuthorizer
    let callback: OAuthCallbackServer.Running
    let browser: SandboxBrowser
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
            let clock = TestClock(Date())
            let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            try store.enable(ActionConfiguration(action: "salesforce", authorization: authorization, app: .system))
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
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
                        destination: { link in try? await recorder.authorizer?.destination(ofLink: link) },
                        onOutcome: { outcome in recorder.reported.withLock { $0.append(outcome) } })
                    try await OAuthCallbackServer.withCallbackServer(port: 0, handlers: handlers, logger: logs.logger) { running in
                        try await SandboxBrowser.withBrowser(overHTTP: sandbox.baseURL) { browser in
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
                }
            } catch {
                try? await httpClient.shutdown()
                throw error
            }
            try await httpClient.shutdown()
        }
    }

    var completed: [CompletedAuthorization] { recorder.list.withLock { $0 } }
    var outcomes: [CallbackOutcome] { recorder.outcomes.withLock { $0 } }

    /// Authorizes as the demo user through the browser and returns the callback's page.
    func authorize(user: String = "", conversation: String = "test") async throws -> BrowserPage {
        let link = try await authorizer.begin(user: user, conversation: conversation)
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
