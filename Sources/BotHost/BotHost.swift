public import AsyncHTTPClient
public import DialogModel
public import DialogRuntime
import Foundation
public import Integrations
import ParleyJSON
import SalesforceAPI
import SalesforceSandbox
import Synchronization

/// Assembles a running bot from a bot folder, a state folder and options: the conversation and integration
/// stores, the token vault, the Salesforce action with its OAuth callback server, and the local sandbox when
/// the action points at it. Channels (the REPL, later a server) only turn input into turns on what it gives them.
public enum BotHost {
    /// Where the in-process sandbox listens when the port is free, as `parley sandbox` does.
    public static let defaultSandboxPort = 8975

    /// Runs `body` with the bot running; everything the host started stops when `body` returns or throws.
    ///
    /// - Parameter wrappingHTTP: wraps the service nodes' plain HTTP (a chat's recording keeps the answers).
    public static func withRunningBot<T>(
        _ bot: Bot, options: HostOptions, wrappingHTTP: @escaping @Sendable (HTTPService) -> HTTPService = { $0 },
        _ body: (RunningBot) async throws -> T
    ) async throws -> T {
        try StateFolder.prepare(options.stateFolder)
        let assembly = Assembly(bot: bot, options: options, wrappingHTTP: wrappingHTTP)
        guard bot.usesIntegration(SalesforceAuthorizer.action) else {
            return try await withHTTPClient { client in
                try await body(assembly.run(http: .asyncHTTPClient(client), integrations: [:]))
            }
        }
        let store = try options.integrationStore()
        guard let configuration = try assembly.actionConfiguration(store: store) else {
            assembly.notices.add(
                "The Salesforce action is not enabled, so tasks that use Salesforce will fail. Enable it with "
                    + "`parley actions enable salesforce --authorization user --app system`.")
            return try await withHTTPClient { client in
                try await body(assembly.run(http: .asyncHTTPClient(client), integrations: [:]))
            }
        }
        let authorizations: any AuthorizationStore = options.authorizationStore ?? store
        if let shared = options.authorizationStore {
            if try await shared.adopt(configuration) {
                assembly.notices.add(
                    "The Salesforce action's settings differ from those its shared tokens were granted under; those tokens "
                        + "and links were removed, and users authorize again.")
            }
            try await assembly.shareBotToken(from: store, to: shared)
        }
        // The callback server starts first, on its usual port when that is free: the authorizer needs its URL. A
        // channel that serves the callback itself has its URL already.
        return try await withCallbacks(options.callbacks) { linkBase, handlers in
            try await withSalesforceEnvironment(
                options: options, configuration: configuration, callbackURL: linkBase + OAuthCallbackServer.path
            ) { environment, client in
                let authorizer = SalesforceAuthorizer(
                    store: store, authorizations: authorizations, environment: environment, httpClient: client,
                    linkBase: linkBase, linkLifetime: bot.settings.authorization.linkLifetime,
                    confirmWithCode: bot.settings.authorization.confirmWithCode)
                let runtimeBox = RuntimeBox()
                let notices = assembly.notices
                handlers.set(
                    .salesforce(authorizer) { outcome in
                        // The chat itself says how an authorization ended; only a callback for no link of ours is
                        // the operator's business.
                        if case .rejected(let reason) = outcome {
                            notices.show("A browser came back to the callback with no link of this chat; nothing changed (\(reason))")
                        }
                        if let runtime = runtimeBox.runtime { await outcome.deliver(to: runtime) }
                    })
                if let sandbox = environment.localSandbox {
                    notices.add("Salesforce: the local sandbox at \(sandbox.baseURL) (log in as demo@parley.dev / parley-demo).")
                }
                let running = try assembly.run(
                    http: .asyncHTTPClient(client), sharing: store,
                    integrations: [SalesforceAuthorizer.action: SalesforceIntegration(authorizer: authorizer)],
                    account: .salesforce(authorizer),
                    pendingAuthorizations: { try await authorizations.liveLinkCount(now: Date()) })
                runtimeBox.runtime = running.runtime
                return try await body(running)
            }
        }
    }

    /// Runs `body` with where authorization links start (`http://host:port`) and the handlers to set for them: a
    /// callback server of the host's own, or the channel's.
    private static func withCallbacks<T>(
        _ serving: CallbackServing, _ body: (_ linkBase: String, OAuthCallbackServer.PendingHandlers) async throws -> T
    ) async throws -> T {
        switch serving {
        case .mounted(let baseURL, let handlers):
            return try await body(baseURL, handlers)
        case .ownServer:
            let handlers = OAuthCallbackServer.PendingHandlers()
            return try await OAuthCallbackServer.withCallbackServer(anyPortIfTaken: true, handlers: handlers.forwarding) { server in
                try await body("http://\(server.host):\(server.port)", handlers)
            }
        }
    }

