import Foundation
import Synchronization

/// Where conversations are kept between turns.
///
/// The runtime keeps active conversations in memory and writes each one through after a turn,
/// so a store only needs to be durable, not fast.
public protocol ConversationStore: Sendable {
    func load(_ user: UserID) async throws -> ConversationState?
    func save(_ state: ConversationState, for user: UserID) async throws
    func remove(_ user: UserID) async throws
}

/// Keeps conversations in memory only; the default, and what tests use.
public final class InMemoryConversationStore: ConversationStore {
    private let states = Mutex<[UserID: ConversationState]>([:])

    public init() {}

    public func load(_ user: UserID) async throws -> ConversationState? {
        states.withLock { $0[user] }
    }

    public func save(_ state: ConversationState, for user: UserID) async throws {
        states.withLock { $0[user] = state }
    }

    public func remove(_ user: UserID) async throws {
        _ = states.withLock { $0.removeValue(forKey: user) }
    }
}
