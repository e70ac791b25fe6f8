public import Foundation

/// How a sandbox runs: where it listens, where it keeps its data, and how strict and how flaky it is.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; the sandbox is a local service, so loopback by default.
    public var host: String
    /// The port to listen on; 0 picks a free one (the running sandbox reports which).
    public var port: Int
    /// Listens on any free port when `port` is taken (the running sandbox reports which).
    public var anyPortIfTaken: Bool
    /// The SQLite file holding records, apps and tokens; `nil` keeps everything in memory.
    public var dataPath: String?
    /// Erases the data file's contents at start (then demo data is seeded again).
    public var reset: Bool
    /// The sandbox's own URL as clients see it (login URL and `instance_url`);
    /// `nil` means `http://<host>:<port>` once the port is known.
    public var baseURL: String?
    /// Inactivity after which an access token stops working, as the org's session timeout does.
    public var sessionTimeout: Duration
    /// REST calls allowed per day before `403 REQUEST_LIMIT_EXCEEDED`.
    public var dailyAPILimit: Int
    /// The largest request body accepted, in bytes.
    public var maxBodySize: Int
    /// Callback URLs registered for the pre-registered `parley-system` app (matched exactly).
    public var systemAppCallbacks: [String]
    /// The user the client-credentials grant runs as (the connected app's "Run As" user).
    public var clientCredentialsUsername: String
    /// Failures to inject, for reliability tests; none by default.
    public var faults: FaultInjection
    /// Seeds demo data into an empty database at start.
    public var seedDemoData: Bool
    /// The time source for every expiry decision, injectable so tests can move time.
    public var clock: @Sendable () -> Date
    /// A source of numbers in `0..<1` deciding which requests get an injected failure.
    public var random: @Sendable () -> Double

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        anyPortIfTaken: Bool = false,
        dataPath: String? = nil,
        reset: Bool = false,
        baseURL: String? = nil,
        sessionTimeout: Duration = .seconds(2 * 60 * 60),
        dailyAPILimit: Int = 15_000,
        maxBodySize: Int = 1_048_576,
        systemAppCallbacks: [String] = SandboxConfiguration.defaultSystemAppCallbacks,
        clientCredentialsUsername: String = "demo@parley.dev",
        faults: FaultInjection = FaultInjection(),
        seedDemoData: Bool = true,
        clock: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.host = host
        self.port = port
        self.anyPortIfTaken = anyPortIfTaken
        self.dataPath = dataPath
        self.reset = reset
        self.baseURL = baseURL
        self.sessionTimeout = sessionTimeout
        self.dailyAPILimit = dailyAPILimit
        self.maxBodySize = maxBodySize
        self.systemAppCallbacks = systemAppCallbacks
        self.clientCredentialsUsername = clientCredentialsUsername
        self.faults = faults
        self.seedDemoData = seedDemoData
        self.clock = clock
        self.random = random
    }

    /// Where Parley's runtime listens for OAuth callbacks by default.
    public static let defaultSystemAppCallbacks = [
        "http://127.0.0.1:8974/oauth/callback",
        "http://localhost:8974/oauth/callback",
    ]
}

/// Failures the sandbox can inject into REST calls so clients' retry and refresh logic can be tested.
public struct FaultInjection: Sendable, Hashable {
    /// Added before every response.
    public var latency: Duration
    /// The share of REST calls, in `0...1`, answered with `503 SERVER_UNAVAILABLE`.
    public var unavailableRate: Double

    public init(latency: Duration = .zero, unavailableRate: Double = 0) {
        self.latency = latency
        self.unavailableRate = unavailableRate
    }
}
