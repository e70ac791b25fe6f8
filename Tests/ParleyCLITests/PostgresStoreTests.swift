import DialogRuntime
import Foundation
import Integrations
import Logging
import ParleyJSON
import PostgresNIO
import Synchronization
import Testing

@testable import HTTPChannel

/// The PostgreSQL stores behind `parley serve --store postgres://…`: the same behaviour as the state folder's SQLite ones,
/// and a conversation lock that holds across processes.
@Suite struct PostgresStoreTests {
    /// The two kinds of store every case runs against.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a channel store and a conversation store of that kind, each new and empty.
    static func withStores(
        _ kind: Kind, _ body: (any ChannelStore, any ConversationStore) async throws -> Void
    ) async throws {
        let bot = "bot-\(UUID().uuidString)"
        switch kind {
        case .sqlite:
            let folder = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body(
                try SQLiteChannelStore(stateDirectory: folder.path, bot: bot),
                try SQLiteConversationStore(stateDirectory: folder.path, bot: bot))
        case .postgres:
            guard PostgresTestDatabase.url != nil else { return }
            try await PostgresTestDatabase.withFreshStores { database in
                let lock = PostgresConversationLock(database: database, bot: bot)
                try await body(
                    PostgresChannelStore(database: database, bot: bot),
                    PostgresConversationStore(database: database, bot: bot, lock: lock))
            }
        }
    }

    /// Runs `body` with two pools of connections to one fresh database, as two processes have them.
    static func withTwoProcesses(
        _ body: (PostgresStoreDatabase, PostgresStoreDatabase, Logger) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withFreshDatabase { url in
            let url = try PostgresURL(parsing: url)
            let logger = PostgresTestDatabase.logger
            try await PostgresStoreDatabase.with(url, logger: logger) { one in
                try await PostgresStoreDatabase.with(url, logger: logger) { two in
                    try await body(one, two, logger)
                }
            }
        }
    }

    static let eve = ConversationKey(caller: "web", user: "eve")
    static let otherEve = ConversationKey(caller: "crm", user: "eve")

    /// A key is claimed once: a retry gets the recorded reply, a claimed key without a reply is interrupted, and the same
    /// key for another message or in another conversation is told apart.
    @Test(.needsPostgres, arguments: Kind.allCases) func idempotencyKeys(_ kind: Kind) async throws {
        try await Self.withStores(kind) { store, _ in
            #expect(try await store.claim("k1", for: Self.eve, request: "digest-a") == .claimed)
            #expect(try await store.claim("k1", for: Self.eve, request: "digest-a") == .interrupted)
            try await store.finish("k1", for: Self.eve, reply: Data("reply one".utf8))
            #expect(try await store.claim("k1", for: Self.eve, request: "digest-a") == .finished(Data("reply one".utf8)))
            #expect(try await store.claim("k1", for: Self.eve, request: "digest-b") == .mismatch)
            #expect(try await store.claim("k1", for: Self.otherEve, request: "digest-b") == .claimed)
        }
    }

    /// Events come back in order after the cursor, one conversation's only, until acknowledged.
    @Test(.needsPostgres, arguments: Kind.allCases) func outbox(_ kind: Kind) async throws {
        try await Self.withStores(kind) { store, _ in
            let first = try await store.append(Data("one".utf8), for: Self.eve)
            let second = try await store.append(Data("two".utf8), for: Self.eve)
            _ = try await store.append(Data("not eve's".utf8), for: Self.otherEve)
            #expect(second > first)
            #expect(try await store.events(for: Self.eve, after: 0, limit: 10).map(\.payload) == [Data("one".utf8), Data("two".utf8)])
            #expect(try await store.events(for: Self.eve, after: first, limit: 10).map(\.id) == [second])
            #expect(try await store.events(for: Self.eve, after: 0, limit: 1).map(\.id) == [first])
            #expect(try await store.acknowledge(upTo: first, for: Self.eve) == 1)
            #expect(try await store.events(for: Self.eve, after: 0, limit: 10).map(\.id) == [second])
            #expect(try await store.events(for: Self.otherEve, after: 0, limit: 10).count == 1)
        }
    }

