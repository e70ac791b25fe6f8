public import Foundation

/// The local sandbox Parley runs in-process: where it listens and its system app's secret.
public struct LocalSandbox: Sendable, Hashable, CustomStringConvertible {
    /// The sandbox's base URL (login URL and instance URL), e.g. `http://127.0.0.1:54321`.
    public var baseURL: String
    /// The `parley-system` app's client secret from the sandbox's data.
    public var systemClientSecret: String

    public init(baseURL: String, systemClientSecret: String) {
        self.baseURL = baseURL
        self.systemClientSecret = systemClientSecret
    }

    public var description: String { "LocalSandbox(\(baseURL))" }
}

/// What the Salesforce action needs from where it runs: the local sandbox (when running), environment
/// variables for the system app against a real org, and the OAuth callback URL.
public struct SalesforceEnvironment: Sendable {
    /// The environment variable naming the system app's client id for a real org.
    public static let clientIDVariable = "PARLEY_SALESFORCE_CLIENT_ID"
    /// The environment variable holding the system app's client secret for a real org.
    public static let clientSecretVariable = "PARLEY_SALESFORCE_CLIENT_SECRET"

    public var localSandbox: LocalSandbox?
    public var variables: [String: String]
    /// Where the browser returns after authorizing with the system app; the loopback callback server's URL.
    public var callbackURL: String

    public init(
        localSandbox: LocalSandbox? = nil, variables: [String: String] = ProcessInfo.processInfo.environment,
        callbackURL: String = AuthProfile.defaultCallbackURL
    ) {
        self.localSandbox = localSandbox
        self.variables = variables
        self.callbackURL = callbackURL
    }
}
