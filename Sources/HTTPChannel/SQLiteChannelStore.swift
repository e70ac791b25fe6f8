public import Foundation
import GRDB
public import Integrations

/// The channel's idempotency keys and outbox in the state folder's `parley.sqlite`, beside the conversations; each
/// write commits (to the WAL, as the conversations do) before the API answers, so a reply or event the client was told
/// of survives the process.
public final class SQLiteChannelStore: ChannelStore {
    public let path: String
    /// Whose conversations these are (see `IntegrationStore.botID(forBotDirectory:)`).
    public let bot: String
    /// How long a turn's reply is kept for retries.
    public let keyLifetime: TimeInterval
    private let database: any DatabaseWriter
    /// Connections of the store's own for reads (see `SQLiteConversationStore`: synchronous readers elsewhere must not
    /// wait for these).
    private let reader: any DatabaseReader

    public convenience init(stateDirectory: String, bot: String, keyLifetime: TimeInterval = 24 * 3600) throws {
        try self.init(
            path: (stateDirectory as NSString).appendingPathComponent(IntegrationStore.fileName), bot: bot, keyLifetime: keyLifetime)
    }

    public convenience init(path: String, bot: String, keyLifetime: TimeInterval = 24 * 3600) throws {
        try StateFolder.makePrivate(file: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "parley.channel"
        let database: DatabasePool
        do {
            database = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
        try self.init(database: database, reader: database, path: path, bot: bot, keyLifetime: keyLifetime)
    }

    /// Keeps the keys and the outbox beside the conversations, through the conversation store's connections, so
    /// the process writes the file through one connection (see `SQLiteConversationStore.init(sharing:)`).
    public convenience init(sharing conversations: SQLiteConversationStore, keyLifetime: TimeInterval = 24 * 3600) throws {
        let reader = try SQLiteConversationStore.openReader(path: conversations.path, label: "parley.channel")
        try self.init(
            database: conversations.database, reader: reader, path: conversations.path, bot: conversations.bot, keyLifetime: keyLifetime)
    }

    private init(
        database: any DatabaseWriter, reader: any DatabaseReader, path: String, bot: String, keyLifetime: TimeInterval
    ) throws {
        self.path = path
        self.bot = bot
        self.keyLifetime = keyLifetime
        self.database = database
        self.reader = reader
        do {
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS channelTurn (
                            bot TEXT NOT NULL, caller TEXT NOT NULL, user TEXT NOT NULL, key TEXT NOT NULL,
                            request TEXT NOT NULL, reply BLOB, createdAt DOUBLE NOT NULL,
                            PRIMARY KEY (bot, caller, user, key));
                        CREATE TABLE IF NOT EXISTS channelOutbox (
                            id INTEGER PRIMARY KEY AUTOINCREMENT,
                            bot TEXT NOT NULL, caller TEXT NOT NULL, user TEXT NOT NULL,
                            payload BLOB NOT NULL, createdAt DOUBLE NOT NULL);
                        CREATE INDEX IF NOT EXISTS channelOutboxConversation ON channelOutbox (bot, caller, user, id);
                        """)
            }
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    public func claim(_ key: String, for conversation: ConversationKey, request: String) async throws -> IdempotencyClaim {
        let (bot, now, lifetime) = (self.bot, Date().timeIntervalSince1970, keyLifetime)
        return try await named {
            try await database.write { db in
                // Keys outlive any sensible retry; dropping old ones here keeps the table small.
                try db.cachedStatement(sql: "DELETE FROM channelTurn WHERE createdAt < ?").execute(arguments: [now - lifetime])
                if let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT request, reply FROM channelTurn WHERE bot = ? AND caller = ? AND user = ? AND key = ?"),
                    arguments: [bot, conversation.caller, conversation.user, key])
                {
                    guard row["request"] as String == request else { return .mismatch }
                    guard let reply = row["reply"] as Data? else { return .interrupted }
                    return .finished(reply)
                }
                try db.cachedStatement(
                    sql: "INSERT INTO channelTurn (bot, caller, user, key, request, createdAt) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [bot, conversation.caller, conversation.user, key, request, now])
                return .claimed
            }
        }
    }

    public func finish(_ key: String, for conversation: ConversationKey, reply: Data) async throws {
        let bot = self.bot
        try await named {
            try await database.write { db in
                try db.cachedStatement(
                    sql: "UPDATE channelTurn SET reply = ? WHERE bot = ? AND caller = ? AND user = ? AND key = ?"
                ).execute(arguments: [reply, bot, conversation.caller, conversation.user, key])
            }
        }
    }

    public func append(_ payload: Data, for conversation: ConversationKey) async throws -> Int64 {
        let (bot, now) = (self.bot, Date().timeIntervalSince1970)
        return try await named {
            try await database.write { db in
                try db.cachedStatement(
                    sql: "INSERT INTO channelOutbox (bot, caller, user, payload, createdAt) VALUES (?, ?, ?, ?, ?)"
                ).execute(arguments: [bot, conversation.caller, conversation.user, payload, now])
                return db.lastInsertedRowID
            }
        }
    }

    public func events(for conversation: ConversationKey, after: Int64, limit: Int) async throws -> [OutboxEvent] {
        let bot = self.bot
        return try await named {
            try await reader.read { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT id, payload FROM channelOutbox WHERE bot = ? AND caller = ? AND user = ? AND id > ?
                            ORDER BY id LIMIT ?
                            """),
                    arguments: [bot, conversation.caller, conversation.user, after, limit]
                ).map { OutboxEvent(id: $0["id"], payload: $0["payload"]) }
            }
        }
    }

    public func acknowledge(upTo: Int64, for conversation: ConversationKey) async throws -> Int {
        let bot = self.bot
        return try await named {
            try await database.write { db in
                try db.cachedStatement(sql: "DELETE FROM channelOutbox WHERE bot = ? AND caller = ? AND user = ? AND id <= ?")
                    .execute(arguments: [bot, conversation.caller, conversation.user, upTo])
                return db.changesCount
            }
        }
    }

    /// The file is still in the state folder and answers a query: a file removed from under the server would take every
    /// later turn with it when the process ends.
    public func checkReachable() async throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConversationDatabaseError(path: path, detail: "the database file was removed while the server runs")
        }
        try await named {
            try await database.read { db in try db.execute(sql: "SELECT 1 FROM channelOutbox LIMIT 1") }
        }
    }

    /// Runs a database call with errors that name the file (the conversations' file, which these tables share).
    private func named<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }
}
