import Foundation
import GRDB
import Hummingbird
import LocalServing
public import Logging
import NIOCore
import SalesforceWire
import Synchronization

/// A local Salesforce, faithful on the wire: the OAuth 2.0 server with login and consent pages,
/// and the REST API over SQLite-backed demo data.
///
/// Run it in-process with ``withSandbox(configuration:logger:_:)`` or on its own with ``run(onStart:)``.
public final class Sandbox: Sendable {
    public let configuration: SandboxConfiguration
    let records: RecordStore
    let oauth: OAuthStore
    let sessions: AuthorizationSessions
    let address: SandboxAddress
    let faultSwitch: FaultSwitch
    let usage: APIUsage
    let logger: Logger
    /// The routes' responder for in-process requests, built on first use.
    let responderCache = Mutex<RouterResponder<BasicRequestContext>?>(nil)

    /// A logger that discards everything, the default so tests stay quiet.
    public static let quietLogger = Logger(label: "parley.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens (or creates) the data file, seeds demo data into an empty org, and registers the system app.
    ///
    /// Client secrets are sealed with a key file beside the data file (`sandbox.key` for `sandbox.sqlite`,
    /// created 0600 on first use).
    ///
    /// The server does not listen until ``run(onStart:)`` or ``withSandbox(configuration:logger:_:)``.
    public init(configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger = Sandbox.quietLogger)
        throws
    {
        self.configuration = configuration
        self.logger = logger
        let database: any DatabaseWriter
        if let path = configuration.dataPath {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var settings = Configuration()
            settings.busyMode = .timeout(5)
            do {
                database = try DatabasePool(path: path, configuration: settings)
                records = try RecordStore(database: database, clock: configuration.clock)
            } catch let error as DatabaseError {
                // Most likely a file that is not a sandbox's SQLite database: name it, and say what SQLite said.
                throw SandboxStorageError(
                    path: path, reason: "the sandbox's data file cannot be opened (\(error.message ?? "\(error.resultCode)"))")
            }
            oauth = try OAuthStore(
                database: database, clock: configuration.clock, sessionTimeout: configuration.sessionTimeout,
                systemAppCallbacks: configuration.systemAppCallbacks, seal: try SecretSeal.forDataFile(path))
        } else {
            // An in-memory org starts as a copy of a prepared one: the same tables, users, system app and demo data.
            let template = try SandboxTemplate.template(for: configuration, at: configuration.clock())
            database = try template.copy()
            records = RecordStore(database: database, clock: configuration.clock, restoring: template.records)
            oauth = OAuthStore(
                database: database, clock: configuration.clock, sessionTimeout: configuration.sessionTimeout,
                systemAppCallbacks: configuration.systemAppCallbacks, seal: template.seal, prepared: ())
        }
        sessions = AuthorizationSessions(clock: configuration.clock, sessionTimeout: configuration.sessionTimeout.seconds)
        address = SandboxAddress(configuration.baseURL ?? "http://\(configuration.host):\(configuration.port)")
        faultSwitch = FaultSwitch(configuration.faults)
        usage = APIUsage(limit: configuration.dailyAPILimit, clock: configuration.clock)
        if configuration.reset {
            try records.reset()
            try oauth.reset()
        }
        if configuration.seedDemoData {
            try records.seedIfEmpty()
        }
    }

    /// The URL clients use for login and as `instance_url`, final once the server listens.
    public var baseURL: String { address.baseURL }

    /// The failures injected into REST calls; change it at any time.
    public var faults: FaultInjection {
        get { faultSwitch.faults }
        set { faultSwitch.faults = newValue }
    }

    /// REST calls counted against today's limit.
    public var apiCallsToday: Int { usage.used }

    // MARK: Connected apps

    /// Every registered app, the system app first; secrets included, so show them only on request.
    public func apps() throws -> [ConnectedApp] {
        try oauth.apps()
    }

    /// The pre-registered `parley-system` app.
    public func systemApp() throws -> ConnectedApp {
        guard let app = try oauth.app(clientID: ConnectedApp.systemClientID) else {
            throw SandboxError.unknownApp(ConnectedApp.systemClientID)
        }
        return app
    }

    /// Registers a connected app with a new consumer key and secret.
    public func registerApp(
        name: String, callbackURLs: [String], scopes: [String] = ConnectedApp.defaultScopes
    ) throws -> ConnectedApp {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw SandboxError.invalidAppName }
        guard !callbackURLs.isEmpty else { throw SandboxError.noCallbackURL }
        for url in callbackURLs { try Self.validateCallback(url) }
        let unknown = scopes.filter { OAuthScope.descriptions[$0] == nil }
        guard unknown.isEmpty else { throw SandboxError.unknownScopes(unknown) }
        return try oauth.registerApp(name: name, callbackURLs: callbackURLs, scopes: scopes)
    }

