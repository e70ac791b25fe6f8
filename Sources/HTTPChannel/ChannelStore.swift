public import Foundation

/// What the HTTP channel keeps durably besides conversations: the replies of turns sent with an idempotency key, and
/// the outbox of messages produced between turns until the client acknowledges them.
///
/// SQLite serves one process; a PostgreSQL store lets several share users, behind the same protocol.
public protocol ChannelStore: Sendable {
    /// Claims an idempotency key for a turn about to run, or says what became of the turn that claimed it.
    ///
    /// - Parameter request: a digest of the request, so a key reused for a different message is refused.
    func claim(_ key: String, for conversation: ConversationKey, request: String) async throws -> IdempotencyClaim
    /// Records the reply of the turn that claimed `key`, for retries.
    func finish(_ key: String, for conversation: ConversationKey, reply: Data) async throws
    /// Adds a message for the client to fetch; returns its event id, larger than every earlier one.
    func append(_ payload: Data, for conversation: ConversationKey) async throws -> Int64
    /// The conversation's events after `after`, oldest first, at most `limit`.
    func events(for conversation: ConversationKey, after: Int64, limit: Int) async throws -> [OutboxEvent]
    /// Forgets the conversation's events up to `upTo`, which the client has; returns how many were forgotten.
    func acknowledge(upTo: Int64, for conversation: ConversationKey) async throws -> Int
    /// Tells `changed` of conversations that get events from other processes, until cancelled, or `nil` when any may
    /// have (it could not watch for a while); returns at once for a store only this process uses, whose events the
    /// server knows of as it adds them.
    func watchOutboxes(_ changed: @escaping @Sendable (ConversationKey?) -> Void) async throws
    /// Returns once the store's database answers as turns need it to; throws what is wrong when it cannot be reached
    /// or used, for `/readyz`.
    func checkReachable() async throws
}

extension ChannelStore {
    public func watchOutboxes(_ changed: @escaping @Sendable (ConversationKey?) -> Void) async throws {}
}

/// What became of an idempotency key.
public enum IdempotencyClaim: Sendable, Equatable {
    /// Never seen: the turn may run, and its reply must be recorded with ``ChannelStore/finish(_:for:reply:)``.
    case claimed
    /// The turn ran; this is its reply.
    case finished(Data)
    /// A turn claimed the key and never recorded a reply (the server stopped in the middle): whether it ran is not
    /// known, so it is not run again.
    case interrupted
    /// The key was used for a different message.
    case mismatch
}

/// A message waiting in the outbox.
public struct OutboxEvent: Sendable, Hashable {
    public var id: Int64
    public var payload: Data

    public init(id: Int64, payload: Data) {
        self.id = id
        self.payload = payload
    }
}
