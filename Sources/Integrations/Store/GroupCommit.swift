import GRDB
import Synchronization

/// Writes that arrive while others are being committed, committed together in one transaction (group commit).
///
/// Each caller still returns only once its own write is committed. Concurrent turns then share a commit (its locks,
/// its write to the WAL, the transaction's bookkeeping) instead of each waiting in line for one of its own.
final class GroupCommit<Write: Sendable>: Sendable {
    private struct Waiting {
        var write: Write
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        /// Whether a task is committing; it takes whatever waits when its transaction ends.
        var committing = false
    }

    private let queue = Mutex(Queue())
    /// Commits the writes in one transaction, all or none.
    private let commit: @Sendable ([Write]) async throws -> Void

    init(commit: @escaping @Sendable ([Write]) async throws -> Void) {
        self.commit = commit
    }

    /// Commits `write`, with any that arrive while the one before is committing; returns once it is committed.
    func write(_ write: Write) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let leads = queue.withLock { queue in
                queue.waiting.append(Waiting(write: write, continuation: continuation))
                defer { queue.committing = true }
                return !queue.committing
            }
            if leads { Task { await commitWaiting() } }
        }
    }

    /// Commits what waits, batch after batch, until nothing does.
    private func commitWaiting() async {
        while true {
            let batch = queue.withLock { queue in
                let batch = queue.waiting
                queue.waiting = []
                if batch.isEmpty { queue.committing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await commit(batch.map(\.write))
                for waiting in batch { waiting.continuation.resume() }
            } catch {
                guard batch.count > 1 else {
                    batch[0].continuation.resume(throwing: error)
                    continue
                }
                // One write that fails must not fail the others with it: each is tried again on its own.
                for waiting in batch {
                    do {
                        try await commit([waiting.write])
                        waiting.continuation.resume()
                    } catch {
                        waiting.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}

/// A write to a database as a group commit takes it: statements run inside the transaction it shares with others.
typealias DatabaseWrite = @Sendable (Database) throws -> Void

extension GroupCommit where Write == DatabaseWrite {
    /// Commits the writes to `database` in one immediate transaction each batch, as `DatabaseWriter.write` would.
    ///
    /// Its BEGIN and COMMIT are statements the connection prepares once and keeps, where `write` parses them again
    /// for every transaction: turns often commit one or two at a time, and that parsing cost about as much as their
    /// saves.
    convenience init(_ database: any DatabaseWriter) {
        self.init { writes in
            try await database.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    for write in writes { try write(db) }
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                } catch {
                    // The write's error is the one to report, as `write` does; a rollback that fails (SQLite may have
                    // rolled back already) leaves nothing of the batch committed either way.
                    do { try db.rollback() } catch {}
                    throw error
                }
            }
        }
    }
}
