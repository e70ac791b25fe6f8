public import Foundation
public import Integrations
import Logging
import PostgresNIO
public import SalesforceAPI

/// Tokens, authorization links, code confirmations and the bot's connection problems in PostgreSQL, shared by every
/// server of the bot: a token one server obtained signs the requests of all, and a link one server sent completes on
/// whichever server the browser comes back to, once.
///
/// Every secret (tokens, PKCE verifiers, codes) is sealed by the vault before it leaves the process, as in the state
/// folder's database; the key never goes to PostgreSQL, so the servers must share it (`PARLEY_VAULT_KEY`), and a server
/// with another key is stopped when it starts, before it could seal anything the others cannot open.
public final class PostgresAuthorizationStore: SharedAuthorizationStore {
    private let database: PostgresStoreDatabase
    public let bot: String
    private let vault: TokenVault

    private init(database: PostgresStoreDatabase, bot: String, vault: TokenVault) {
        self.database = database
        self.bot = bot
        self.vault = vault
    }

    /// The store of `bot`'s authorizations, once the vault key is known to be the one the database's secrets were
    /// sealed with (the first server to use the database records its key's check value).
    ///
    /// - Throws: ``PostgresStoreError`` when the database cannot be used or the key is not the others'.
    public static func open(database: PostgresStoreDatabase, bot: String, vault: TokenVault) async throws -> PostgresAuthorizationStore {
        let store = PostgresAuthorizationStore(database: database, bot: bot, vault: vault)
        try await store.checkVaultKey()
        return store
    }

    private func checkVaultKey() async throws {
        let (bot, logger) = (self.bot, database.logger)
        let mine = try vault.sealCheckValue()
        let stored = try await database.run("check the vault key") {
            try await database.queries.query(
                "INSERT INTO parley_vault_check (bot, sealed) VALUES (\(bot), \(mine)) ON CONFLICT (bot) DO NOTHING", logger: logger)
            return try await first(
                database.queries.query("SELECT sealed FROM parley_vault_check WHERE bot = \(bot)", logger: logger), as: Data.self)
        }
        guard let stored else {
            throw PostgresStoreError(url: database.url, doing: "check the vault key", detail: "its check value vanished")
        }
        do {
            try vault.verifyCheckValue(stored)
        } catch let error as VaultError where error.isKeyMismatch {
            throw PostgresStoreError(
                url: database.url, doing: "use the tokens",
                detail: "they were sealed with another vault key than \(vault.key.location); every server sharing the database "
                    + "needs the same key: set \(VaultKey.environmentVariable) to one value for all of them")
        }
    }

    // MARK: The settings tokens are granted under

    public func adopt(_ configuration: ActionConfiguration) async throws -> Bool {
        let (bot, logger, action) = (self.bot, database.logger, configuration.action)
        let (mode, app) = (configuration.authorization.rawValue, configuration.app.rawValue)
        let (profile, loginURL) = (configuration.profile, configuration.loginURL)
        return try await database.run("record the action's settings") {
            try await database.transaction(on: database.queries) { connection in
                let recorded = try await first(
                    connection.query(
                        """
                        SELECT authorization_mode, app, profile, login_url FROM parley_action_grant
                        WHERE bot = \(bot) AND action = \(action) FOR UPDATE
                        """, logger: logger),
                    as: (String, String, String?, String?).self)
                // Nothing recorded yet: the tokens there were granted under these settings or none.
                var changed = false
                if let (recordedMode, recordedApp, recordedProfile, recordedLoginURL) = recorded {
                    if let mode = AuthorizationMode(rawValue: recordedMode), let app = AppChoice(rawValue: recordedApp) {
                        let previous = ActionConfiguration(
                            action: action, authorization: mode, app: app, profile: recordedProfile, loginURL: recordedLoginURL)
                        changed = !previous.grantsSameTokens(as: configuration)
                    } else {
                        changed = true
                    }
                }
                if changed {
                    for table in ["parley_token", "parley_pending_authorization", "parley_code_confirmation"] {
                        try await connection.query(
                            "DELETE FROM \(unescaped: table) WHERE bot = \(bot) AND action = \(action)", logger: logger)
                    }
                }
                try await connection.query(
                    """
                    INSERT INTO parley_action_grant (bot, action, authorization_mode, app, profile, login_url)
                    VALUES (\(bot), \(action), \(mode), \(app), \(profile), \(loginURL))
                    ON CONFLICT (bot, action) DO UPDATE SET authorization_mode = excluded.authorization_mode, app = excluded.app,
                    profile = excluded.profile, login_url = excluded.login_url
                    """, logger: logger)
                return changed
            }
        }
    }