    /// Runs `body` with what the Salesforce action needs; for the local sandbox, the sandbox runs in-process
    /// meanwhile, on its usual port when that is free, with `callbackURL` registered for the system app.
    public static func withSalesforceEnvironment<T>(
        options: HostOptions, configuration: ActionConfiguration, callbackURL: String,
        _ body: (SalesforceEnvironment, HTTPClient) async throws -> T
    ) async throws -> T {
        try await withHTTPClient { httpClient in
            guard configuration.usesLocalSandbox else {
                return try await body(SalesforceEnvironment(callbackURL: callbackURL), httpClient)
            }
            var callbacks = SandboxConfiguration.defaultSystemAppCallbacks
            if !callbacks.contains(callbackURL) { callbacks.append(callbackURL) }
            try StateFolder.makePrivate(file: options.sandboxDataPath)
            // The sandbox's usual port when it is free, so authorization links a chat sent still open after a restart.
            let sandboxConfiguration = SandboxConfiguration(
                port: options.sandboxPort, anyPortIfTaken: true, dataPath: options.sandboxDataPath,
                systemAppCallbacks: callbacks)
            return try await withSandbox(configuration: sandboxConfiguration) { sandbox in
                // A data file made earlier keeps its registered callbacks; add this one when it is new.
                if !SandboxConfiguration.defaultSystemAppCallbacks.contains(callbackURL) {
                    try sandbox.registerCallback(callbackURL)
                }
                let local = LocalSandbox(baseURL: sandbox.baseURL, systemClientSecret: try sandbox.systemApp().clientSecret)
                return try await body(SalesforceEnvironment(localSandbox: local, callbackURL: callbackURL), httpClient)
            }
        }
    }
}

/// The parts of a running bot that do not depend on how Salesforce is reached.
private struct Assembly {
    let bot: Bot
    let options: HostOptions
    let wrappingHTTP: @Sendable (HTTPService) -> HTTPService
    let notices = HostNotices()

    /// The runtime over the state folder's conversations: a chat that quits or is killed continues where it was.
    ///
    /// - Parameter sharing: the integration store, open already; the conversations' table is written through its
    ///   connection, so the process has one writer of the state database.
    func run(
        http: HTTPService, sharing integrationStore: IntegrationStore? = nil, integrations: [String: any Integration],
        account: ChatAccount? = nil, pendingAuthorizations: @escaping @Sendable () async throws -> Int = { 0 }
    ) throws -> RunningBot {
        let botID = IntegrationStore.botID(forBotDirectory: options.botFolder)
        let conversations: any ConversationStore
        if let store = options.conversationStore {
            conversations = store
        } else if let integrationStore {
            conversations = try SQLiteConversationStore(sharing: integrationStore)
        } else {
            conversations = try SQLiteConversationStore(stateDirectory: options.stateFolder, bot: botID)
        }
        let observer = options.serviceCallObserver
        let environment = RuntimeEnvironment(
            http: ObservedServices.http(wrappingHTTP(http), observer: observer),
            integrations: integrations.mapValues { ObservedServices.Observed(base: $0, observer: observer) },
            store: conversations, clock: .live, random: .live, variableOverrides: options.variableOverrides)
        return RunningBot(
            bot: bot,
            runtime: try BotRuntime(
                prepared: PreparedBot(
                    bot, variableOverrides: options.variableOverrides,
                    models: ModelFolder(stateFolder: options.stateFolder, bot: botID)),
                environment: environment),
            notices: notices, account: account,
            redacting: CredentialRedaction.redacting, sensitiveValuesSeen: { RedactingLogHandler.remember($0) },
            pendingAuthorizations: pendingAuthorizations)
    }

    /// The bot's own token, which `parley actions authorize` keeps in the state folder, goes to a store shared with other
    /// servers when it is newer than the one there: every server of a pre-authorized bot then signs with it.
    func shareBotToken(from local: IntegrationStore, to shared: any AuthorizationStore) async throws {
        let action = SalesforceAuthorizer.action
        guard let token = try local.authorization(action: action, user: "") else { return }
        if let current = try await shared.authorization(action: action, user: ""), current.authorizedAt >= token.authorizedAt {
            return
        }
        try await shared.saveAuthorization(token, action: action)
        notices.add("The bot's own Salesforce token from this state folder now serves every server sharing the store.")
    }

    /// The action's configuration; when it is not enabled yet and bot.yaml says how, enables it that way.
    func actionConfiguration(store: IntegrationStore) throws -> ActionConfiguration? {
        if let configuration = try store.configuration(of: SalesforceAuthorizer.action) { return configuration }
        guard let defaults = bot.settings.integrations[SalesforceAuthorizer.action]?.objectValue else { return nil }
        let authorization = defaults["authorization"]?.stringValue.flatMap(AuthorizationMode.init(rawValue:)) ?? .user
        let app = defaults["app"]?.stringValue.flatMap(AppChoice.init(rawValue:)) ?? .system
        let configuration = ActionConfiguration(
            action: SalesforceAuthorizer.action, authorization: authorization, app: app,
            profile: defaults["profile"]?.stringValue, loginURL: defaults["loginUrl"]?.stringValue,
            apiVersion: defaults["apiVersion"]?.stringValue ?? ActionConfiguration.defaultAPIVersion)
        try configuration.validate()
        try store.enable(configuration)
        notices.add("Enabled the Salesforce action as bot.yaml says (authorization: \(authorization.rawValue), app: \(app.rawValue)).")
        return configuration
    }
}

/// The runtime, once it exists, for callbacks set up before it.
private final class RuntimeBox: Sendable {
    private let value = Mutex<BotRuntime?>(nil)

    var runtime: BotRuntime? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
