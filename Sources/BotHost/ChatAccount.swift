public import DialogRuntime

/// What the chat's `/whoami`, `/signout` and `/open` do, given by the host that knows the integration.
public struct ChatAccount: Sendable {
    /// A line saying who the user is connected as, or that they are not.
    public var whoami: @Sendable (UserID) async -> String
    /// Disconnects the user and returns a line saying what was done.
    public var signOut: @Sendable (UserID) async -> String
    /// Opens a link in the system browser; `false` when there is none to open it with.
    public var openInBrowser: @Sendable (String) -> Bool

    public init(
        whoami: @escaping @Sendable (UserID) async -> String, signOut: @escaping @Sendable (UserID) async -> String,
        openInBrowser: @escaping @Sendable (String) -> Bool
    ) {
        self.whoami = whoami
        self.signOut = signOut
        self.openInBrowser = openInBrowser
    }
}