    /// A conversation saved is loaded back whole, replaced by the next save, and gone once removed.
    @Test(.needsPostgres, arguments: Kind.allCases) func conversations(_ kind: Kind) async throws {
        try await Self.withStores(kind) { _, store in
            let user = UserID("web/eve")
            #expect(try await store.load(user) == nil)
            var state = ConversationState()
            state.session["UserContext"] = ["name": "Eve"]
            try await store.save(state, for: user)
            #expect(try await store.load(user) == state)
            state.session["UserContext"] = ["name": "Eve Again"]
            try await store.save(state, for: user)
            #expect(try await store.load(user) == state)
            #expect(try await store.load(UserID("web/adam")) == nil)
            try await store.remove(user)
            #expect(try await store.load(user) == nil)
            #expect(store.isShared == (kind == .postgres))
        }
    }

    /// While one process (its own pool of connections) holds a conversation's lock, another waits for it; other
    /// conversations do not wait, and the holder may take the lock again without waiting for itself.
    @Test(.needsPostgres) func advisoryLockExcludesAnotherProcess() async throws {
        try await Self.withTwoProcesses { one, two, logger in
            let first = PostgresConversationLock(database: one, bot: "lead-bot")
            let second = PostgresConversationLock(database: two, bot: "lead-bot")
            let (entered, entering) = AsyncStream<Void>.makeStream()
            let (release, releasing) = AsyncStream<Void>.makeStream()
            let order = OrderLog()
            async let holder: Void = first.withLock(Self.eve, isolation: nil) {
                try await first.withLock(Self.eve, isolation: nil) { order.add("first holds") }
                entering.yield()
                for await _ in release { break }
                order.add("first releases")
            }
            for await _ in entered { break }
            try await second.withLock(Self.otherEve, isolation: nil) { order.add("other conversation") }
            async let waiter: Void = second.withLock(Self.eve, isolation: nil) { order.add("second holds") }
            try await Task.sleep(for: .milliseconds(300))
            releasing.yield()
            try await holder
            try await waiter
            #expect(order.entries == ["first holds", "other conversation", "first releases", "second holds"])
        }
    }

    /// A process that dies while it holds a conversation (its connection ends) frees it: PostgreSQL ends the lock with the
    /// connection, another process takes the conversation at once, and the holder's turn still ends instead of waiting
    /// forever for an answer on the dead connection.
    @Test(.needsPostgres, .timeLimit(.minutes(1))) func aDeadHoldersLockIsFreed() async throws {
        try await Self.withTwoProcesses { one, two, logger in
            let first = PostgresConversationLock(database: one, bot: "lead-bot")
            let second = PostgresConversationLock(database: two, bot: "lead-bot")
            let (entered, entering) = AsyncStream<Void>.makeStream()
            let (finish, finishing) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await first.withLock(Self.eve, isolation: nil) {
                    entering.yield()
                    for await _ in finish { break }
                }
            }
            for await _ in entered { break }
            // The holder's connection ends, as when its process is killed.
            try await two.queries.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """,
                logger: logger)
            let start = ContinuousClock.now
            try await second.withLock(Self.eve, isolation: nil) {}
            #expect(start.duration(to: .now) < .seconds(5))
            finishing.yield()
            _ = try await holder.value
        }
    }

    /// Events one process adds are announced to the others; a listener whose connection is lost listens again and says
    /// that any conversation may have changed meanwhile.
    @Test(.needsPostgres, .timeLimit(.minutes(1))) func outboxEventsAreAnnouncedAcrossProcesses() async throws {
        try await Self.withTwoProcesses { one, two, logger in
            let watching = PostgresChannelStore(database: one, bot: "lead-bot")
            let adding = PostgresChannelStore(database: two, bot: "lead-bot")
            let (announced, announcing) = AsyncStream<ConversationKey?>.makeStream()
            let watcher = Task { try await watching.watchOutboxes { announcing.yield($0) } }
            defer { watcher.cancel() }
            var announcements = announced.makeAsyncIterator()

            // Until the listener is in place, events are added again: the first one may come before it.
            let added = Task {
                while !Task.isCancelled {
                    _ = try await adding.append(Data("hello".utf8), for: Self.eve)
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            #expect(await announcements.next() == .some(Self.eve))
            added.cancel()
            _ = await added.result
            _ = try await PostgresChannelStore(database: two, bot: "another-bot").append(Data("hi".utf8), for: Self.eve)
            _ = try await adding.append(Data("again".utf8), for: Self.otherEve)
            // Events of another bot are not this store's to announce.
            var next = await announcements.next()
            while next == .some(Self.eve) { next = await announcements.next() }
            #expect(next == .some(Self.otherEve))

            try await two.queries.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE query LIKE 'LISTEN%' AND datname = current_database()
                """,
                logger: logger)
            #expect(await announcements.next() == .some(nil))
        }
    }

    /// The same conversation's lock number in every process; different ones for different conversations and bots.
    @Test func lockKeysAreStable() {
        #expect(PostgresConversationLock.key(bot: "b", user: "web/eve") == PostgresConversationLock.key(bot: "b", user: "web/eve"))
        #expect(PostgresConversationLock.key(bot: "b", user: "web/eve") != PostgresConversationLock.key(bot: "b", user: "crm/eve"))
        #expect(PostgresConversationLock.key(bot: "b", user: "web/eve") != PostgresConversationLock.key(bot: "c", user: "web/eve"))
    }

    /// A database that is not there is said to be unreachable, naming it without its password.
    @Test func unreachableDatabaseSaysSo() async throws {
        let url = try PostgresURL(parsing: "postgres://parley:hunter2@127.0.0.1:1/parley")
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresStoreDatabase.with(url, logger: PostgresTestDatabase.logger) { _ in }
        }
        let text = try #require(error).description
        #expect(
            text == "cannot connect (PostgreSQL database postgres://parley:•••@127.0.0.1:1/parley): "
                + "the connection was refused (is PostgreSQL running there?)")
        #expect(!text.contains("hunter2"))
    }
}

