import GRDB

extension SQLiteConversationStore {
    /// Runs `body` while the write-ahead log is moved into the database file by a connection and a queue of their own,
    /// every `interval`, instead of by whichever commit fills it.
    ///
    /// SQLite checkpoints inside the commit that takes the log past 1,000 pages, and with `synchronous = NORMAL` that
    /// commit then syncs the log and the database file to disk: often tens of milliseconds, during which the
    /// process's one writer, and every turn whose save waits on it, stands still. A server saving thousands of turns a
    /// second fills the log several times a second. Here a passive checkpoint, which waits for no writer and no writer
    /// waits for, copies the log over; it syncs the log before the database file takes its pages, as the commit did, so
    /// what a commit survives is unchanged.
    ///
    /// The log starts again from its beginning only once it has all been copied when a commit begins, which turns
    /// committing all the time seldom leave time for; so a commit still checkpoints when the log passes
    /// ``logPagesBeforeCommitsCheckpoint``, finding nearly all of it copied already, and the log stays that size at most.
    package func withCheckpointsApart<T>(
        every interval: Duration = .milliseconds(200), isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        // An in-memory database has no log.
        guard path != ":memory:" else { return try await body() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "parley.checkpoints"
        let checkpointer = try await named {
            let checkpointer = try DatabaseQueue(path: path, configuration: configuration)
            try await commitsCheckpoint(past: Self.logPagesBeforeCommitsCheckpoint)
            return checkpointer
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
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        checkpoints.cancel()
        await checkpoints.value
        do {
            try await named { try await commitsCheckpoint(past: Self.sqliteLogPagesBeforeCheckpoint) }
        } catch {
            // The error that ended `body` is the one to report; commits that do not checkpoint lose nothing meanwhile.
            guard case .failure = outcome else { throw error }
        }
        return try outcome.get()
    }

    /// How long the log grows (in pages of 4 KB, 40 MB) before a commit checkpoints while checkpoints run apart: a few
    /// seconds of a busy server's saves.
    static let logPagesBeforeCommitsCheckpoint = 10_000

    /// SQLite's own limit, which the writer keeps when checkpoints do not run apart.
    static let sqliteLogPagesBeforeCheckpoint = 1000

    /// Makes the writer checkpoint in the commit that takes the log past `pages` pages.
    private func commitsCheckpoint(past pages: Int) async throws {
        try await database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
        }
    }
}
