import Crypto
import DialogRuntime
import Foundation
import Logging
import PostgresNIO

/// Keeps each conversation's turns in one process at a time across every process sharing the database: a PostgreSQL
/// advisory lock on a 64-bit hash of the bot and the conversation, held in a transaction for the turn.
///
/// Turns of one conversation in this process queue here first, so each process waits for the database lock with one
/// connection at most per conversation. Held locks are remembered in the task, so the runtime taking the lock for a
/// turn the channel already locked (the idempotency check, the turn and its reply together) goes straight through.
/// A process that dies loses its connections, and PostgreSQL releases their locks.
public final class PostgresConversationLock: ConversationLock {
    private let database: PostgresStoreDatabase
    /// Whose conversations these are: locks of different bots never collide.
    private let bot: String
    private let local = LocalConversationLock()

    /// The conversations the current task holds.
    @TaskLocal private static var held: Set<String> = []

    public init(database: PostgresStoreDatabase, bot: String) {
        self.database = database
        self.bot = bot
    }

    public func withLock<T: Sendable>(
        _ conversation: ConversationKey, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        try await withLock(conversation.userID.rawValue, body)
    }

    /// Runs `body` while no process sharing the database runs another `body` for the runtime user `user`.
    func withLock<T: Sendable>(
        _ user: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        if Self.held.contains(user) { return try await body() }
        let key = Self.key(bot: bot, user: user)
        let logger = database.logger
        return try await local.withLock(user) {
            let outcome: Result<T, any Error> = try await database.run("lock a conversation") {
                try await database.transaction(on: database.locks) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(key))", logger: logger)
                    // The body's errors are its own: they end the transaction (the lock with it) and are rethrown as
                    // they were, not as the database's.
                    do {
                        return .success(try await Self.$held.withValue(Self.held.union([user])) { try await body() })
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return try outcome.get()
        }
    }

    /// The lock's number: the first 8 bytes of SHA-256 over the bot and the user, the same in every process.
    static func key(bot: String, user: String) -> Int64 {
        let digest = SHA256.hash(data: Data("parley.conversation\u{0}\(bot)\u{0}\(user)".utf8))
        return digest.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}
