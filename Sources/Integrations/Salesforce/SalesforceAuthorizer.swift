public import AsyncHTTPClient
public import DialogRuntime
public import Foundation
public import Logging
public import SalesforceAPI
import SalesforceWire

/// Starts and completes OAuth authorizations of the Salesforce action for one bot, and signs users out.
///
/// Starting stores a pending authorization (PKCE verifier sealed, single-use `state`, 10 minutes unless configured);
/// completing checks the state, exchanges the code, and stores the token in the vault.
public struct SalesforceAuthorizer: Sendable {
    /// The action's name in the catalog, tasks and the store.
    public static let action = ActionCatalog.salesforce.name

    /// The action's configuration and authorization profiles: the state folder's.
    public let store: IntegrationStore
    /// Tokens, pending links and code confirmations: the state folder's, or a database several servers share.
    public let authorizations: any AuthorizationStore
    public let environment: SalesforceEnvironment
    /// How requests reach Salesforce: AsyncHTTPClient in the CLI, the sandbox's in-process handler in transcripts.
    public let transport: any HTTPTransport
    /// The callback server's origin (`http://127.0.0.1:8974`): links are short ones it serves (`/a/<id>`), which
    /// redirect to the identity provider. `nil` sends the identity provider's authorize URL itself.
    public let linkBase: String?
    /// How long a link stays usable; until then a reminder repeats the same link. A code shown in confirm-with-code
    /// mode lives as long.
    public let linkLifetime: TimeInterval
    /// Whether an end user's token is kept only once they type the six-digit code the callback page shows.
    public let confirmWithCode: Bool
    let clock: @Sendable () -> Date
    let makeCode: @Sendable () -> String
    let logger: Logger

    /// - Parameters:
    ///   - authorizations: where tokens and pending links are kept; `store` when `nil`.
    ///   - transport: how requests reach Salesforce and the identity provider.
    ///   - linkBase: the callback server's origin, for short links; `nil` sends the authorize URL itself.
    ///   - linkLifetime: how long a link stays usable (`authorization: linkLifetime` in bot.yaml).
    ///   - confirmWithCode: keep an end user's token only once they type the code the callback page shows
    ///     (`authorization: confirmWithCode` in bot.yaml).
    ///   - clock: the time pending links are issued and checked against.
    ///   - makeCode: the six-digit codes of confirm-with-code mode; random unless a test fixes them.
    public init(
        store: IntegrationStore, authorizations: (any AuthorizationStore)? = nil, environment: SalesforceEnvironment,
        transport: any HTTPTransport, linkBase: String? = nil,
        linkLifetime: TimeInterval = PendingAuthorization.lifetime, confirmWithCode: Bool = false,
        clock: @escaping @Sendable () -> Date = { Date() }, makeCode: @escaping @Sendable () -> String = Self.randomCode,
        logger: Logger = Logger(label: "parley.integrations")
    ) {
        self.store = store
        self.authorizations = authorizations ?? store
        self.environment = environment
        self.transport = transport
        self.linkBase = linkBase
        self.linkLifetime = linkLifetime
        self.confirmWithCode = confirmWithCode
        self.clock = clock
        self.makeCode = makeCode
        self.logger = logger
    }

