extension ChannelStore {
    /// ``ChannelStore/checkReachable()`` with a limit: a database that does not answer in time (a pool still trying to
    /// connect) is as unreachable as one that refuses, and a probe must not wait on it.
    func checkReachable(within limit: Duration) async throws {
        let (answered, answering) = AsyncStream<Result<Void, any Error>>.makeStream()
        // Unstructured, so that a check that does not end when cancelled cannot hold the probe.
        let check = Task {
            do {
                try await checkReachable()
                answering.yield(.success(()))
            } catch {
                answering.yield(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            answering.yield(.failure(StoreTimeout(limit: limit)))
        }
        defer {
            check.cancel()
            timer.cancel()
        }
        var iterator = answered.makeAsyncIterator()
        try await iterator.next()?.get()
    }
}

/// The store's database gave no answer in time.
struct StoreTimeout: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "the database gave no answer within \(limit.components.seconds) seconds" }
}
