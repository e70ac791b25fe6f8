import Foundation
import GRDB
import ParleyJSON
import SalesforceWire
import Synchronization

/// The sandbox org's users and records, persisted in SQLite and served from memory.
///
/// Every write goes to SQLite first and then to the in-memory copy, inside the same write
/// transaction, so readers never wait for disk. A data file may be shared with another process
/// (`parley sandbox` and `parley chat` on one state folder): record ids come from a counter in the
/// file, each write first catches up with what the other process wrote, and each REST request reads
/// after ``synchronize()`` (see `RecordStore+Sharing.swift`).
final class RecordStore: Sendable {
    let database: any DatabaseWriter
    let clock: @Sendable () -> Date
    /// Whether other processes may write the database too: a data file, not an in-memory org.
    let isShared: Bool

    struct State: Sendable {
        var tables: [String: RecordTable] = [:]
        var users: [String: UserEntry] = [:]
        /// Lowercased username → user id.
        var userIDsByUsername: [String: String] = [:]
        /// Every change up to this value of the file's change counter is in `tables`.
        var revision = 0
        /// The file's reset counter when `tables` was loaded; a reset elsewhere means loading again.
        var generation = 0
    }

    struct UserEntry: Sendable {
        var user: SandboxUser
        var password: PasswordHash
    }

    let state = Mutex(State())
    /// Parsed queries and their plans by text: clients repeat queries, and parsing and name checks add up.
    let queryCache = Mutex(QueryCache())
    let cursors = Mutex(QueryCursors())