    // MARK: Tokens

    public func authorization(action: String, user: String) async throws -> StoredAuthorization? {
        let (bot, logger) = (self.bot, database.logger)
        let row = try await database.run("read a token") {
            try await first(
                database.queries.query(
                    """
                    SELECT sealed, username, authorized_at FROM parley_token
                    WHERE bot = \(bot) AND action = \(action) AND user_name = \(user)
                    """, logger: logger),
                as: (Data, String?, Double).self)
        }
        guard let (sealed, username, authorizedAt) = row else { return nil }
        return StoredAuthorization(
            user: user, credentials: try vault.openCredentials(sealed, bot: bot, action: action, user: user), username: username,
            authorizedAt: Date(timeIntervalSince1970: authorizedAt))
    }

    public func saveAuthorization(_ authorization: StoredAuthorization, action: String) async throws {
        let (bot, logger) = (self.bot, database.logger)
        let sealed = try vault.seal(authorization.credentials, bot: bot, action: action, user: authorization.user)
        let (user, username, authorizedAt) = (authorization.user, authorization.username, authorization.authorizedAt.timeIntervalSince1970)
        try await database.run("save a token") {
            try await database.transaction(on: database.queries) { connection in
                try await connection.query(
                    """
                    INSERT INTO parley_token (bot, action, user_name, sealed, username, authorized_at)
                    VALUES (\(bot), \(action), \(user), \(sealed), \(username), \(authorizedAt))
                    ON CONFLICT (bot, action, user_name) DO UPDATE
                    SET sealed = excluded.sealed, username = excluded.username, authorized_at = excluded.authorized_at
                    """, logger: logger)
                // A new token of the bot's own is the fix for whatever made the last one unusable.
                if user.isEmpty {
                    try await connection.query(
                        "DELETE FROM parley_action_problem WHERE bot = \(bot) AND action = \(action)", logger: logger)
                }
            }
        }
    }

    public func updateCredentials(_ credentials: SalesforceCredentials, action: String, user: String) async throws {
        let (bot, logger) = (self.bot, database.logger)
        let sealed = try vault.seal(credentials, bot: bot, action: action, user: user)
        try await database.run("save a refreshed token") {
            try await database.queries.query(
                "UPDATE parley_token SET sealed = \(sealed) WHERE bot = \(bot) AND action = \(action) AND user_name = \(user)",
                logger: logger)
        }
    }

    @discardableResult
    public func removeAuthorization(action: String, user: String) async throws -> Bool {
        let (bot, logger) = (self.bot, database.logger)
        return try await database.run("remove a token") {
            let removed = try await first(
                database.queries.query(
                    "DELETE FROM parley_token WHERE bot = \(bot) AND action = \(action) AND user_name = \(user) RETURNING 1",
                    logger: logger),
                as: Int.self)
            return removed != nil
        }
    }

    @discardableResult
    public func removeAuthorization(action: String, user: String, ifAccessToken accessToken: String) async throws -> Bool {
        let (bot, logger) = (self.bot, database.logger)
        let sealed = try await database.run("read a token") {
            try await first(
                database.queries.query(
                    "SELECT sealed FROM parley_token WHERE bot = \(bot) AND action = \(action) AND user_name = \(user)", logger: logger),
                as: Data.self)
        }
        guard let sealed, try vault.openCredentials(sealed, bot: bot, action: action, user: user).accessToken == accessToken else {
            return false
        }
        // Only the very value read: a token another server put in meanwhile stays.
        return try await database.run("remove a token") {
            let removed = try await first(
                database.queries.query(
                    """
                    DELETE FROM parley_token WHERE bot = \(bot) AND action = \(action) AND user_name = \(user) AND sealed = \(sealed)
                    RETURNING 1
                    """, logger: logger),
                as: Int.self)
            return removed != nil
        }
    }

    // MARK: Pending authorizations and their links

    public func savePending(_ pending: PendingAuthorization, link: (id: String, authorizeURL: String)?) async throws {
        let logger = database.logger
        let sealed = try vault.sealVerifier(of: pending)
        let (created, expires) = (pending.createdAt.timeIntervalSince1970, pending.expiresAt.timeIntervalSince1970)
        let staleBefore = created - PendingAuthorization.lifetime
        try await database.run("save an authorization link") {
            // Expired links are of no use to anyone; dropping them here keeps the table small.
            try await database.queries.query(
                "DELETE FROM parley_pending_authorization WHERE expires_at < \(staleBefore)", logger: logger)
            try await database.queries.query(
                """
                INSERT INTO parley_pending_authorization
                (state, bot, action, user_name, conversation, verifier, redirect_uri, created_at, expires_at, link_id, authorize_url)
                VALUES (\(pending.state), \(pending.bot), \(pending.action), \(pending.user), \(pending.conversation), \(sealed),
                \(pending.redirectURI), \(created), \(expires), \(link?.id), \(link?.authorizeURL))
                """, logger: logger)
        }
    }

