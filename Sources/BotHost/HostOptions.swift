public import DialogRuntime
public import Foundation
public import Integrations
public import ParleyJSON

/// What a host needs to know to run a bot: where its files and Parley's state are, and what the command line
/// overrides.
public struct HostOptions: Sendable {
    /// The bot's folder: bot.yaml and one YAML file per dialog task.
    public var botFolder: String
    /// The folder for Parley's state: history, conversations, tokens, the sandbox's data.
    public var stateFolder: String
    /// Bot variables that replace bot.yaml's `env:` values.
    public var variableOverrides: [String: JSONValue]

    /// Where conversations are kept; the state folder's SQLite database when `nil`.
    public var conversationStore: (any ConversationStore)?
    /// Where tokens, authorization links and code confirmations are kept when other processes share them; the state
    /// folder's SQLite database when `nil`. The action's configuration and profiles are always the state folder's.
    public var authorizationStore: (any SharedAuthorizationStore)?
    /// The state folder's integration store, when the caller opened it already (to share its connections with the
    /// stores it keeps beside it); the host opens it when `nil`.
    public var openIntegrationStore: IntegrationStore?
    /// Where the in-process sandbox listens when that port is free (otherwise any free port).
    public var sandboxPort: Int = BotHost.defaultSandboxPort
    /// Where the OAuth callback and the authorization short links are served.
    public var callbacks: CallbackServing
    /// Told of every service call a turn makes, after it ends, with the integration's name (`http` for plain
    /// service nodes); a server counts them.
    public var serviceCallObserver: @Sendable (_ integration: String, _ outcome: ServiceCallOutcome) -> Void

    public init(
        botFolder: String, stateFolder: String, variableOverrides: [String: JSONValue] = [:], callbacks: CallbackServing = .ownServer,
        serviceCallObserver: @escaping @Sendable (_ integration: String, _ outcome: ServiceCallOutcome) -> Void = { _, _ in }
    ) {
        self.botFolder = botFolder
        self.stateFolder = stateFolder
        self.variableOverrides = variableOverrides
        self.callbacks = callbacks
        self.serviceCallObserver = serviceCallObserver
    }

    /// The bot's integration store in the state folder: its actions, authorization profiles and tokens.
    public func integrationStore() throws -> IntegrationStore {
        if let openIntegrationStore { return openIntegrationStore }
        return try IntegrationStore(stateDirectory: stateFolder, bot: IntegrationStore.botID(forBotDirectory: botFolder))
    }

    /// The local sandbox's data file, shared by `parley sandbox`, `parley chat` and `parley actions`.
    public var sandboxDataPath: String {
        URL(fileURLWithPath: stateFolder).appendingPathComponent("sandbox.sqlite").path
    }

    /// The line editor's history file.
    public var historyFile: URL {
        URL(fileURLWithPath: stateFolder).appendingPathComponent("history")
    }
}

/// Where a running bot's OAuth callback and authorization links are served.
public enum CallbackServing: Sendable {
    /// The host starts a loopback callback server of its own, on its usual port when that is free.
    case ownServer
    /// A channel serves them on its own server at `baseURL` (`http://host:port`, no trailing slash) and answers
    /// with the handlers the host sets on `handlers` once the bot runs.
    case mounted(baseURL: String, handlers: OAuthCallbackServer.PendingHandlers)
}

/// How a service call ended, as a server's metrics count it.
public enum ServiceCallOutcome: Sendable, Hashable {
    /// The service answered with this HTTP status.
    case answered(status: Int)
    /// The user must authorize first; nothing was sent.
    case authorizationRequired
    /// No answer: a timeout, a broken connection, credentials only the operator can fix.
    case failed
}
