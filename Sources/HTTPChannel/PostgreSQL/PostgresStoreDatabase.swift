import Logging
import NIOSSL
public import PostgresNIO

/// One PostgreSQL database shared by every `parley serve` that names it: conversations, the channel's idempotency keys
/// and outbox, tokens and authorization links, and the advisory locks that keep each conversation's turns in one process
/// at a time.
///
/// Two pools of connections: one for queries, one whose connections each hold a conversation's lock for the length of
/// a turn, so turns waiting for locks never starve the queries the turns holding them need.
public final class PostgresStoreDatabase: Sendable {
    public let url: PostgresURL
    let queries: PostgresClient
    let locks: PostgresClient
    let logger: Logger

    /// The schema's versions in order, each a list of statements; each version runs once per database, in one
    /// transaction with its version's row.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE parley_conversation (
                bot TEXT NOT NULL, user_id TEXT NOT NULL, format INTEGER NOT NULL, state TEXT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (bot, user_id))
            """,
            """
            CREATE TABLE parley_channel_turn (
                bot TEXT NOT NULL, caller TEXT NOT NULL, user_name TEXT NOT NULL, key TEXT NOT NULL,
                request TEXT NOT NULL, reply BYTEA, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (bot, caller, user_name, key))
            """,
            "CREATE INDEX parley_channel_turn_age ON parley_channel_turn (created_at)",
            """
            CREATE TABLE parley_channel_outbox (
                id BIGSERIAL PRIMARY KEY,
                bot TEXT NOT NULL, caller TEXT NOT NULL, user_name TEXT NOT NULL,
                payload BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
            "CREATE INDEX parley_channel_outbox_conversation ON parley_channel_outbox (bot, caller, user_name, id)",
        ],
        // Tokens, authorization links and code confirmations, sealed by the vault as in the state folder; times are
        // seconds since 1970, as the runtime's clock gives them.
        [
            "CREATE TABLE parley_vault_check (bot TEXT PRIMARY KEY, sealed BYTEA NOT NULL)",
            """
            CREATE TABLE parley_token (
                bot TEXT NOT NULL, action TEXT NOT NULL, user_name TEXT NOT NULL,
                sealed BYTEA NOT NULL, username TEXT, authorized_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (bot, action, user_name))
            """,
            """
            CREATE TABLE parley_pending_authorization (
                state TEXT PRIMARY KEY,
                bot TEXT NOT NULL, action TEXT NOT NULL, user_name TEXT NOT NULL, conversation TEXT NOT NULL,
                verifier BYTEA NOT NULL, redirect_uri TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL, used_at DOUBLE PRECISION,
                link_id TEXT UNIQUE, authorize_url TEXT)
            """,
            "CREATE INDEX parley_pending_authorization_user ON parley_pending_authorization (bot, action, user_name, conversation)",
            "CREATE INDEX parley_pending_authorization_age ON parley_pending_authorization (expires_at)",
            """
            CREATE TABLE parley_code_confirmation (
                bot TEXT NOT NULL, action TEXT NOT NULL, user_name TEXT NOT NULL, conversation TEXT NOT NULL,
                sealed BYTEA NOT NULL, username TEXT, expires_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (bot, action, user_name))
            """,
            """
            CREATE TABLE parley_action_problem (
                bot TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, occurred_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (bot, action))
            """,
        ],
        // The settings the shared tokens were granted under, so that a server started with others drops them.
        [
            """
            CREATE TABLE parley_action_grant (
                bot TEXT NOT NULL, action TEXT NOT NULL,
                authorization_mode TEXT NOT NULL, app TEXT NOT NULL, profile TEXT, login_url TEXT,
                PRIMARY KEY (bot, action))
            """
        ],
    ]

    /// Any number, the same in every process: the lock under which the schema is migrated.
    private static let migrationLock: Int64 = 0x7061_726C_6579_0001

    private init(url: PostgresURL, turnsAtOnce: Int, tls: PostgresClient.Configuration.TLS, logger: Logger) {
        self.url = url
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        configuration.options.maximumConnections = 10
        queries = PostgresClient(configuration: configuration, backgroundLogger: logger)
        configuration.options.maximumConnections = turnsAtOnce
        locks = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Connects, creates or updates the schema, runs `body`, and closes every connection afterwards.
    ///
    /// - Parameter turnsAtOnce: how many conversations' turns this process runs at once; each holds a connection for
    ///   its lock, so the database must allow that many (and the query pool's ten) for each process.
    /// - Throws: ``PostgresStoreError`` when the database cannot be reached or its schema cannot be made.
    public static func with<T>(
        _ url: PostgresURL, turnsAtOnce: Int = 32, logger: Logger, isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresStoreDatabase) async throws -> T
    ) async throws -> T {
        let tls: PostgresClient.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        let database = PostgresStoreDatabase(url: url, turnsAtOnce: turnsAtOnce, tls: tls, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await database.queries.run() }
            group.addTask { await database.locks.run() }
            defer { group.cancelAll() }
            try await database.migrate()
            return try await body(database)
        }
    }

    /// Brings the schema up to date; several processes starting at once take turns.
    ///
    /// On a connection of its own, so a database that is not there, or refuses the credentials, is said to be so at
    /// once: a pool keeps trying to connect instead.
    private func migrate() async throws {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw PostgresStoreError(url: url, doing: "connect", detail: "TLS cannot be set up: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await run("connect") {
            try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        }
        do {
            try await run("prepare the schema") {
                try await connection.query("BEGIN", logger: logger)
                do {
                    try await migrate(on: connection)
                } catch {
                    if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                    throw error
                }
                try await connection.query("COMMIT", logger: logger)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// The migrations not applied yet, in the transaction open on `connection`.
    private func migrate(on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS parley_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            logger: logger)
        var applied = 0
        for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM parley_schema", logger: logger)
            .decode(Int.self)
        {
            applied = version
        }
        guard applied <= Self.migrations.count else {
            throw PostgresStoreError(
                url: url, doing: "prepare the schema", detail: "the database was made by a newer Parley (schema version \(applied))")
        }
        for (index, statements) in Self.migrations.enumerated().dropFirst(applied) {
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO parley_schema (version) VALUES (\(index + 1))", logger: logger)
        }
    }

    /// Runs `body` in a transaction on a connection of `pool`: committed when it returns, rolled back when it throws.
    ///
    /// A connection the database closed meanwhile (a restart, an administrator) ended its transaction with it, and a
    /// query sent on it would never be answered: then there is nothing to end, and the body's outcome stands.
    func transaction<T: Sendable>(
        on pool: PostgresClient, isolation: isolated (any Actor)? = #isolation, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await pool.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
            if !connection.isClosed { try await connection.query("COMMIT", logger: logger) }
            return value
        }
    }

    /// Runs a database call, with errors that say what was being done, where, and what the server said.
    @discardableResult
    func run<T>(_ doing: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresStoreError {
            throw error
        } catch let error as PSQLError {
            throw PostgresStoreError(url: url, doing: doing, detail: Self.detail(of: error))
        }
    }

    /// What went wrong, as a person can read it: the server's message, or why the connection failed.
    static func detail(of error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            return error.serverInfo?[.sqlState].map { "\(message) (SQLSTATE \($0))" } ?? message
        }
        if let underlying = error.underlying {
            let text = "\(underlying)"
            if text.contains("Connection refused") { return "the connection was refused (is PostgreSQL running there?)" }
            return text
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown: return "the connection failed or was closed"
        case .poolClosed: return "the connection pool is closed"
        default: return "\(error.code)"
        }
    }
}

/// Parley could not use the PostgreSQL database `--store` names: it is not reachable, refuses the credentials, or
/// refused a query.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The database, its password masked.
    public var url: PostgresURL
    /// What Parley was doing: "connect", "load a conversation".
    public var doing: String
    public var detail: String

    public var description: String { "cannot \(doing) (PostgreSQL database \(url)): \(detail)" }
}