    public func consumePending(state: String, now: Date) async throws -> PendingAuthorization {
        let (bot, logger) = (self.bot, database.logger)
        let moment = now.timeIntervalSince1970
        // One statement marks it used and returns it, so of two servers given the same state only one gets it.
        let row = try await database.run("use an authorization link") {
            try await first(
                database.queries.query(
                    """
                    UPDATE parley_pending_authorization SET used_at = \(moment)
                    WHERE state = \(state) AND bot = \(bot) AND used_at IS NULL
                    RETURNING action, user_name, conversation, verifier, redirect_uri, created_at, expires_at
                    """, logger: logger),
                as: (String, String, String, Data, String, Double, Double).self)
        }
        guard let (action, user, conversation, verifier, redirectURI, createdAt, expiresAt) = row else {
            throw try await pendingStatus(state: state) == nil ? AuthorizationStateError.unknown : AuthorizationStateError.alreadyUsed
        }
        if moment > expiresAt { throw AuthorizationStateError.expired }
        var pending = PendingAuthorization(
            state: state, bot: bot, action: action, user: user, conversation: conversation, verifier: "", redirectURI: redirectURI,
            createdAt: Date(timeIntervalSince1970: createdAt), expiresAt: Date(timeIntervalSince1970: expiresAt))
        pending.verifier = try vault.openVerifier(verifier, of: pending)
        return pending
    }

    public func liveLink(action: String, user: String, conversation: String, now: Date) async throws -> LiveLink? {
        let (bot, logger, moment) = (self.bot, database.logger, now.timeIntervalSince1970)
        let row = try await database.run("read an authorization link") {
            try await first(
                database.queries.query(
                    """
                    SELECT link_id, state, authorize_url, expires_at FROM parley_pending_authorization
                    WHERE bot = \(bot) AND action = \(action) AND user_name = \(user) AND conversation = \(conversation)
                    AND link_id IS NOT NULL AND used_at IS NULL AND expires_at >= \(moment)
                    ORDER BY created_at DESC LIMIT 1
                    """, logger: logger),
                as: (String, String, String, Double).self)
        }
        return row.map { LiveLink(id: $0.0, state: $0.1, authorizeURL: $0.2, expiresAt: Date(timeIntervalSince1970: $0.3)) }
    }

    /// The token, the code confirmation and the live link read one after another.
    public func standing(action: String, user: String, conversation: String, now: Date) async throws -> AuthorizationStanding {
        if let authorization = try await authorization(action: action, user: user) { return .authorized(authorization) }
        if try await hasCodeConfirmation(action: action, user: user, now: now) { return .awaitingCode }
        if let link = try await liveLink(action: action, user: user, conversation: conversation, now: now) { return .linkSent(link) }
        return .unauthorized
    }

    public func authorizeURL(ofLink id: String, now: Date) async throws -> String? {
        let (bot, logger, moment) = (self.bot, database.logger, now.timeIntervalSince1970)
        return try await database.run("read an authorization link") {
            try await first(
                database.queries.query(
                    """
                    SELECT authorize_url FROM parley_pending_authorization
                    WHERE link_id = \(id) AND bot = \(bot) AND used_at IS NULL AND expires_at >= \(moment)
                    """, logger: logger),
                as: String.self)
        }
    }

    public func pendingStatus(state: String) async throws -> PendingLinkStatus? {
        let (bot, logger) = (self.bot, database.logger)
        let row = try await database.run("read an authorization link") {
            try await first(
                database.queries.query(
                    """
                    SELECT user_name, conversation, action, expires_at, used_at FROM parley_pending_authorization
                    WHERE state = \(state) AND bot = \(bot)
                    """, logger: logger),
                as: (String, String, String, Double, Double?).self)
        }
        return row.map {
            PendingLinkStatus(
                user: $0.0, conversation: $0.1, action: $0.2, expiresAt: Date(timeIntervalSince1970: $0.3), isUsed: $0.4 != nil)
        }
    }

