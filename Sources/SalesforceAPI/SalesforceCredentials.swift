public import SalesforceWire

/// What a `SalesforceClient` needs to call an org: a bearer token, where the org lives, and how to renew it.
public struct SalesforceCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessToken: String
    /// Absent for grants that issue none (client credentials, username-password): then a 401 means authorize again.
    public var refreshToken: String?
    /// `https://MyDomain.my.salesforce.com`, or the sandbox's base URL.
    public var instanceURL: String
    /// The identity URL, `https://login.salesforce.com/id/<orgId>/<userId>`.
    public var identityURL: String?
    /// Epoch milliseconds of the access token, as Salesforce sends it.
    public var issuedAt: String?

    public init(
        accessToken: String, refreshToken: String? = nil, instanceURL: String, identityURL: String? = nil,
        issuedAt: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.instanceURL = instanceURL
        self.identityURL = identityURL
        self.issuedAt = issuedAt
    }

    /// The credentials a token response grants.
    public init(_ token: TokenResponse) {
        self.init(
            accessToken: token.accessToken, refreshToken: token.refreshToken, instanceURL: token.instanceURL,
            identityURL: token.id, issuedAt: token.issuedAt)
    }

    /// These credentials after a refresh: the new access token, and the old refresh token unless it was rotated.
    public func refreshed(by token: TokenResponse) -> SalesforceCredentials {
        SalesforceCredentials(
            accessToken: token.accessToken, refreshToken: token.refreshToken ?? refreshToken,
            instanceURL: token.instanceURL, identityURL: token.id, issuedAt: token.issuedAt)
    }

    /// Never shows the tokens.
    public var description: String {
        "SalesforceCredentials(instanceURL: \(instanceURL), accessToken: [redacted], refreshToken: \(refreshToken == nil ? "none" : "[redacted]"))"
    }
}

/// Where a `SalesforceClient` gets its credentials, and where it puts them after refreshing.
///
/// A token vault implements it per bot, action and end user; `InMemoryCredentialStore` is the simple form.
public protocol CredentialStore: Sendable {
    /// The credentials to use now; `nil` when nobody has authorized yet.
    func credentials() async throws -> SalesforceCredentials?
    /// Called after a successful refresh with the new credentials, to persist them.
    func credentialsRefreshed(_ credentials: SalesforceCredentials) async throws
    /// Called when these credentials are dead for good (expired and refused a refresh, or refused again after
    /// one), so the store can forget them: only if they are still the ones it holds, since a refresh or an
    /// authorization elsewhere may have replaced them with good ones meanwhile.
    func credentialsRejected(_ credentials: SalesforceCredentials) async throws
}

extension CredentialStore {
    /// Keeps rejected credentials; a store that can forget them says so by implementing it.
    public func credentialsRejected(_ credentials: SalesforceCredentials) async throws {}
}

/// Credentials held in memory, for one process and for tests.
public actor InMemoryCredentialStore: CredentialStore {
    private var current: SalesforceCredentials?
    /// How many times the client reported a refresh.
    public private(set) var refreshCount = 0

    public init(_ credentials: SalesforceCredentials? = nil) {
        current = credentials
    }

    public func credentials() -> SalesforceCredentials? { current }

    public func credentialsRefreshed(_ credentials: SalesforceCredentials) {
        current = credentials
        refreshCount += 1
    }

    /// Forgets rejected credentials unless others replaced them.
    public func credentialsRejected(_ credentials: SalesforceCredentials) {
        if current?.accessToken == credentials.accessToken { current = nil }
    }

    /// Replaces the credentials (after an authorization, or `nil` to sign out).
    public func set(_ credentials: SalesforceCredentials?) {
        current = credentials
    }
}
