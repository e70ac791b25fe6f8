public import Foundation
import GRDB

/// One bot's actions, authorization profiles, tokens and pending authorizations, in `<state>/parley.sqlite`.
///
/// Safe with several `parley` processes on one file: WAL, a busy timeout, and every change in one transaction.
/// Tokens, client secrets and PKCE verifiers are sealed by the `TokenVault`; nothing secret is stored in the clear.
public final class IntegrationStore: Sendable {
    /// The database file's name inside the state folder.
    public static let fileName = "parley.sqlite"

    /// Whose configuration this is: the bot's identity (see `botID(forBotDirectory:)`).
    public let bot: String
    /// The database file, or `:memory:` for a store that lives only as long as the process.
    public let path: String
    public let vault: TokenVault
    let database: any DatabaseWriter
    /// Writes that turns make, committed in one transaction with those that arrive meanwhile (``GroupCommit``): the
    /// links authorizations send, and the conversations' saves when they share this database.
    let turnWrites: GroupCommit<DatabaseWrite>

    /// Opens (creating when needed) the database in a state folder, with the vault key from the environment or
    /// the folder's key file.
    ///
    /// - Throws: `VaultError` when the key does not match the one the database was written with;
    ///   `IntegrationStoreError` when the file cannot be opened.
    public convenience init(
        stateDirectory: String, bot: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let key = try VaultKey.load(stateDirectory: stateDirectory, environment: environment)
        try self.init(path: (stateDirectory as NSString).appendingPathComponent(Self.fileName), bot: bot, vault: TokenVault(key: key))
    }