    /// Opens the store on `database`, creating its tables when missing and the built-in users.
    ///
    /// - Parameters:
    ///   - database: The sandbox's SQLite database, shared with the OAuth store.
    ///   - clock: The current time; tests pass a fixed or advancing clock.
    init(database: any DatabaseWriter, clock: @escaping @Sendable () -> Date) throws {
        self.database = database
        self.clock = clock
        self.isShared = database is DatabasePool
        // With WAL, NORMAL still survives a crash of the process; it skips the fsync per commit that
        // would cap creates at the disk's flush rate.
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS sandbox_users (
                        id TEXT PRIMARY KEY NOT NULL,
                        username TEXT NOT NULL UNIQUE,
                        first_name TEXT NOT NULL,
                        last_name TEXT NOT NULL,
                        email TEXT NOT NULL,
                        title TEXT NOT NULL,
                        is_admin INTEGER NOT NULL,
                        password_salt TEXT NOT NULL,
                        password_hash TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS sandbox_records (
                        id TEXT PRIMARY KEY NOT NULL,
                        sequence INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        fields TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 0
                    );
                    """)
            try Self.prepareSharing(db)
            for (user, password) in SandboxUser.builtIn {
                let hash = PasswordHash(password: password)
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO sandbox_users
                        (id, username, first_name, last_name, email, title, is_admin, password_salt, password_hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        user.id, user.username, user.firstName, user.lastName, user.email, user.title, user.isAdmin,
                        hash.salt, hash.digest,
                    ])
            }
        }
        try load()
    }

    /// A store over a copy of a prepared database (``SandboxTemplate``), whose records are already in `state`.
    init(database: any DatabaseWriter, clock: @escaping @Sendable () -> Date, restoring state: State) {
        self.database = database
        self.clock = clock
        self.isShared = false
        self.state.withLock { $0 = state }
    }

    /// Reads everything from SQLite into memory.
    private func load() throws {
        let loaded = try database.read { db -> State in
            var loaded = State()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM sandbox_users") {
                let user = SandboxUser(
                    id: row["id"], username: row["username"], firstName: row["first_name"],
                    lastName: row["last_name"], email: row["email"], isAdmin: row["is_admin"], title: row["title"])
                loaded.users[user.id] = UserEntry(
                    user: user, password: PasswordHash(salt: row["password_salt"], digest: row["password_hash"]))
                loaded.userIDsByUsername[user.username.lowercased()] = user.id
            }
            try Self.loadRecords(db, into: &loaded)
            return loaded
        }
        var withUsers = loaded
        for entry in loaded.users.values {
            withUsers.tables[ObjectSchema.user.name, default: RecordTable()].upsert(Self.userRecord(entry.user))
        }
        state.withLock { $0 = withUsers }
    }

    /// Users are queryable as `User` records.
    private static func userRecord(_ user: SandboxUser) -> StoredRecord {
        StoredRecord(
            id: user.id, type: ObjectSchema.user.name, sequence: 0,
            fields: [
                "Id": .string(user.id), "Username": .string(user.username), "Name": .string(user.name),
                "FirstName": .string(user.firstName), "LastName": .string(user.lastName),
                "Email": .string(user.email), "Title": .string(user.title), "IsActive": .bool(true),
            ])
    }

    // MARK: Users

    /// The user whose username is `username`, ignoring case as Salesforce does.
    func user(username: String) -> SandboxUser? {
        state.withLock { state in
            state.userIDsByUsername[username.lowercased()].flatMap { state.users[$0]?.user }
        }
    }

    /// The user with the 15- or 18-character id `id`.
    func user(id: String) -> SandboxUser? {
        guard let recordID = RecordID(id) else { return nil }
        return state.withLock { $0.users[recordID.value]?.user }
    }

    /// The user when `password` is theirs, otherwise `nil`.
    func verifyPassword(username: String, password: String) -> SandboxUser? {
        let entry = state.withLock { state in
            state.userIDsByUsername[username.lowercased()].flatMap { state.users[$0] }
        }
        guard let entry, entry.password.matches(password) else { return nil }
        return entry.user
    }

    // MARK: Snapshots

    /// The records of `type` as they are now; callers read them without holding the lock.
    func snapshot(of type: String) -> [StoredRecord] {
        state.withLock { $0.tables[type]?.records ?? [] }
    }

    /// The record `id` of `type`, deleted or not.
    func storedRecord(type: String, id: String) -> StoredRecord? {
        state.withLock { $0.tables[type]?.record(id: id) }
    }

    /// Allocates the next record id for `schema` from the data file's counter, inside a write transaction:
    /// prefix, instance `Pa`, a zero and a base-62 counter.
    func allocateID(for schema: ObjectSchema, in db: Database) throws -> (id: String, sequence: Int) {
        let sequence = try SandboxCounter.sequence.advance(in: db)
        return (RecordID.withChecksum(schema.keyPrefix + "Pa0" + Self.base62(sequence, width: 9)), sequence)
    }

    private static func base62(_ value: Int, width: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits: [Character] = []
        var remaining = value
        while remaining > 0 {
            digits.append(alphabet[remaining % 62])
            remaining /= 62
        }
        while digits.count < width { digits.append("0") }
        return String(digits.reversed())
    }

    // MARK: Persistence

    /// Writes `record` to SQLite and then to memory, with the next change number; call inside a write
    /// transaction that began with ``synchronize(_:)``.
    func save(_ record: StoredRecord, in db: Database) throws {
        var record = record
        record.revision = try SandboxCounter.revision.advance(in: db)
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO sandbox_records (id, sequence, type, fields, revision) VALUES (?, ?, ?, ?, ?)")
        try statement.execute(arguments: [
            record.id, record.sequence, record.type, JSONValue.object(record.fields).jsonText(), record.revision,
        ])
        let saved = record
        state.withLock { state in
            state.tables[saved.type, default: RecordTable()].upsert(saved)
            state.revision = max(state.revision, saved.revision)
        }
    }

    /// Deletes every record (users stay) and seeds the demo data again; other processes on the file load
    /// the org afresh.
    func reset() throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM sandbox_records")
            try SandboxCounter.sequence.set(to: 0, in: db)
            let generation = try SandboxCounter.generation.advance(in: db)
            let revision = try SandboxCounter.revision.value(in: db)
            state.withLock { state in
                for type in state.tables.keys where type != ObjectSchema.user.name { state.tables[type]?.removeAll() }
                state.generation = generation
                state.revision = revision
            }
        }
        cursors.withLock { $0.removeAll() }
        try seedIfEmpty()
    }
}
