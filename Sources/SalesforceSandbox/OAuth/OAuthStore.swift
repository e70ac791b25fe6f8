import Foundation
import GRDB
import Synchronization

/// Connected apps, authorization codes, tokens and consents, kept in the sandbox's SQLite database.
///
/// Client secrets are sealed (``SecretSeal``), codes and tokens stored only as hashes, so the database
/// alone gives away no credential.
///
/// Access tokens are checked on every REST call, so valid ones are cached in memory and their
/// last use is written back only now and then. A data file may be shared with another process:
/// revoking or expiring tokens counts in the file, and a process that sees the count change forgets
/// the tokens it cached, so a token revoked through one process is refused by both.
final class OAuthStore: Sendable {
    private let database: any DatabaseWriter
    private let clock: @Sendable () -> Date
    private let sessionTimeout: TimeInterval
    private let systemAppCallbacks: [String]
    private let seal: SecretSeal
    /// Whether other processes may write the database too: a data file, not an in-memory org.
    private let isShared: Bool
    private let accessCache = Mutex(AccessCache())

    /// Grants of live access tokens by token hash, valid while the file's revocation count is `revocations`.
    private struct AccessCache {
        var grants: [String: AccessGrant] = [:]
        var revocations = 0
    }

    /// How long an authorization code can be redeemed.
    static let codeLifetime: TimeInterval = 10 * 60
    /// How stale a stored last-use time may get before it is written back.
    private static let lastUseWriteInterval: TimeInterval = 60

    /// What a redeemed authorization code was bound to.
    struct CodeGrant: Sendable {
        var clientID: String
        var redirectURI: String
        var userID: String
        var scopes: [String]
        var codeChallenge: String?
    }

    /// Who a token acts for and what it may do.
    struct AccessGrant: Sendable {
        var clientID: String
        var userID: String
        var scopes: [String]
        var lastUsed: Date
        var storedLastUsed: Date
    }

    /// What a refresh token was issued for.
    struct RefreshGrant: Sendable {
        var tokenHash: String
        var clientID: String
        var userID: String
        var scopes: [String]
    }

    /// Tokens freshly issued; the plain values exist only here and in the response.
    struct IssuedTokens: Sendable {
        var accessToken: String
        var refreshToken: String?
        var issuedAt: Date
    }

    init(
        database: any DatabaseWriter, clock: @escaping @Sendable () -> Date, sessionTimeout: Duration,
        systemAppCallbacks: [String], seal: SecretSeal
    ) throws {
        self.database = database
        self.seal = seal
        self.clock = clock
        self.sessionTimeout =
            Double(sessionTimeout.components.seconds)
            + Double(sessionTimeout.components.attoseconds) / 1e18
        self.systemAppCallbacks = systemAppCallbacks
        self.isShared = database is DatabasePool
        try database.write { db in
            try SandboxCounter.prepare(db)
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS oauth_app (
                        client_id TEXT PRIMARY KEY, name TEXT NOT NULL, secret TEXT NOT NULL,
                        scopes TEXT NOT NULL, is_system INTEGER NOT NULL, created_at REAL NOT NULL);
                    CREATE TABLE IF NOT EXISTS oauth_app_callback (
                        client_id TEXT NOT NULL REFERENCES oauth_app(client_id) ON DELETE CASCADE,
                        url TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (client_id, url));
                    CREATE TABLE IF NOT EXISTS oauth_code (
                        code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
                        user_id TEXT NOT NULL, scopes TEXT NOT NULL, code_challenge TEXT, expires_at REAL NOT NULL);
                    CREATE TABLE IF NOT EXISTS oauth_token (
                        token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL,
                        user_id TEXT NOT NULL, scopes TEXT NOT NULL, refresh_hash TEXT,
                        issued_at REAL NOT NULL, last_used_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX IF NOT EXISTS oauth_token_refresh ON oauth_token(refresh_hash);
                    CREATE TABLE IF NOT EXISTS oauth_consent (
                        user_id TEXT NOT NULL, client_id TEXT NOT NULL, scopes TEXT NOT NULL,
                        PRIMARY KEY (user_id, client_id, scopes));
                    """)
            try sealStoredSecrets(db)
        }
        try ensureSystemApp()
    }

    /// A store over a copy of a prepared database (``SandboxTemplate``): tables and the system app are there.
    init(
        database: any DatabaseWriter, clock: @escaping @Sendable () -> Date, sessionTimeout: Duration,
        systemAppCallbacks: [String], seal: SecretSeal, prepared: Void
    ) {
        self.database = database
        self.seal = seal
        self.clock = clock
        self.sessionTimeout = sessionTimeout.seconds
        self.systemAppCallbacks = systemAppCallbacks
        self.isShared = false
    }

    private var now: Date { clock() }

    /// Runs a read. An in-memory org's queue serializes every access, so it needs neither a transaction nor
    /// GRDB's read-only switch; a data file's pool reads on read-only connections of their own.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let queue = database as? DatabaseQueue { return try queue.inDatabase(body) }
        return try database.read(body)
    }

    // MARK: Apps

    /// Erases apps, codes, tokens and consents; the system app comes back with a new secret.
    func reset() throws {
        try database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM oauth_app_callback; DELETE FROM oauth_app; DELETE FROM oauth_code;
                    DELETE FROM oauth_token; DELETE FROM oauth_consent;
                    """)
            _ = try SandboxCounter.revocations.advance(in: db)
        }
        accessCache.withLock { $0.grants.removeAll() }
        try ensureSystemApp()
    }

