import GRDB
import ParleyJSON
import Synchronization

/// One data file, several processes: `parley sandbox` and `parley chat` may serve the same org at once.
///
/// Counters in the file give out record ids and number every change; a process catches up with changes
/// numbered above what it has seen before each write (inside the write's transaction, so nothing slips in
/// between) and before each REST request reads. A reset elsewhere bumps the generation, and the org is
/// loaded again.
extension RecordStore {
    /// Creates the counters, and brings a data file from before them up to date.
    static func prepareSharing(_ db: Database) throws {
        if try !db.columns(in: "sandbox_records").contains(where: { $0.name == "revision" }) {
            try db.execute(sql: "ALTER TABLE sandbox_records ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
        }
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS sandbox_records_revision ON sandbox_records (revision)")
        // A data file from before the counters starts its sequence after its last record.
        let existing = try db.tableExists("sandbox_counters")
        try SandboxCounter.prepare(db)
        if !existing {
            try db.execute(
                sql: "UPDATE sandbox_counters SET value = (SELECT COALESCE(MAX(sequence), 0) FROM sandbox_records) WHERE name = 'sequence'"
            )
        }
    }

    /// Reads every record and the counters they are current to.
    static func loadRecords(_ db: Database, into state: inout State) throws {
        for record in try records(db, sql: "SELECT id, sequence, type, fields, revision FROM sandbox_records ORDER BY sequence") {
            state.tables[record.type, default: RecordTable()].upsert(record)
        }
        state.revision = try SandboxCounter.revision.value(in: db)
        state.generation = try SandboxCounter.generation.value(in: db)
    }

    private static func records(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [StoredRecord] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).compactMap { row in
            let text: String = row["fields"]
            guard case .object(let fields) = try JSONValue(parsing: text) else { return nil }
            return StoredRecord(
                id: row["id"], type: row["type"], sequence: row["sequence"], fields: fields, revision: row["revision"])
        }
    }

    /// Catches up with what other processes wrote to the data file; call at the start of a write transaction,
    /// or inside a read for a request that reads the in-memory copy.
    func synchronize(_ db: Database) throws {
        guard isShared else { return }
        let counters = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(
                db.cachedStatement(sql: "SELECT name, value FROM sandbox_counters WHERE name IN ('revision', 'generation')")
            ).map { ($0["name"] as String, $0["value"] as Int) })
        let revision = counters[SandboxCounter.revision.rawValue] ?? 0
        let generation = counters[SandboxCounter.generation.rawValue] ?? 0
        let known = state.withLock { (revision: $0.revision, generation: $0.generation) }
        if generation != known.generation {
            var reloaded = State()
            try Self.loadRecords(db, into: &reloaded)
            state.withLock { state in
                for type in state.tables.keys where type != ObjectSchema.user.name { state.tables[type]?.removeAll() }
                for (type, table) in reloaded.tables { state.tables[type] = table }
                state.revision = reloaded.revision
                state.generation = reloaded.generation
            }
            cursors.withLock { $0.removeAll() }
            return
        }
        guard revision > known.revision else { return }
        let changed = try Self.records(
            db, sql: "SELECT id, sequence, type, fields, revision FROM sandbox_records WHERE revision > ? ORDER BY revision",
            arguments: [known.revision])
        state.withLock { state in
            for record in changed { state.tables[record.type, default: RecordTable()].upsert(record) }
            state.revision = max(state.revision, revision)
        }
    }

    /// Catches up with other processes' writes before a request reads; nothing to do for an in-memory org.
    ///
    /// The read is synchronous, as the OAuth store's are: a pool whose readers are also awaited could leave
    /// every concurrency thread waiting for a reader that only a concurrency thread can give back.
    func synchronize() throws {
        guard isShared else { return }
        try database.read { db in try self.synchronize(db) }
    }
}
