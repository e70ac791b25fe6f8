import GRDB

extension SQLiteConversationStore {
    /// Runs `body` while the write-ahead log is moved into the database file by a connection and a queue of their own,
    /// every `interval`, instead of by whichever commit fills it.
    ///
    /// SQLite checkpoints inside the commit that takes the log past 1,000 pages, and with `synchronous = NORMAL` that
    /// commit then syncs the log and the database file to disk: often tens of milliseconds, during which the
    /// process's one writer, and every turn whose save waits on it, stands still. A server saving thousands of turns a
    /// second fills the log several times a second. Here commits only append to the log, and a passive checkpoint,
    /// which waits for no writer and no writer waits for, copies it over; it syncs the log before the database file
    /// takes its pages, as the commit did, so what a commit survives is unchanged.
    package func withCheckpointsApart<T>(
        every interval: Duration = .milliseconds(200), isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        // An in-memory database has no log.
        guard path != ":memory:" else { return try await body() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "parley.checkpoints"
        let checkpointer: DatabaseQueue
        do {
            checkpointer = try DatabaseQueue(path: path, configuration: configuration)
            try await setCommitsCheckpoint(false)
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
        let checkpoints = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A checkpoint that fails (another process checkpointing at the same moment) loses nothing: the pages
                // stay in the log, where readers find them, until the next one copies them.
                _ = try? await checkpointer.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
            }
        }
        let result: T
        do {
            result = try await body()
        } catch {
            checkpoints.cancel()
            await checkpoints.value
            // The error that ended `body` is the one to report; commits that do not checkpoint lose nothing meanwhile.
            try? await setCommitsCheckpoint(true)
            throw error
        }
        checkpoints.cancel()
        await checkpoints.value
        do {
            try await setCommitsCheckpoint(true)
        } catch let error as DatabaseError {
            throw ConversationDatabaseError(path: path, detail: error.message ?? "\(error.resultCode)")
        }
        return result
    }

    /// Whether the writer checkpoints in the commit that fills the log (SQLite's default, at 1,000 pages).
    private func setCommitsCheckpoint(_ checkpoints: Bool) async throws {
        try await database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(checkpoints ? 1000 : 0)")
        }
    }
}