    /// - Parameters:
    ///   - authorizations: where tokens and pending links are kept; `store` when `nil`.
    ///   - httpClient: owned by the caller, who shuts it down after the last request.
    ///   - linkBase: the callback server's origin, for short links; `nil` sends the authorize URL itself.
    ///   - linkLifetime: how long a link stays usable (`authorization: linkLifetime` in bot.yaml).
    ///   - confirmWithCode: keep an end user's token only once they type the code the callback page shows.
    ///   - clock: the time pending links are issued and checked against.
    public init(
        store: IntegrationStore, authorizations: (any AuthorizationStore)? = nil, environment: SalesforceEnvironment,
        httpClient: HTTPClient, linkBase: String? = nil,
        linkLifetime: TimeInterval = PendingAuthorization.lifetime, confirmWithCode: Bool = false,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "parley.integrations")
    ) {
        self.init(
            store: store, authorizations: authorizations, environment: environment, transport: AsyncHTTPClientTransport(httpClient),
            linkBase: linkBase,
            linkLifetime: linkLifetime, confirmWithCode: confirmWithCode, clock: clock, logger: logger)
    }

    /// Six random digits.
    @Sendable public static func randomCode() -> String {
        let number = Int.random(in: 0..<1_000_000)
        let digits = String(number)
        return String(repeating: "0", count: 6 - digits.count) + digits
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
        try app(for: try configuration())
    }

    /// The app a configuration the caller has just read authorizes through, without reading it again.
    public func app(for configuration: ActionConfiguration) throws -> SalesforceApp {
        try SalesforceApp.resolve(configuration, store: store, environment: environment)
    }

    func oauthClient(for app: SalesforceApp) -> OAuthClient {
        OAuthClient(endpoints: app.endpoints, transport: transport, logger: logger)
    }

    /// Starts an authorization and returns the link to open.
    ///
    /// - Parameters:
    ///   - user: the end user, or empty for the bot's own (pre-authorized) token.
    ///   - conversation: the conversation that waits for it.
    ///   - configuration: the action's configuration when the caller has just read it, so it is not read again.
    ///
    /// One live link per user and conversation: while the last one is neither used nor expired, it is returned
    /// again, so a reminder repeats it; afterwards a fresh one is made.
    public func begin(
        user: String, conversation: String, configuration: ActionConfiguration? = nil
    ) async throws -> AuthorizationLink {
        let now = clock()
        if let live = try await authorizations.liveLink(action: Self.action, user: user, conversation: conversation, now: now),
            let link = link(to: live)
        {
            return link
        }
        return try await beginAnew(user: user, conversation: conversation, configuration: configuration, now: now)
    }

    /// A live link of the store, as the user is sent it again; `nil` when it does not make a URL.
    func link(to live: LiveLink) -> AuthorizationLink? {
        URL(string: shortLink(live.id) ?? live.authorizeURL).map {
            AuthorizationLink(url: $0, state: live.state, expiresAt: live.expiresAt)
        }
    }

    /// Starts an authorization with a link of its own, for a caller that found no live one for the conversation.
    func beginAnew(
        user: String, conversation: String, configuration: ActionConfiguration?, now: Date
    ) async throws -> AuthorizationLink {
        let app = try configuration.map(app(for:)) ?? app()
        let request = oauthClient(for: app).authorizationURL(
            clientID: app.clientID, redirectURI: app.redirectURI, scopes: app.scopes)
        let pending = PendingAuthorization(
            state: request.state, bot: authorizations.bot, action: Self.action, user: user, conversation: conversation,
            verifier: request.pkce.verifier, redirectURI: app.redirectURI, createdAt: now,
            expiresAt: now.addingTimeInterval(linkLifetime))
        let id = Base64URL.randomToken(byteCount: 12)
        try await authorizations.savePending(pending, link: (id, request.url.absoluteString))
        let url = shortLink(id).flatMap(URL.init(string:)) ?? request.url
        return AuthorizationLink(url: url, state: request.state, expiresAt: pending.expiresAt)
    }

    /// `<linkBase>/a/<id>`, when links are short.
    private func shortLink(_ id: String) -> String? {
        linkBase.map { $0 + OAuthCallbackServer.linkPath + id }
    }

    /// Where a short link leads now: the identity provider's authorize URL, or `nil` when the link is unknown,
    /// used or expired.
    public func destination(ofLink id: String) async throws -> URL? {
        try await authorizations.authorizeURL(ofLink: id, now: clock()).flatMap(URL.init(string:))
    }

    /// Completes an authorization from the callback's `code` and `state`: checks the state, exchanges the code
    /// with the PKCE verifier, asks who authorized, and stores the token; in confirm-with-code mode an end user's
    /// token is kept aside instead, until they type the returned six-digit code in the chat.
    ///
    /// - Throws: `AuthorizationStateError` (unknown, used, expired state), `SalesforceError` (the exchange
    ///   failed), `IntegrationInputError` (the action is no longer configured), `VaultError`.
    public func complete(
        state: String, code: String
    ) async throws -> (authorization: CompletedAuthorization, confirmationCode: String?) {
        let pending = try await authorizations.consumePending(state: state, now: clock())
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
        let completed = CompletedAuthorization(
            user: pending.user, conversation: pending.conversation, action: Self.action, username: username,
            instanceURL: app.instanceOverride ?? credentials.instanceURL)
        // The bot's own token (`parley actions authorize`) is its developer's, in their own terminal: no code.
        if confirmWithCode, !pending.user.isEmpty {
            let confirmationCode = makeCode()
            try await authorizations.saveCodeConfirmation(
                CodeConfirmation(
                    user: pending.user, conversation: pending.conversation, code: confirmationCode, credentials: credentials,
                    username: username, expiresAt: clock().addingTimeInterval(linkLifetime)),
                action: Self.action)
            logger.info(
                "Salesforce authorization waits for its code",
                metadata: ["user": "\(pending.user)", "username": "\(username ?? "unknown")"])
            return (completed, confirmationCode)
        }
        try await authorizations.saveAuthorization(
            StoredAuthorization(user: pending.user, credentials: credentials, username: username, authorizedAt: clock()),
            action: Self.action)
        logger.info(
            "Salesforce authorized",
            metadata: ["user": "\(pending.user.isEmpty ? "(bot)" : pending.user)", "username": "\(username ?? "unknown")"])
        return (completed, nil)
    }

    /// Checks the six-digit code a user typed against the one their callback page showed: a match keeps the token;
    /// a wrong or late code keeps nothing (the token is revoked at Salesforce too).
    ///
    /// A pending code gets one try, right or wrong, so guessing gets nowhere.
    public func confirm(code: String, user: String) async -> AuthorizationConfirmation {
        let confirmation: CodeConfirmation?
        do {
            confirmation = try await authorizations.takeCodeConfirmation(action: Self.action, user: user)
        } catch {
            logger.error("could not read a pending authorization", metadata: ["user": "\(user)", "error": "\(error)"])
            return .rejected(.failed("Parley could not read the pending connection"))
        }
        guard let confirmation else { return .nothingPending }
        let now = clock()
        let failure: AuthorizationFailure? =
            now > confirmation.expiresAt ? .codeExpired : code == confirmation.code ? nil : .wrongCode
        guard let failure else {
            do {
                try await authorizations.saveAuthorization(
                    StoredAuthorization(
                        user: user, credentials: confirmation.credentials, username: confirmation.username, authorizedAt: now),
                    action: Self.action)
            } catch {
                logger.error("could not keep a confirmed authorization", metadata: ["user": "\(user)", "error": "\(error)"])
                return .rejected(.failed("Parley could not keep the connection"))
            }
            logger.info(
                "Salesforce authorized", metadata: ["user": "\(user)", "username": "\(confirmation.username ?? "unknown")"])
            return .connected(account: confirmation.username)
        }
        logger.notice(
            failure == .codeExpired ? "an authorization code was typed after it expired" : "a wrong authorization code was typed",
            metadata: ["user": "\(user)"])
        do {
            try await oauthClient(for: try app()).revoke(
                token: confirmation.credentials.refreshToken ?? confirmation.credentials.accessToken)
        } catch {
            logger.notice("could not revoke an unconfirmed Salesforce token", metadata: ["error": "\(error)"])
        }
        return .rejected(failure)
    }

    /// Who a user (empty: the bot) is connected as: Salesforce's userinfo, or what was stored when they authorized
    /// if Salesforce cannot be asked now. `nil` when they are not connected.
    ///
    /// An access token that expired is refreshed first, as a task's request would; one that cannot be refreshed any
    /// more is forgotten, and the user is not connected.
    public func identity(user: String) async throws -> ConnectedIdentity? {
        guard let stored = try await authorizations.authorization(action: Self.action, user: user) else { return nil }
        do {
            let app = try app()
            let oauth = oauthClient(for: app)
            let info: UserInfo
            do {
                info = try await oauth.userInfo(accessToken: stored.credentials.accessToken)
            } catch let error as SalesforceError where error.kind == .authorizationRequired {
                let session = SessionCoordinator(
                    store: VaultCredentialStore(
                        store: authorizations, action: Self.action, user: user, instanceOverride: app.instanceOverride),
                    refresher: TokenRefresher(oauth: oauth, clientID: app.clientID, clientSecret: app.clientSecret))
                let renewed: SalesforceCredentials
                do {
                    renewed = try await session.refresh(replacing: stored.credentials.accessToken)
                } catch let error as SalesforceError where error.kind == .authorizationRequired {
                    logger.notice("a Salesforce token could not be refreshed", metadata: ["user": "\(user)", "error": "\(error)"])
                    return nil
                }
                info = try await oauth.userInfo(accessToken: renewed.accessToken)
            }
            return ConnectedIdentity(
                username: info.preferredUsername, name: info.name, instanceURL: stored.credentials.instanceURL, confirmed: true)
        } catch {
            logger.notice("could not ask Salesforce who is connected", metadata: ["error": "\(error)"])
            return ConnectedIdentity(
                username: stored.username ?? "an unknown user", name: nil, instanceURL: stored.credentials.instanceURL,
                confirmed: false)
        }
    }

    /// Signs a user (empty: the bot) out: revokes the refresh token (or access token) at Salesforce and
    /// removes it from the vault. The vault entry goes even when Salesforce cannot be reached.
    ///
    /// - Returns: whether there was an authorization.
    /// - Throws: `IntegrationStoreError` when the vault entry cannot be removed.
    @discardableResult
    public func signOut(user: String) async throws -> Bool {
        guard let stored = try await authorizations.authorization(action: Self.action, user: user) else { return false }
        do {
            let app = try app()
            try await oauthClient(for: app).revoke(token: stored.credentials.refreshToken ?? stored.credentials.accessToken)
        } catch {
            logger.notice("could not revoke the Salesforce token", metadata: ["error": "\(error)"])
        }
        try await authorizations.removeAuthorization(action: Self.action, user: user)
        return true
    }
}

/// Who a user is connected as on the other side.
public struct ConnectedIdentity: Sendable, Hashable {
    public var username: String
    public var name: String?
    public var instanceURL: String
    /// Whether Salesforce confirmed it just now (userinfo); otherwise it is what was stored at authorization.
    public var confirmed: Bool
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
