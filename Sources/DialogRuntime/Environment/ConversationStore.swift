import Foundation
import Synchronization

/// Where conversations are kept between turns.
///
/// The runtime keeps active conversations in memory and writes each one through after a turn,
/// so a store only needs to be durable, not fast. Its errors reach the runtime's caller as a
/// ``ConversationStoreError``; the runtime never runs a turn on a conversation it could not load.
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

/// A conversation the store could not load, save or remove: a problem with storage, not with what the user said.
public struct ConversationStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Operation: String, Sendable, Hashable {
        case load, save, remove
    }

    public var operation: Operation
    public var user: UserID
    /// Why, as the store said it.
    public var reason: String

    public init(_ operation: Operation, user: UserID, reason: String) {
        self.operation = operation
        self.user = user
        self.reason = reason
    }

    /// Wraps what a store threw.
    init(_ operation: Operation, user: UserID, error: any Error) {
        self.init(operation, user: user, reason: String(describing: error))
    }

    public var description: String {
        "could not \(operation.rawValue) the conversation of \(user): \(reason)"
    }
}
