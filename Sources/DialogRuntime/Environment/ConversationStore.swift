import Foundation
import Synchronization

/// Where conversations are kept between turns.
///
/// The runtime keeps active conversations in memory and writes each one through after a turn,
/// so a store only needs to be durable, not fast. Its errors reach the runtime's caller as a
/// ``ConversationStoreError``; the runtime never runs a turn on a conversation it could not load.
///
/// A store several processes share (``isShared``) also keeps each conversation's turns in one process at a time.
public protocol ConversationStore: Sendable {
    func load(_ user: UserID) async throws -> ConversationState?
    func save(_ state: ConversationState, for user: UserID) async throws
    func remove(_ user: UserID) async throws

    /// Whether other processes run turns on these conversations too. The runtime then keeps no copy of a conversation
    /// between turns: each turn reads it from the store inside ``exclusively(_:isolation:_:)``.
    var isShared: Bool { get }

    /// Runs `body` while no other process runs a turn of the user's conversation; a store that is not shared just runs it.
    func exclusively<T: Sendable>(
        _ user: UserID, isolation: isolated (any Actor)?, _ body: () async throws -> T
    ) async throws -> T
}

extension ConversationStore {
    public var isShared: Bool { false }

    public func exclusively<T: Sendable>(
        _ user: UserID, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        try await body()
    }
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
