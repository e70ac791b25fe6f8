import Synchronization

/// Wakes the long-polls and event streams of a conversation when its outbox gets an event, and all of them when
/// the server shuts down.
final class OutboxSignal: Sendable {
    private struct State {
        var waiters: [ConversationKey: [Int: CheckedContinuation<Void, Never>]] = [:]
        var nextID = 0
        /// Waits woken before they were registered (a timeout that came first); they end as soon as they register.
        var woken: Set<Int> = []
        var shuttingDown = false
    }

    private let state = Mutex(State())

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Waits until the conversation gets an event, `timeout` passes or the server shuts down.
    func wait(for conversation: ConversationKey, timeout: Duration) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state in
                        if state.shuttingDown || state.woken.remove(id) != nil { return true }
                        state.waiters[conversation, default: [:]][id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.resume(conversation, id: id)
            }
            await group.next()
            group.cancelAll()
            // Whichever ended first, the other one must not keep the group waiting.
            self.resume(conversation, id: id)
        }
        state.withLock { _ = $0.woken.remove(id) }
    }

    /// Wakes everyone waiting on the conversation.
    func notify(_ conversation: ConversationKey) {
        let waiting = state.withLock { $0.waiters.removeValue(forKey: conversation) } ?? [:]
        for continuation in waiting.values { continuation.resume() }
    }

    /// Wakes everyone waiting now, to look for events they may not have been told of.
    func notifyEveryone() {
        let waiting = state.withLock { state in
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap(\.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Wakes everyone, now and later: the server is stopping.
    func shutDown() {
        let waiting = state.withLock { state in
            state.shuttingDown = true
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap(\.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    private func resume(_ conversation: ConversationKey, id: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let continuation = state.waiters[conversation]?.removeValue(forKey: id) else {
                state.woken.insert(id)
                return nil
            }
            if state.waiters[conversation]?.isEmpty == true { state.waiters[conversation] = nil }
            return continuation
        }
        continuation?.resume()
    }
}
