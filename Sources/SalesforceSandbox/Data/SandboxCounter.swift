import GRDB

/// Counters kept in the sandbox's database, shared by every process that opens the data file.
enum SandboxCounter: String {
    /// The last record sequence number given out (record ids are made from it).
    case sequence
    /// The last record change number given out.
    case revision
    /// How many times the org's records were reset.
    case generation
    /// How many times tokens were revoked or expired, so other processes drop the tokens they remember.
    case revocations

    /// Creates the counters that do not exist yet, at zero.
    static func prepare(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS sandbox_counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                INSERT OR IGNORE INTO sandbox_counters (name, value)
                VALUES ('sequence', 0), ('revision', 0), ('generation', 0), ('revocations', 0);
                """)
    }

    func value(in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM sandbox_counters WHERE name = ?"), arguments: [rawValue]) ?? 0
    }

    /// Adds one and returns the new value; call inside a write transaction.
    func advance(in db: Database) throws -> Int {
        try db.cachedStatement(sql: "UPDATE sandbox_counters SET value = value + 1 WHERE name = ?").execute(arguments: [rawValue])
        return try value(in: db)
    }

    func set(to value: Int, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE sandbox_counters SET value = ? WHERE name = ?").execute(arguments: [value, rawValue])
    }
}
