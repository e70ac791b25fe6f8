import DialogRuntime
import Synchronization

/// Lets one turn of a conversation run at a time: the idempotency check, the turn and its recorded reply together.
///
/// The in-process lock serves one `parley serve`; several processes sharing a database need one they all see
/// (a PostgreSQL advisory lock on the conversation's key), behind the same protocol.
public protocol ConversationLock: Sendable {
    /// Runs `body` while no other `body` for the same conversation runs.
    func withLock<T: Sendable>(
        _ conversation: ConversationKey, isolation: isolated (any Actor)?, _ body: () async throws -> T
    ) async throws -> T
}

/// Serializes each conversation's turns within this process, first come first served.
public final class LocalConversationLock: ConversationLock {
    /// Held conversations (the runtime's user), each with the turns waiting for it in order.
    private let held = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    public init() {}

    public func withLock<T: Sendable>(
        _ conversation: ConversationKey, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        try await withLock(conversation.userID.rawValue, body)
    }

    /// Runs `body` while no other `body` for the runtime user `user` runs in this process.
    func withLock<T: Sendable>(
        _ conversation: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        await acquire(conversation)
        defer { release(conversation) }
        return try await body()
    }

    private func acquire(_ conversation: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free = held.withLock { held in
                guard var waiting = held[conversation] else {
                    held[conversation] = []
                    return true
                }
                waiting.append(continuation)
                held[conversation] = waiting
                return false
            }
            if free { continuation.resume() }
        }
    }

    /// Hands the conversation to the next waiting turn, or frees it.
    private func release(_ conversation: String) {
        let next = held.withLock { held -> CheckedContinuation<Void, Never>? in
            guard var waiting = held[conversation], !waiting.isEmpty else {
                held[conversation] = nil
                return nil
            }
            let next = waiting.removeFirst()
            held[conversation] = waiting
            return next
        }
        next?.resume()
    }
}
