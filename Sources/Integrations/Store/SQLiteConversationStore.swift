public import DialogRuntime
public import Foundation
package import GRDB

/// Conversations in SQLite, one row per bot and user: the whole state as JSON, written after every turn.
///
/// It lives in the state folder's `parley.sqlite`, next to the integration store's tables. WAL and a busy
/// timeout let several processes use the file. The connection runs WAL with `synchronous = NORMAL` (GRDB's
/// setting for a pool): a commit is in the WAL file, in the operating system's hands, before the write returns,
/// so it survives the process being killed at any moment; only a crash of the operating system or a power loss
/// can take the last commits with it, which saves an fsync per turn. Deleted and replaced conversations are
/// overwritten on disk (`secure_delete`), so `/reset` forgets for real.
public final class SQLiteConversationStore: ConversationStore {
    /// The database file.
    public let path: String
    /// Whose conversations these are: the bot's identity (see `IntegrationStore.botID(forBotDirectory:)`).
    public let bot: String
    /// The connection that writes: the store's own, or the integration store's when it shares it (see
    /// ``init(sharing:)``), which the HTTP channel's store shares in turn.
    package let database: any DatabaseWriter
    /// The connections that read: always the store's own. The integration store reads synchronously, blocking its
    /// thread until a reader is free; if it shared readers with these asynchronous reads, it could block every
    /// concurrency thread while the readers wait for a thread to be handed back.
    private let reader: any DatabaseReader
    /// Saves committed together when turns end at the same time, each turn's save still returning only once
    /// committed: with the integration store's other writes of turns when sharing its database.
    private let saves: GroupCommit<DatabaseWrite>

    /// The version of the stored JSON; a row written by a newer Parley is refused rather than misread.
    static let format = 1

    /// Opens (creating when needed) the conversations in a state folder's `parley.sqlite`.
    ///
    /// - Throws: `StateFolderError` when the folder or file cannot be made; `ConversationDatabaseError` when
    ///   SQLite cannot open it.
    public convenience init(stateDirectory: String, bot: String) throws {
        try self.init(path: (stateDirectory as NSString).appendingPathComponent(IntegrationStore.fileName), bot: bot)
    }

    /// Opens (creating when needed) the conversations in the database at `path`, made private (0600).
    public convenience init(path: String, bot: String) throws {
        try StateFolder.makePrivate(file: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "parley.conversations"
        let database: DatabasePool
        do {
            database = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
        try self.init(database: database, reader: database, saves: GroupCommit(database), path: path, bot: bot)
    }

    /// Keeps the conversations in the integration store's database through its connections.
    ///
    /// One process then writes the file through one connection: writes wait their turn in the process instead
    /// of meeting at SQLite's file lock, where a waiting writer sleeps and retries (a turn that sends an
    /// authorization link could sleep behind a stream of conversation saves).
    public convenience init(sharing integrations: IntegrationStore) throws {
        let reader = try Self.openReader(path: integrations.path, label: "parley.conversations")
        try self.init(
            database: integrations.database, reader: reader, saves: integrations.turnWrites, path: integrations.path,
            bot: integrations.bot)
    }

    /// Connections of their own to read the database at `path`; an in-memory database has only the one it is.
    package static func openReader(path: String, label: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = label
        do {
            return try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    private init(
        database: any DatabaseWriter, reader: any DatabaseReader, saves: GroupCommit<DatabaseWrite>, path: String, bot: String
    ) throws {
        self.path = path
        self.bot = bot
        self.database = database
        self.reader = reader
        self.saves = saves
        do {
            try database.writeWithoutTransaction { db in
                // Per connection; only the writer deletes or replaces rows.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.inTransaction(.immediate) {
                    try db.execute(
                        sql: """
                            CREATE TABLE IF NOT EXISTS conversation (
                                bot TEXT NOT NULL, user TEXT NOT NULL,
                                format INTEGER NOT NULL, state TEXT NOT NULL, updatedAt DOUBLE NOT NULL,
                                PRIMARY KEY (bot, user));
                            """)
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    public func load(_ user: UserID) async throws -> ConversationState? {
        let bot = self.bot
        let row = try await named {
            // One statement runs in a read transaction of its own: the one `read` would open around it (a BEGIN and a
            // COMMIT on every load) isolates nothing more.
            try await reader.unsafeRead { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT format, state FROM conversation WHERE bot = ? AND user = ?"),
                    arguments: [bot, user.rawValue])
            }
        }
        guard let row else { return nil }
        let format: Int = row["format"]
        guard format <= Self.format else {
            throw ConversationDatabaseError(
                path: path, detail: "the conversation of \(user) was written by a newer Parley (format \(format))")
        }
        let text: String = row["state"]
        do {
            return try ConversationState(storedJSON: text)
        } catch {
            throw ConversationDatabaseError(path: path, detail: "the conversation of \(user) cannot be read back (\(error))")
        }
    }

    public func save(_ state: ConversationState, for user: UserID) async throws {
        let (bot, user, json, updatedAt) = (self.bot, user.rawValue, state.storedJSON(), Date().timeIntervalSince1970)
        try await named {
            try await saves.write { db in
                try db.cachedStatement(
                    sql: """
                        INSERT INTO conversation (bot, user, format, state, updatedAt) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (bot, user) DO UPDATE SET format = excluded.format, state = excluded.state,
                        updatedAt = excluded.updatedAt
                        """
                ).execute(arguments: [bot, user, Self.format, json, updatedAt])
            }
        }
    }

    public func remove(_ user: UserID) async throws {
        let bot = self.bot
        try await named {
            try await database.write { db in
                try db.cachedStatement(sql: "DELETE FROM conversation WHERE bot = ? AND user = ?").execute(arguments: [
                    bot, user.rawValue,
                ])
            }
        }
    }

    /// The users who have a stored conversation with this bot, for tools and tests.
    public func users() async throws -> [UserID] {
        let bot = self.bot
        let names = try await named {
            try await reader.read { db in
                try String.fetchAll(
                    db.cachedStatement(sql: "SELECT user FROM conversation WHERE bot = ? ORDER BY user"), arguments: [bot])
            }
        }
        return names.map { UserID($0) }
    }

    /// Runs a database call with errors that name the file.
    func named<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }
}

/// Parley could not read or write the conversations in its state database.
public struct ConversationDatabaseError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "cannot use the conversation database \(path): \(detail)" }
}
