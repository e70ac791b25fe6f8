public import AsyncHTTPClient
public import Foundation
public import Logging
public import SalesforceAPI
import SalesforceWire

/// Starts and completes OAuth authorizations of the Salesforce action for one bot, and signs users out.
///
/// Starting stores a pending authorization (PKCE verifier sealed, single-use `state`, 15 minutes);
/// completing checks the state, exchanges the code, and stores the token in the vault.
public struct SalesforceAuthorizer: Sendable {
    /// The action's name in the catalog, tasks and the store.
    public static let action = ActionCatalog.salesforce.name

    public let store: IntegrationStore
    public let environment: SalesforceEnvironment
    /// How requests reach Salesforce: AsyncHTTPClient in the CLI, the sandbox's in-process handler in transcripts.
    public let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - transport: how requests reach Salesforce and the identity provider.
    ///   - clock: the time pending links are issued and checked against.
    public init(
        store: IntegrationStore, environment: SalesforceEnvironment, transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "parley.integrations")
    ) {
        self.store = store
        self.environment = environment
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// - Parameters:
    ///   - httpClient: owned by the caller, who shuts it down after the last request.
    ///   - clock: the time pending links are issued and checked against.
    public init(
        store: IntegrationStore, environment: SalesforceEnvironment, httpClient: HTTPClient,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "parley.integrations")
    ) {
        self.init(
            store: store, environment: environment, transport: AsyncHTTPClientTransport(httpClient), clock: clock, logger: logger)
    }

    /// The action's configuration.
    ///
    /// - Throws: `IntegrationInputError` when the action is not enabled.
    public func configuration() throws -> ActionConfiguration {
        guard let configuration = try store.configuration(of: Self.action) else {
            throw IntegrationInputError(
                "the Salesforce action is not enabled; run `parley actions enable salesforce --authorization preauthorized --app system`")
        }
        return configuration
    }

    /// The app the action authorizes through now.
    public func app() throws -> SalesforceApp {
        try SalesforceApp.resolve(try configuration(), store: store, environment: environment)
    }

    func oauthClient(for app: SalesforceApp) -> OAuthClient {
        OAuthClient(endpoints: app.endpoints, transport: transport, logger: logger)
    }

    /// Starts an authorization and returns the link to open.
    ///
    /// - Parameters:
    ///   - user: the end user, or empty for the bot's own (pre-authorized) token.
    ///   - conversation: the conversation that waits for it.
    public func begin(user: String, conversation: String) throws -> AuthorizationLink {
        let app = try app()
        let request = oauthClient(for: app).authorizationURL(
            clientID: app.clientID, redirectURI: app.redirectURI, scopes: app.scopes)
        let now = clock()
        let pending = PendingAuthorization(
            state: request.state, bot: store.bot, action: Self.action, user: user, conversation: conversation,
            verifier: request.pkce.verifier, redirectURI: app.redirectURI, createdAt: now,
            expiresAt: now.addingTimeInterval(PendingAuthorization.lifetime))
        try store.savePending(pending)
        return AuthorizationLink(url: request.url, state: request.state, expiresAt: pending.expiresAt)
    }

    /// Completes an authorization from the callback's `code` and `state`: checks the state, exchanges the code
    /// with the PKCE verifier, asks who authorized, and stores the token.
    ///
    /// - Throws: `AuthorizationStateError` (unknown, used, expired state), `SalesforceError` (the exchange
    ///   failed), `IntegrationInputError` (the action is no longer configured), `VaultError`.
    public func complete(state: String, code: String) async throws -> CompletedAuthorization {
        let pending = try store.consumePending(state: state, now: clock())
        let app = try app()
        let oauth = oauthClient(for: app)
        let token = try await oauth.exchange(
            code: code, verifier: pending.verifier, redirectURI: pending.redirectURI, clientID: app.clientID,
            clientSecret: app.clientSecret)
        let credentials = SalesforceCredentials(token)
        // Who authorized is for display; a token that works but whose userinfo fails is still a connection.
        let username: String?
        do {
            username = try await oauth.userInfo(accessToken: token.accessToken).preferredUsername
        } catch {
            logger.notice("could not read who authorized Salesforce", metadata: ["error": "\(error)"])
            username = nil
        }
        try store.saveAuthorization(
            StoredAuthorization(user: pending.user, credentials: credentials, username: username, authorizedAt: clock()),
            action: Self.action)
        logger.info(
            "Salesforce authorized",
            metadata: ["user": "\(pending.user.isEmpty ? "(bot)" : pending.user)", "username": "\(username ?? "unknown")"])
        return CompletedAuthorization(
            user: pending.user, conversation: pending.conversation, action: Self.action, username: username,
            instanceURL: app.instanceOverride ?? credentials.instanceURL)
    }

    /// Signs a user (empty: the bot) out: revokes the refresh token (or access token) at Salesforce and
    /// removes it from the vault. The vault entry goes even when Salesforce cannot be reached.
    ///
    /// - Returns: whether there was an authorization.
    /// - Throws: `IntegrationStoreError` when the vault entry cannot be removed.
    @discardableResult
    public func signOut(user: String) async throws -> Bool {
        guard let stored = try store.authorization(action: Self.action, user: user) else { return false }
        do {
            let app = try app()
            try await oauthClient(for: app).revoke(token: stored.credentials.refreshToken ?? stored.credentials.accessToken)
        } catch {
            logger.notice("could not revoke the Salesforce token", metadata: ["error": "\(error)"])
        }
        try store.removeAuthorization(action: Self.action, user: user)
        return true
    }
}

/// A link that starts an authorization.
public struct AuthorizationLink: Sendable, Hashable {
    public var url: URL
    /// The single-use `state` the callback must bring back.
    public var state: String
    public var expiresAt: Date
}

/// An authorization that just completed: whose it is and who they are on the other side.
public struct CompletedAuthorization: Sendable, Hashable {
    /// The end user, or empty for the bot's own token.
    public var user: String
    public var conversation: String
    /// The action's name (`salesforce`), as the runtime's integration is named.
    public var action: String
    /// The Salesforce username, when userinfo told it.
    public var username: String?
    public var instanceURL: String
}
