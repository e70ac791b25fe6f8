public import DialogModel
public import DialogRuntime

/// A bot as a host runs it: the runtime a channel sends turns to, and what the channel shows besides the turns.
public struct RunningBot: Sendable {
    public let bot: Bot
    public let runtime: BotRuntime
    /// Lines for the person chatting from outside the conversation: setup notes, a callback for no link.
    public let notices: HostNotices
    /// `/whoami`, `/signout` and `/open`; `nil` for a bot without an integration to sign in to.
    public let account: ChatAccount?
    /// Hides credentials in text meant for people (traces, warnings, context dumps).
    public let redacting: @Sendable (String) -> String
    /// Told each turn's sensitive values, so that log lines mask them too.
    public let sensitiveValuesSeen: @Sendable (SensitiveText) -> Void
    /// How many authorization links wait for a browser now (unused, unexpired); 0 without an integration.
    public let pendingAuthorizations: @Sendable () async throws -> Int
}