    public func liveLinkCount(now: Date) async throws -> Int {
        let (bot, logger, moment) = (self.bot, database.logger, now.timeIntervalSince1970)
        return try await database.run("count authorization links") {
            try await first(
                database.queries.query(
                    """
                    SELECT count(*)::BIGINT FROM parley_pending_authorization
                    WHERE bot = \(bot) AND used_at IS NULL AND expires_at >= \(moment)
                    """, logger: logger),
                as: Int.self) ?? 0
        }
    }

    // MARK: Code confirmations

    public func saveCodeConfirmation(_ confirmation: CodeConfirmation, action: String) async throws {
        let (bot, logger) = (self.bot, database.logger)
        let sealed = try vault.seal(confirmation, bot: bot, action: action)
        let expires = confirmation.expiresAt.timeIntervalSince1970
        // Tokens nobody confirmed in time go a day after they expired, when another is kept aside.
        let forgottenBefore = expires - 24 * 60 * 60
        let (user, conversation, username) = (confirmation.user, confirmation.conversation, confirmation.username)
        try await database.run("keep a token until its code is typed") {
            try await database.queries.query(
                "DELETE FROM parley_code_confirmation WHERE bot = \(bot) AND expires_at < \(forgottenBefore)", logger: logger)
            try await database.queries.query(
                """
                INSERT INTO parley_code_confirmation (bot, action, user_name, conversation, sealed, username, expires_at)
                VALUES (\(bot), \(action), \(user), \(conversation), \(sealed), \(username), \(expires))
                ON CONFLICT (bot, action, user_name) DO UPDATE SET conversation = excluded.conversation, sealed = excluded.sealed,
                username = excluded.username, expires_at = excluded.expires_at
                """, logger: logger)
        }
    }

    public func takeCodeConfirmation(action: String, user: String) async throws -> CodeConfirmation? {
        let (bot, logger) = (self.bot, database.logger)
        // Deleted as it is read: a code gets one try, on whichever server it is typed.
        let row = try await database.run("read a token waiting for its code") {
            try await first(
                database.queries.query(
                    """
                    DELETE FROM parley_code_confirmation WHERE bot = \(bot) AND action = \(action) AND user_name = \(user)
                    RETURNING conversation, sealed, username, expires_at
                    """, logger: logger),
                as: (String, Data, String?, Double).self)
        }
        guard let (conversation, sealed, username, expiresAt) = row else { return nil }
        let opened = try vault.openConfirmation(sealed, bot: bot, action: action, user: user)
        return CodeConfirmation(
            user: user, conversation: conversation, code: opened.code, credentials: opened.credentials, username: username,
            expiresAt: Date(timeIntervalSince1970: expiresAt))
    }

    public func hasCodeConfirmation(action: String, user: String, now: Date) async throws -> Bool {
        let (bot, logger, moment) = (self.bot, database.logger, now.timeIntervalSince1970)
        return try await database.run("read a token waiting for its code") {
            try await first(
                database.queries.query(
                    """
                    SELECT 1 FROM parley_code_confirmation
                    WHERE bot = \(bot) AND action = \(action) AND user_name = \(user) AND expires_at >= \(moment)
                    """, logger: logger),
                as: Int.self) != nil
        }
    }

    // MARK: The bot's own connection

    public func recordProblem(action: String, reason: String, at date: Date) async throws {
        let (bot, logger, moment) = (self.bot, database.logger, date.timeIntervalSince1970)
        try await database.run("record a connection problem") {
            try await database.queries.query(
                """
                INSERT INTO parley_action_problem (bot, action, reason, occurred_at) VALUES (\(bot), \(action), \(reason), \(moment))
                ON CONFLICT (bot, action) DO UPDATE SET reason = excluded.reason, occurred_at = excluded.occurred_at
                """, logger: logger)
        }
    }

    public func problem(of action: String) async throws -> ActionProblem? {
        let (bot, logger) = (self.bot, database.logger)
        let row = try await database.run("read a connection problem") {
            try await first(
                database.queries.query(
                    "SELECT reason, occurred_at FROM parley_action_problem WHERE bot = \(bot) AND action = \(action)", logger: logger),
                as: (String, Double).self)
        }
        return row.map { ActionProblem(reason: $0.0, occurredAt: Date(timeIntervalSince1970: $0.1)) }
    }
}

/// The first row of a query's answer decoded as `type`, or `nil` when it has none; the rest is read and dropped.
private func first<each Column: PostgresDecodable>(
    _ rows: PostgresRowSequence, as type: (repeat each Column).Type
) async throws -> (repeat each Column)? {
    var found: (repeat each Column)?
    for try await row in rows where found == nil { found = try row.decode(type) }
    return found
}
