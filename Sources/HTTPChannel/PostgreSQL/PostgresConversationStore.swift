public import DialogRuntime
import Foundation
import Logging
import PostgresNIO

/// Conversations in PostgreSQL, one row per bot and user, the whole state as JSON (the SQLite store's format), shared
/// by every process serving the bot.
///
/// Shared: the runtime reads each conversation at the start of its turn, under the conversation's advisory lock.
public final class PostgresConversationStore: ConversationStore {
    private let database: PostgresStoreDatabase
    /// Whose conversations these are (see `IntegrationStore.botID(forBotDirectory:)`).
    public let bot: String
    private let lock: PostgresConversationLock

    /// The version of the stored JSON; a row written by a newer Parley is refused rather than misread.
    static let format = 1

    /// - Parameter lock: the lock the channel takes around turns, so a turn it locked is not locked again.
    public init(database: PostgresStoreDatabase, bot: String, lock: PostgresConversationLock) {
        self.database = database
        self.bot = bot
        self.lock = lock
    }

    public var isShared: Bool { true }

    public func exclusively<T: Sendable>(
        _ user: UserID, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        try await lock.withLock(user.rawValue, body)
    }

    public func load(_ user: UserID) async throws -> ConversationState? {
        let (bot, logger) = (self.bot, database.logger)
        let row = try await database.run("load a conversation") {
            var found: (Int, String)?
            let rows = try await database.queries.query(
                "SELECT format, state FROM parley_conversation WHERE bot = \(bot) AND user_id = \(user.rawValue)",
                logger: logger)
            for try await row in rows.decode((Int, String).self) { found = row }
            return found
        }
        guard let (format, text) = row else { return nil }
        guard format <= Self.format else {
            throw PostgresStoreError(
                url: database.url, doing: "load a conversation",
                detail: "the conversation of \(user) was written by a newer Parley (format \(format))")
        }
        do {
            return try ConversationState(storedJSON: text)
        } catch {
            throw PostgresStoreError(
                url: database.url, doing: "load a conversation", detail: "the conversation of \(user) cannot be read back (\(error))")
        }
    }

    public func save(_ state: ConversationState, for user: UserID) async throws {
        let text = state.storedJSON()
        let (bot, logger, format) = (self.bot, database.logger, Self.format)
        try await database.run("save a conversation") {
            try await database.queries.query(
                """
                INSERT INTO parley_conversation (bot, user_id, format, state) VALUES (\(bot), \(user.rawValue), \(format), \(text))
                ON CONFLICT (bot, user_id) DO UPDATE SET format = excluded.format, state = excluded.state, updated_at = now()
                """,
                logger: logger)
        }
    }

    public func remove(_ user: UserID) async throws {
        let (bot, logger) = (self.bot, database.logger)
        try await database.run("remove a conversation") {
            try await database.queries.query(
                "DELETE FROM parley_conversation WHERE bot = \(bot) AND user_id = \(user.rawValue)", logger: logger)
        }
    }

    /// The users who have a stored conversation with this bot, for tools and tests.
    public func users() async throws -> [UserID] {
        let (bot, logger) = (self.bot, database.logger)
        return try await database.run("list conversations") {
            var users: [UserID] = []
            let rows = try await database.queries.query(
                "SELECT user_id FROM parley_conversation WHERE bot = \(bot) ORDER BY user_id", logger: logger)
            for try await name in rows.decode(String.self) { users.append(UserID(name)) }
            return users
        }
    }
}