    /// Adds an exact callback URL to an app (tests use it for callback servers on ephemeral ports).
    public func registerCallback(_ url: String, clientID: String = ConnectedApp.systemClientID) throws {
        try Self.validateCallback(url)
        guard try oauth.registerCallback(url, clientID: clientID) else { throw SandboxError.unknownApp(clientID) }
    }

    /// Expires every current access token at once, as a session timeout would; refresh tokens keep working.
    public func expireAllAccessTokens() throws {
        try oauth.expireAllAccessTokens()
    }

    private static func validateCallback(_ url: String) throws {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, !scheme.isEmpty,
            parsed.fragment == nil, !url.contains(where: \.isWhitespace)
        else { throw SandboxError.invalidCallbackURL(url) }
        if scheme == "http" || scheme == "https" {
            guard let host = parsed.host, !host.isEmpty else { throw SandboxError.invalidCallbackURL(url) }
        }
    }

    // MARK: Serving

    /// The sandbox's routes: OAuth, identity and the REST API, behind Salesforce-shaped error
    /// rendering, the body limit, fault injection and the daily API limit.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorRenderingMiddleware(logger: logger))
        router.add(middleware: BodyLimitMiddleware(maxBodySize: configuration.maxBodySize))
        router.add(middleware: RESTGateMiddleware(faults: faultSwitch, usage: usage, random: configuration.random))
        let server = oauthServer
        server.addRoutes(to: router)
        addDataRoutes(to: router, store: records, authenticate: { request in try await server.authenticate(request) })
        return router
    }

    /// The OAuth server over this org's stores.
    var oauthServer: OAuthServer {
        OAuthServer(
            store: oauth, sessions: sessions, users: records, address: address,
            clientCredentialsUsername: configuration.clientCredentialsUsername, logger: logger)
    }

    private func makeApplication(
        port: Int, onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: port), serverName: nil),
            onServerRunning: { [address, configuration] channel in
                let port = channel.localAddress?.port ?? port
                if configuration.baseURL == nil {
                    address.set("http://\(configuration.host):\(port)")
                }
                await onRunning(port)
            },
            logger: logger)
    }

    /// Serves until the process gets SIGINT or SIGTERM; `onStart` gets the base URL once listening.
    public func run(onStart: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let application = makeApplication(port: configuration.port) { [address] _ in await onStart(address.baseURL) }
        try await application.runService()
    }

    /// Serves while `body` runs and stops the server afterwards, whether `body` returns or throws.
    ///
    /// - Throws: `LocalServerError` when the sandbox cannot listen.
    public func serve<T>(_ body: (Sandbox) async throws -> T) async throws -> T {
        let port: LocalServer.Port =
            configuration.anyPortIfTaken ? .preferably(configuration.port) : .exactly(configuration.port)
        return try await LocalServer.serving(
            what: "the Salesforce sandbox", host: configuration.host, port: port,
            makeApplication: { port, onRunning in makeApplication(port: port, onRunning: onRunning) },
            whileServing: { _ in try await body(self) })
    }
}

/// Runs a sandbox in-process while `body` runs, then stops it, on success and on error.
///
/// `body` gets the running sandbox; its ``Sandbox/baseURL`` is the login and instance URL.
public func withSandbox<T>(
    configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger = Sandbox.quietLogger,
    _ body: (Sandbox) async throws -> T
) async throws -> T {
    let sandbox = try Sandbox(configuration: configuration, logger: logger)
    return try await sandbox.serve(body)
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