    /// Opens (creating when needed) the database at a path with a given vault.
    ///
    /// - Throws: `StateFolderError` when the file or its folder cannot be created; `IntegrationStoreError`
    ///   when SQLite cannot open it.
    public convenience init(path: String, bot: String, vault: TokenVault) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "parley.integrations"
        let database: DatabasePool
        // The file holds tokens and conversations: private (0600) before SQLite writes its first page.
        try StateFolder.makePrivate(file: path)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw IntegrationStoreError(path: path, detail: error.message ?? "\(error.resultCode)")
        } catch {
            throw IntegrationStoreError(path: path, detail: error.localizedDescription)
        }
        try self.init(database: database, path: path, bot: bot, vault: vault)
    }

    /// A store in memory, gone with the process: for transcript replays and other throwaway runs.
    ///
    /// It starts as a copy of an empty in-memory database that already has the tables, which is quicker than
    /// creating them for every store.
    public static func inMemory(bot: String, vault: TokenVault) throws -> IntegrationStore {
        do {
            let database = try DatabaseQueue(configuration: memoryConfiguration)
            try emptySchema.get().backup(to: database)
            return try IntegrationStore(database: database, path: ":memory:", bot: bot, vault: vault, hasSchema: true)
        } catch let error as DatabaseError {
            throw IntegrationStoreError(path: ":memory:", detail: error.message ?? "\(error.resultCode)")
        }
    }

    private static var memoryConfiguration: Configuration {
        var configuration = Configuration()
        configuration.label = "parley.integrations"
        return configuration
    }

    /// An in-memory database with the tables and nothing else, made once and only ever read (copied) after.
    private static let emptySchema = Result { () throws -> DatabaseQueue in
        let database = try DatabaseQueue(configuration: memoryConfiguration)
        try database.write { db in try createSchema(db) }
        return database
    }

    private init(database: any DatabaseWriter, path: String, bot: String, vault: TokenVault, hasSchema: Bool = false) throws {
        self.bot = bot
        self.path = path
        self.vault = vault
        self.database = database
        turnWrites = GroupCommit(database)
        if !hasSchema {
            do {
                try database.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        try Self.createSchema(db)
                        // Links whose authorization is gone: earlier versions left them when an action's authorizations
                        // were cleared, and swept them on every new link, which cost a scan of every link.
                        try db.execute(sql: "DELETE FROM authorizationLink WHERE state NOT IN (SELECT state FROM pendingAuthorization)")
                        return .commit
                    }
                }
            } catch let error as DatabaseError {
                throw IntegrationStoreError(path: path, detail: error.message ?? "\(error.resultCode)")
            }
        }
        try checkVaultKey()
    }

    /// The identity a bot's tokens and settings are kept under: its folder's name (`Dialogs`).
    ///
    /// The CLI and the runtime both use this, so a bot authorized with `parley actions authorize` finds its token
    /// in `parley chat`.
    public static func botID(forBotDirectory directory: String) -> String {
        let standardized = (URL(fileURLWithPath: directory).standardizedFileURL.path as NSString).lastPathComponent
        return standardized.isEmpty ? "bot" : standardized
    }

    /// Creating tables is idempotent, so two processes opening a new file at once both succeed.
    private static func createSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS vaultCheck (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sealed BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS actionConfiguration (
                    bot TEXT NOT NULL, action TEXT NOT NULL,
                    authorization TEXT NOT NULL, app TEXT NOT NULL, profile TEXT,
                    loginURL TEXT, apiVersion TEXT NOT NULL, enabledAt DOUBLE NOT NULL,
                    PRIMARY KEY (bot, action));
                CREATE TABLE IF NOT EXISTS authProfile (
                    bot TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE,
                    identityProvider TEXT NOT NULL, clientID TEXT NOT NULL, clientSecret BLOB NOT NULL,
                    authorizationURL TEXT NOT NULL, tokenURL TEXT NOT NULL, scope TEXT NOT NULL, refreshURL TEXT,
                    callbackURL TEXT NOT NULL, createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (bot, name));
                CREATE TABLE IF NOT EXISTS token (
                    bot TEXT NOT NULL, action TEXT NOT NULL, user TEXT NOT NULL,
                    sealed BLOB NOT NULL, username TEXT, authorizedAt DOUBLE NOT NULL,
                    PRIMARY KEY (bot, action, user));
                CREATE TABLE IF NOT EXISTS pendingAuthorization (
                    state TEXT PRIMARY KEY NOT NULL,
                    bot TEXT NOT NULL, action TEXT NOT NULL, user TEXT NOT NULL, conversation TEXT NOT NULL,
                    verifier BLOB NOT NULL, redirectURI TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL, expiresAt DOUBLE NOT NULL, usedAt DOUBLE);
                CREATE INDEX IF NOT EXISTS pendingAuthorizationConversation
                    ON pendingAuthorization (bot, action, user, conversation, createdAt);
                CREATE INDEX IF NOT EXISTS pendingAuthorizationExpiry ON pendingAuthorization (expiresAt);
                CREATE TABLE IF NOT EXISTS authorizationLink (
                    id TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL UNIQUE,
                    authorizeURL TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS actionProblem (
                    bot TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, occurredAt DOUBLE NOT NULL,
                    PRIMARY KEY (bot, action));
                CREATE TABLE IF NOT EXISTS codeConfirmation (
                    bot TEXT NOT NULL, action TEXT NOT NULL, user TEXT NOT NULL, conversation TEXT NOT NULL,
                    sealed BLOB NOT NULL, username TEXT, expiresAt DOUBLE NOT NULL,
                    PRIMARY KEY (bot, action, user));
                """)
    }

    /// Stores a check value on first use and verifies it afterwards, so a wrong key fails at once, clearly.
    private func checkVaultKey() throws {
        let vault = self.vault
        let existing = try read { db in try Data.fetchOne(db.cachedStatement(sql: "SELECT sealed FROM vaultCheck WHERE id = 1")) }
        if let existing {
            try vault.verifyCheckValue(existing)
            return
        }
        let sealed = try vault.sealCheckValue()
        try write { db in
            // Another process may have stored its check value first; then verify that one instead.
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO vaultCheck (id, sealed) VALUES (1, ?)").execute(arguments: [sealed])
        }
        let stored = try read { db in try Data.fetchOne(db.cachedStatement(sql: "SELECT sealed FROM vaultCheck WHERE id = 1")) }
        if let stored, stored != sealed { try vault.verifyCheckValue(stored) }
    }

    // MARK: Access with errors that name the file

    /// Runs `body`, which reads with one statement: SQLite runs a statement in a read transaction of its own, so it
    /// sees one state of the file and needs no transaction around it.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            // A queue (the in-memory store) serializes every access, so a read needs neither a transaction nor
            // GRDB's read-only switch around it; a pool's readers are read-only connections of their own, and the
            // transaction GRDB would open around the statement (a BEGIN and a COMMIT parsed and run on every read,
            // several a turn) isolates nothing more than the statement already is.
            if let queue = database as? DatabaseQueue { return try queue.inDatabase(body) }
            return try database.unsafeRead(body)
        } catch let error as DatabaseError {
            throw IntegrationStoreError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    /// Runs `body` in one immediate transaction, so a read-then-write is never interleaved with another process.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw IntegrationStoreError(path: path, detail: "a transaction returned no result") }
                return result
            }
        } catch let error as DatabaseError {
            throw IntegrationStoreError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }
}
