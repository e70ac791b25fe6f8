public import DialogRuntime

/// A conversation as the API knows it: the authenticated caller, and the user the caller names.
///
/// The runtime's user is `caller/user`; names cannot hold `/`, so no caller can name another's conversation.
public struct ConversationKey: Sendable, Hashable, CustomStringConvertible {
    public var caller: String
    public var user: String

    public init(caller: String, user: String) {
        self.caller = caller
        self.user = user
    }

    /// The runtime's user for this conversation.
    public var userID: UserID { UserID("\(caller)/\(user)") }

    /// The conversation of a runtime user this channel made; `nil` for one it did not.
    public init?(_ userID: UserID) {
        let parts = userID.rawValue.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(caller: String(parts[0]), user: String(parts[1]))
    }

    public var description: String { userID.rawValue }
}
