import DialogRuntime
public import Foundation
import Logging
import NIOCore
import ParleyJSON
import PostgresNIO

/// The channel's idempotency keys and outbox in PostgreSQL, shared by every process serving the bot: a retry reaching
/// another server gets the recorded reply, and an event added by one server wakes the long-polls and streams of all
/// (LISTEN/NOTIFY on `parley_outbox`).
public final class PostgresChannelStore: ChannelStore {
    private let database: PostgresStoreDatabase
    /// Whose conversations these are (see `IntegrationStore.botID(forBotDirectory:)`).
    public let bot: String
    /// How long a turn's reply is kept for retries.
    public let keyLifetime: TimeInterval

    /// The notification channel events are announced on.
    static let channel = "parley_outbox"

    public init(database: PostgresStoreDatabase, bot: String, keyLifetime: TimeInterval = 24 * 3600) {
        self.database = database
        self.bot = bot
        self.keyLifetime = keyLifetime
    }

    public func checkReachable() async throws {
        let logger = database.logger
        try await database.run("reach the database") {
            try await database.queries.query("SELECT 1 FROM parley_channel_outbox LIMIT 1", logger: logger)
        }
    }

    public func claim(_ key: String, for conversation: ConversationKey, request: String) async throws -> IdempotencyClaim {
        let (bot, lifetime, logger) = (self.bot, keyLifetime, database.logger)
        return try await database.run("claim an idempotency key") {
            // Keys outlive any sensible retry; dropping old ones here keeps the table small.
            try await database.queries.query(
                "DELETE FROM parley_channel_turn WHERE created_at < now() - make_interval(secs => \(lifetime))", logger: logger)
            let inserted = try await database.queries.query(
                """
                INSERT INTO parley_channel_turn (bot, caller, user_name, key, request)
                VALUES (\(bot), \(conversation.caller), \(conversation.user), \(key), \(request))
                ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger)
            for try await _ in inserted.decode(Int.self) { return .claimed }
            let rows = try await database.queries.query(
                """
                SELECT request, reply FROM parley_channel_turn
                WHERE bot = \(bot) AND caller = \(conversation.caller) AND user_name = \(conversation.user) AND key = \(key)
                """,
                logger: logger)
            for try await (recorded, reply) in rows.decode((String, ByteBuffer?).self) {
                guard recorded == request else { return .mismatch }
                guard let reply else { return .interrupted }
                return .finished(Data(reply.readableBytesView))
            }
            // Claimed and dropped as too old between the two statements: as good as never seen, but not run twice.
            return .interrupted
        }
    }

    public func finish(_ key: String, for conversation: ConversationKey, reply: Data) async throws {
        let (bot, logger) = (self.bot, database.logger)
        try await database.run("record a turn's reply") {
            try await database.queries.query(
                """
                UPDATE parley_channel_turn SET reply = \(ByteBuffer(bytes: reply))
                WHERE bot = \(bot) AND caller = \(conversation.caller) AND user_name = \(conversation.user) AND key = \(key)
                """,
                logger: logger)
        }
    }

    public func append(_ payload: Data, for conversation: ConversationKey) async throws -> Int64 {
        let (bot, logger) = (self.bot, database.logger)
        let lock = PostgresConversationLock.key(bot: "outbox\u{0}\(bot)", user: conversation.userID.rawValue)
        let announcement = JSONValue.array([.string(bot), .string(conversation.caller), .string(conversation.user)]).jsonText()
        return try await database.run("add an event to the outbox") {
            try await database.transaction(on: database.queries) { connection in
                // One conversation's events commit in the order of their ids, so a reader that saw an id never misses a
                // smaller one committed after it.
                try await connection.query("SELECT pg_advisory_xact_lock(\(lock))", logger: logger)
                let rows = try await connection.query(
                    """
                    INSERT INTO parley_channel_outbox (bot, caller, user_name, payload)
                    VALUES (\(bot), \(conversation.caller), \(conversation.user), \(ByteBuffer(bytes: payload))) RETURNING id
                    """,
                    logger: logger)
                var id: Int64 = 0
                for try await value in rows.decode(Int64.self) { id = value }
                // Delivered when the transaction commits, with the event visible.
                try await connection.query("SELECT pg_notify(\(Self.channel), \(announcement))", logger: logger)
                return id
            }
        }
    }

    public func events(for conversation: ConversationKey, after: Int64, limit: Int) async throws -> [OutboxEvent] {
        let (bot, logger) = (self.bot, database.logger)
        return try await database.run("read the outbox") {
            let rows = try await database.queries.query(
                """
                SELECT id, payload FROM parley_channel_outbox
                WHERE bot = \(bot) AND caller = \(conversation.caller) AND user_name = \(conversation.user) AND id > \(after)
                ORDER BY id LIMIT \(limit)
                """,
                logger: logger)
            var events: [OutboxEvent] = []
            for try await (id, payload) in rows.decode((Int64, ByteBuffer).self) {
                events.append(OutboxEvent(id: id, payload: Data(payload.readableBytesView)))
            }
            return events
        }
    }

    public func acknowledge(upTo: Int64, for conversation: ConversationKey) async throws -> Int {
        let (bot, logger) = (self.bot, database.logger)
        return try await database.run("acknowledge events") {
            let rows = try await database.queries.query(
                """
                WITH gone AS (
                    DELETE FROM parley_channel_outbox
                    WHERE bot = \(bot) AND caller = \(conversation.caller) AND user_name = \(conversation.user) AND id <= \(upTo)
                    RETURNING 1)
                SELECT count(*) FROM gone
                """,
                logger: logger)
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    /// Tells `changed` of every conversation of this bot that gets an event, from any process, until cancelled.
    ///
    /// A lost connection is reopened after a second; once listening again, `changed(nil)` has every waiting client
    /// look, for events added meanwhile.
    public func watchOutboxes(_ changed: @escaping @Sendable (ConversationKey?) -> Void) async throws {
        let (bot, logger) = (self.bot, database.logger)
        var missed = false
        while !Task.isCancelled {
            do {
                try await database.queries.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        if missed { changed(nil) }
                        missed = true
                        for try await notification in notifications {
                            guard let parts = try? JSONValue(parsing: notification.payload).arrayValue?.compactMap(\.stringValue),
                                parts.count == 3, parts[0] == bot
                            else { continue }
                            changed(ConversationKey(caller: parts[1], user: parts[2]))
                        }
                    }
                }
            } catch  where !Task.isCancelled {
                let detail = (error as? PSQLError).map(PostgresStoreDatabase.detail(of:)) ?? "\(error)"
                logger.warning(
                    "Listening for outbox events stopped; listening again in a second",
                    metadata: ["database": "\(database.url)", "problem": "\(detail)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