    /// Seals secrets a data file from before sealing holds in the clear.
    private func sealStoredSecrets(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT client_id, secret FROM oauth_app WHERE secret NOT LIKE 'sealed:%'")
        for row in rows {
            let clientID: String = row["client_id"]
            let sealed = try seal.seal(row["secret"], clientID: clientID)
            try db.execute(sql: "UPDATE oauth_app SET secret = ? WHERE client_id = ?", arguments: [sealed, clientID])
        }
    }

    /// Creates the system app once per data file and registers the configured callbacks.
    private func ensureSystemApp() throws {
        let createdAt = now.timeIntervalSince1970
        let secret = try seal.seal(SecretMaker.consumerSecret(), clientID: ConnectedApp.systemClientID)
        try database.write { db in
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO oauth_app (client_id, name, secret, scopes, is_system, created_at)
                    VALUES (?, 'Parley', ?, ?, 1, ?)
                    """
            ).execute(arguments: [
                ConnectedApp.systemClientID, secret, ConnectedApp.defaultScopes.joined(separator: " "), createdAt,
            ])
            for url in systemAppCallbacks {
                try Self.insertCallback(db, clientID: ConnectedApp.systemClientID, url: url)
            }
        }
    }

    private static func insertCallback(_ db: Database, clientID: String, url: String) throws {
        let position =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM oauth_app_callback WHERE client_id = ?"), arguments: [clientID]) ?? 0
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO oauth_app_callback (client_id, url, position) VALUES (?, ?, ?)").execute(
            arguments: [clientID, url, position])
    }

    /// Every registered app, the system app first.
    func apps() throws -> [ConnectedApp] {
        try read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM oauth_app ORDER BY is_system DESC, created_at, name"))
            return try rows.map { try self.app(from: $0, db) }
        }
    }

    /// The app with this client id, if registered.
    func app(clientID: String) throws -> ConnectedApp? {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM oauth_app WHERE client_id = ?"), arguments: [clientID])
            else { return nil }
            return try self.app(from: row, db)
        }
    }

    private func app(from row: Row, _ db: Database) throws -> ConnectedApp {
        let clientID: String = row["client_id"]
        let callbacks = try String.fetchAll(
            db.cachedStatement(sql: "SELECT url FROM oauth_app_callback WHERE client_id = ? ORDER BY position"), arguments: [clientID])
        return ConnectedApp(
            clientID: clientID, name: row["name"], clientSecret: try seal.open(row["secret"], clientID: clientID),
            callbackURLs: callbacks,
            scopes: OAuthScope.parse(row["scopes"]), isSystem: (row["is_system"] as Int) != 0)
    }

    /// Registers a new app with a fresh consumer key and secret.
    func registerApp(name: String, callbackURLs: [String], scopes: [String]) throws -> ConnectedApp {
        let app = ConnectedApp(
            clientID: SecretMaker.consumerKey(), name: name, clientSecret: SecretMaker.consumerSecret(),
            callbackURLs: callbackURLs, scopes: scopes, isSystem: false)
        let createdAt = now.timeIntervalSince1970
        let sealed = try seal.seal(app.clientSecret, clientID: app.clientID)
        try database.write { db in
            try db.cachedStatement(
                sql: "INSERT INTO oauth_app (client_id, name, secret, scopes, is_system, created_at) VALUES (?, ?, ?, ?, 0, ?)"
            ).execute(arguments: [app.clientID, app.name, sealed, scopes.joined(separator: " "), createdAt])
            for url in callbackURLs { try Self.insertCallback(db, clientID: app.clientID, url: url) }
        }
        return app
    }

    /// Adds a callback URL to an app; returns false when there is no such app.
    func registerCallback(_ url: String, clientID: String) throws -> Bool {
        try database.write { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM oauth_app WHERE client_id = ?"), arguments: [clientID]) != nil
            else { return false }
            try Self.insertCallback(db, clientID: clientID, url: url)
            return true
        }
    }

    // MARK: Consent

    /// Whether the user already allowed this app these scopes.
    func hasConsent(userID: String, clientID: String, scopes: [String]) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM oauth_consent WHERE user_id = ? AND client_id = ? AND scopes = ?"),
                arguments: [userID, clientID, Self.scopeKey(scopes)]) != nil
        }
    }

    func recordConsent(userID: String, clientID: String, scopes: [String]) throws {
        try database.write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO oauth_consent (user_id, client_id, scopes) VALUES (?, ?, ?)").execute(
                arguments: [userID, clientID, Self.scopeKey(scopes)])
        }
    }

    private static func scopeKey(_ scopes: [String]) -> String { scopes.sorted().joined(separator: " ") }

    // MARK: Codes

    /// Issues a single-use authorization code bound to everything the token request must repeat.
    func issueCode(_ grant: CodeGrant) throws -> String {
        let code = SecretMaker.authorizationCode()
        let expiresAt = now.timeIntervalSince1970 + Self.codeLifetime
        try database.write { db in
            try db.cachedStatement(sql: "DELETE FROM oauth_code WHERE expires_at < ?").execute(arguments: [now.timeIntervalSince1970])
            try db.cachedStatement(
                sql: """
                    INSERT INTO oauth_code (code_hash, client_id, redirect_uri, user_id, scopes, code_challenge, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                SecretMaker.hash(code), grant.clientID, grant.redirectURI, grant.userID,
                grant.scopes.joined(separator: " "), grant.codeChallenge, expiresAt,
            ])
        }
        return code
    }

    /// Uses up a code: `nil` when it is unknown, already used or expired.
    func redeemCode(_ code: String) throws -> CodeGrant? {
        let hash = SecretMaker.hash(code)
        let now = self.now.timeIntervalSince1970
        return try database.write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM oauth_code WHERE code_hash = ?"), arguments: [hash])
            else { return nil }
            try db.cachedStatement(sql: "DELETE FROM oauth_code WHERE code_hash = ?").execute(arguments: [hash])
            guard (row["expires_at"] as Double) >= now else { return nil }
            return CodeGrant(
                clientID: row["client_id"], redirectURI: row["redirect_uri"], userID: row["user_id"],
                scopes: OAuthScope.parse(row["scopes"]), codeChallenge: row["code_challenge"])
        }
    }

    // MARK: Tokens

    /// Issues an access token, and a refresh token when asked, for a user of an app.
    ///
    /// An access token issued from a refresh token remembers it, so revoking the refresh token revokes it too.
    func issueTokens(
        clientID: String, userID: String, organizationID: String, scopes: [String], withRefreshToken: Bool,
        fromRefreshToken refreshHash: String? = nil
    ) throws -> IssuedTokens {
        let issuedAt = now
        let access = SecretMaker.accessToken(organizationID: organizationID)
        let refresh = withRefreshToken ? SecretMaker.refreshToken() : nil
        let parent = refresh.map(SecretMaker.hash) ?? refreshHash
        let scopeText = scopes.joined(separator: " ")
        let time = issuedAt.timeIntervalSince1970
        try database.write { db in
            if let refresh {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO oauth_token (token_hash, kind, client_id, user_id, scopes, refresh_hash, issued_at, last_used_at)
                        VALUES (?, 'refresh', ?, ?, ?, NULL, ?, ?)
                        """
                ).execute(arguments: [SecretMaker.hash(refresh), clientID, userID, scopeText, time, time])
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO oauth_token (token_hash, kind, client_id, user_id, scopes, refresh_hash, issued_at, last_used_at)
                    VALUES (?, 'access', ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [SecretMaker.hash(access), clientID, userID, scopeText, parent, time, time])
        }
        let grant = AccessGrant(clientID: clientID, userID: userID, scopes: scopes, lastUsed: issuedAt, storedLastUsed: issuedAt)
        accessCache.withLock { $0.grants[SecretMaker.hash(access)] = grant }
        return IssuedTokens(accessToken: access, refreshToken: refresh, issuedAt: issuedAt)
    }

    /// The grant behind a live refresh token, `nil` when unknown or revoked.
    func refreshGrant(_ token: String) throws -> RefreshGrant? {
        let hash = SecretMaker.hash(token)
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM oauth_token WHERE token_hash = ? AND kind = 'refresh' AND revoked = 0"),
                    arguments: [hash])
            else { return nil }
            return RefreshGrant(
                tokenHash: hash, clientID: row["client_id"], userID: row["user_id"], scopes: OAuthScope.parse(row["scopes"]))
        }
    }

    /// The grant behind a live access token, counting this call as activity; `nil` when unknown,
    /// revoked or idle longer than the session timeout.
    func useAccessToken(_ token: String) throws -> AccessGrant? {
        let hash = SecretMaker.hash(token)
        let now = self.now
        try forgetTokensRevokedElsewhere()
        var grant = accessCache.withLock { $0.grants[hash] }
        if grant == nil {
            grant = try read { db in
                guard
                    let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT * FROM oauth_token WHERE token_hash = ? AND kind = 'access' AND revoked = 0"),
                        arguments: [hash])
                else { return nil }
                let lastUsed = Date(timeIntervalSince1970: row["last_used_at"])
                return AccessGrant(
                    clientID: row["client_id"], userID: row["user_id"], scopes: OAuthScope.parse(row["scopes"]),
                    lastUsed: lastUsed, storedLastUsed: lastUsed)
            }
        }
        guard var live = grant else { return nil }
        guard now.timeIntervalSince(live.lastUsed) <= sessionTimeout else {
            accessCache.withLock { _ = $0.grants.removeValue(forKey: hash) }
            return nil
        }
        live.lastUsed = max(live.lastUsed, now)
        let writeBack = live.lastUsed.timeIntervalSince(live.storedLastUsed) >= Self.lastUseWriteInterval
        if writeBack { live.storedLastUsed = live.lastUsed }
        let updated = live
        accessCache.withLock { $0.grants[hash] = updated }
        if writeBack {
            try database.write { db in
                try db.cachedStatement(sql: "UPDATE oauth_token SET last_used_at = MAX(last_used_at, ?) WHERE token_hash = ?").execute(
                    arguments: [updated.lastUsed.timeIntervalSince1970, hash])
            }
        }
        return updated
    }

    /// Revokes an access or refresh token (a refresh token takes its access tokens with it);
    /// false when the token is unknown or already revoked.
    func revoke(_ token: String) throws -> Bool {
        let hash = SecretMaker.hash(token)
        let revokedHashes: [String] = try database.write { db in
            guard
                let kind = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT kind FROM oauth_token WHERE token_hash = ? AND revoked = 0"), arguments: [hash])
            else { return [] }
            var hashes = [hash]
            if kind == "refresh" {
                hashes += try String.fetchAll(
                    db.cachedStatement(sql: "SELECT token_hash FROM oauth_token WHERE refresh_hash = ?"), arguments: [hash])
            }
            try db.cachedStatement(sql: "UPDATE oauth_token SET revoked = 1 WHERE token_hash = ? OR refresh_hash = ?").execute(arguments: [
                hash, hash,
            ])
            _ = try SandboxCounter.revocations.advance(in: db)
            return hashes
        }
        accessCache.withLock { cache in
            for hash in revokedHashes { cache.grants.removeValue(forKey: hash) }
        }
        return !revokedHashes.isEmpty
    }

    /// Makes every current access token expired, as if each session had timed out; refresh tokens stay valid.
    func expireAllAccessTokens() throws {
        try database.write { db in
            try db.cachedStatement(sql: "UPDATE oauth_token SET last_used_at = 0 WHERE kind = 'access'").execute()
            _ = try SandboxCounter.revocations.advance(in: db)
        }
        accessCache.withLock { $0.grants.removeAll() }
    }

    /// Empties the token cache when another process revoked or expired tokens since it was filled.
    private func forgetTokensRevokedElsewhere() throws {
        guard isShared else { return }
        let revocations = try read { db in try SandboxCounter.revocations.value(in: db) }
        accessCache.withLock { cache in
            guard cache.revocations != revocations else { return }
            cache.grants.removeAll()
            cache.revocations = revocations
        }
    }
}