/// What happened, in order, across tasks.
final class OrderLog: Sendable {
    private let log = Mutex<[String]>([])
    func add(_ entry: String) { log.withLock { $0.append(entry) } }
    var entries: [String] { log.withLock { $0 } }
}

/// `--store` URLs: read part by part, each wrong part named, and the password never shown.
@Suite struct PostgresURLTests {
    /// Every part of a full URL is read, percent-encoding undone.
    @Test func readsEveryPart() throws {
        let url = try PostgresURL(parsing: "postgresql://app%40ops:p%40ss@db.internal:6543/parley%5Fprod?sslmode=require")
        #expect(url.user == "app@ops")
        #expect(url.password == "p@ss")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.database == "parley_prod")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://app%40ops:•••@db.internal:6543/parley_prod?sslmode=require")
        let plain = try PostgresURL(parsing: "postgres://parley@[::1]/parley")
        #expect(plain.port == 5432)
        #expect(plain.host == "::1")
        #expect(plain.tls == .prefer)
        #expect(plain.description == "postgres://parley@[::1]:5432/parley")
    }

    /// A wrong part is named, and the password is not repeated.
    @Test(arguments: [
        ("mysql://u@h/db", "the scheme must be postgres:// or postgresql://"),
        ("postgres://h:5432/db", "the user is missing"),
        ("postgres://u:secret@:5432/db", "the host is missing"),
        ("postgres://u:secret@h:99999/db", "the port must be a number from 1 to 65535, not '99999'"),
        ("postgres://u:secret@h:54x/db", "the port must be a number from 1 to 65535, not '54x'"),
        ("postgres://u:secret@h:5432", "the database is missing"),
        ("postgres://u:secret@h/db?sslmode=maybe", "sslmode must be one of disable, prefer, require, not 'maybe'"),
        ("postgres://u:secret@h/db?timeout=3", "unknown parameter 'timeout'"),
    ])
    func namesTheWrongPart(_ text: String, _ problem: String) {
        let error = #expect(throws: PostgresURLError.self) { try PostgresURL(parsing: text) }
        #expect(error?.problem.hasPrefix(problem) == true, "\(error?.problem ?? "no error")")
        #expect(error?.description.contains("secret") == false)
    }
}
