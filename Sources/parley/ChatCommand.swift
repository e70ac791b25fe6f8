import ArgumentParser
import AsyncHTTPClient
import Channels
import DialogModel
import DialogRuntime
import Foundation
import Glibc
import Integrations
import LineEditing
import ParleyJSON
import Synchronization

/// `parley chat`: talk to the bot in a line-edited terminal session.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with the bot in the terminal.",
        discussion: """
            Line editing with history (saved in the state folder), Ctrl-R to search it, Tab to complete \
            commands and answers. Type /help for the chat's own commands. When standard input is not a \
            terminal, lines are read plainly and no escape codes are printed, so a chat can be scripted.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Who is chatting; each user has their own conversation.")
    var user: String = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "you"

    @Flag(help: "Show the nodes and transitions each turn runs.")
    var debug = false

    @Option(name: .customLong("env"), help: ArgumentHelp("Override a bot variable from bot.yaml's env: section.", valueName: "name=value"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Write the chat as a transcript that replays with parley test (like /record).", valueName: "file"))
    var record: String?

    func validate() throws {
        for assignment in variables {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ValidationError("--env takes name=value, not '\(assignment)'")
            }
            guard equals != assignment.startIndex else {
                throw ValidationError("--env takes name=value with the variable's name before '=', not '\(assignment)'")
            }
        }
        // The empty user is the bot's own: its Salesforce token is the pre-authorized one.
        guard !user.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--user needs a name for who is chatting; it is empty")
        }
        if let record { try OutputFile.check(record, option: "--record") }
    }

    func run() async throws {
        let loaded = try loadBot(options.bot)
        try StateFolder.prepare(options.state)
        guard loaded.bot.usesIntegration(SalesforceAuthorizer.action) else {
            try await withHTTPClient { client in
                try await chat(loaded.bot, http: .asyncHTTPClient(client), integrations: [:], notices: Notices())
            }
            return
        }
        try await chatWithSalesforce(loaded.bot)
    }

    /// Chats with a bot whose tasks use Salesforce: the local sandbox runs in-process when the action
    /// points at it, and the OAuth callback server lets users authorize from the chat.
    private func chatWithSalesforce(_ bot: Bot) async throws {
        let store = try IntegrationStore(stateDirectory: options.state, bot: IntegrationStore.botID(forBotDirectory: options.bot))
        let notices = Notices()
        guard let configuration = try actionConfiguration(for: bot, store: store, notices: notices) else {
            notices.add(
                "The Salesforce action is not enabled, so tasks that use Salesforce will fail. Enable it with "
                    + "`parley actions enable salesforce --authorization user --app system`.")
            try await withHTTPClient { client in
                try await chat(bot, http: .asyncHTTPClient(client), integrations: [:], notices: notices)
            }
            return
        }
        // The callback server starts first, on its usual port when that is free: the authorizer needs its URL.
        let handlers = OAuthCallbackServer.PendingHandlers()
        try await OAuthCallbackServer.withCallbackServer(anyPortIfTaken: true, handlers: handlers.forwarding) { server in
            try await withSalesforceEnvironment(
                options: options, configuration: configuration, callbackURL: server.callbackURL
            ) { environment, client in
                let authorizer = SalesforceAuthorizer(
                    store: store, environment: environment, httpClient: client,
                    linkBase: "http://\(server.host):\(server.port)", linkLifetime: bot.settings.authorization.linkLifetime,
                    confirmWithCode: bot.settings.authorization.confirmWithCode)
                let integration = SalesforceIntegration(authorizer: authorizer)
                let runtimeBox = RuntimeBox()
                handlers.set(
                    .salesforce(authorizer) { outcome in
                        // The chat itself says how an authorization ended; only a callback for no link of ours is
                        // the operator's business.
                        if case .rejected(let reason) = outcome {
                            notices.show(
                                "A browser came back to the callback with no link of this chat; nothing changed (\(reason))")
                        }
                        if let runtime = runtimeBox.runtime { await outcome.deliver(to: runtime) }
                    })
                if let sandbox = environment.localSandbox {
                    notices.add("Salesforce: the local sandbox at \(sandbox.baseURL) (log in as demo@parley.dev / parley-demo).")
                }
                try await chat(
                    bot, http: .asyncHTTPClient(client), integrations: [SalesforceAuthorizer.action: integration],
                    notices: notices, runtimeBox: runtimeBox, account: .salesforce(authorizer))
            }
        }
    }

    /// The action's configuration; when it is not enabled yet and bot.yaml says how, enables it that way.
    private func actionConfiguration(for bot: Bot, store: IntegrationStore, notices: Notices) throws -> ActionConfiguration? {
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

    private func chat(
        _ bot: Bot, http: HTTPService, integrations: [String: any Integration], notices: Notices,
        runtimeBox: RuntimeBox = RuntimeBox(), account: ChatAccount? = nil
    ) async throws {
        let recording = TranscriptRecording(
            botFolder: options.bot, variables: overrides().compactMapValues { $0.stringValue })
        // Conversations outlive the process: a chat that quits or is killed continues where it was.
        let conversations = try SQLiteConversationStore(
            stateDirectory: options.state, bot: IntegrationStore.botID(forBotDirectory: options.bot))
        let environment = RuntimeEnvironment(
            http: recording.wrap(http), integrations: integrations, store: conversations, variableOverrides: overrides())
        let runtime = try BotRuntime(bot: bot, environment: environment)
        runtimeBox.runtime = runtime
        let style = TerminalStyle(for: .standardOutput)
        let historyFile = URL(fileURLWithPath: options.state).appendingPathComponent("history")
        try await withLineEditor(historyFile: historyFile) { editor in
            notices.attach(editor, style: style)
            if let record {
                do {
                    try recording.start(path: record, user: UserID(user))
                } catch {
                    throw OutputFileFailure(option: "--record", path: record, error: error)
                }
            }
            let repl = ChatREPL(
                runtime: runtime, editor: editor, style: style, user: UserID(user), debug: debug, recording: recording,
                account: account, sensitiveValuesSeen: { RedactingLogHandler.remember($0) })
            await repl.run()
        }
    }

    private func overrides() -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for assignment in variables {
            // validate() made sure each has a name and an '='.
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            values[String(assignment[..<equals])] = .string(String(assignment[assignment.index(after: equals)...]))
        }
        return values
    }
}

/// Runs `body` with an HTTP client and shuts the client down afterwards, on success and on error.
func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Lines for the person chatting that come from outside the conversation (setup notes, a failed
/// authorization); printed above the prompt once the chat is running, before that when it starts.
final class Notices: Sendable {
    private struct State {
        var pending: [String] = []
        var editor: LineEditor?
        var style = TerminalStyle(usesColor: false)
    }

    private let state = Mutex(State())

    func add(_ line: String) {
        state.withLock { $0.pending.append(line) }
    }

    func attach(_ editor: LineEditor, style: TerminalStyle) {
        let pending = state.withLock { state in
            state.editor = editor
            state.style = style
            let lines = state.pending
            state.pending = []
            return lines
        }
        for line in pending { editor.write(style.dim(line) + "\n") }
    }

    func show(_ line: String) {
        let (editor, style) = state.withLock { ($0.editor, $0.style) }
        guard let editor else { return add(line) }
        editor.printAbove(style.yellow(line) + "\n")
    }
}

/// The runtime, once it exists, for callbacks set up before it.
final class RuntimeBox: Sendable {
    private let value = Mutex<BotRuntime?>(nil)

    var runtime: BotRuntime? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

extension Bot {
    /// Whether any task or service node goes through this integration.
    func usesIntegration(_ name: String) -> Bool {
        tasks.contains { task in
            task.integration == name
                || task.nodes.contains { node in
                    if case .service(let spec) = node.kind { return spec.integration == name }
                    return false
                }
        }
    }
}

/// Loads a bot and prints its warnings; a bot with errors does not start, and the errors say why.
func loadBot(_ folder: String) throws -> LoadedBot {
    let style = TerminalStyle(for: .standardError)
    do {
        let loaded = try BotLoader.load(directory: folder, scriptChecker: JavaScriptSyntaxChecker())
        for warning in loaded.warnings {
            FileHandle.standardError.write(Data((style.diagnostic(warning) + "\n").utf8))
        }
        return loaded
    } catch {
        for diagnostic in error.diagnostics {
            FileHandle.standardError.write(Data((style.diagnostic(diagnostic) + "\n").utf8))
        }
        let count = error.errors.count
        FileHandle.standardError.write(
            Data(
                "The bot in \(folder) has \(count) error\(count == 1 ? "" : "s") and cannot start; fix \(count == 1 ? "it" : "them") and try again (parley lint \(folder) checks without starting).\n"
                    .utf8))
        throw ExitCode.failure
    }
}

extension ChatAccount {
    /// `/whoami`, `/signout` and `/open` for the Salesforce action: each chat user's own token, or, pre-authorized,
    /// the bot's, which only `parley actions sign-out` disconnects.
    static func salesforce(_ authorizer: SalesforceAuthorizer) -> ChatAccount {
        @Sendable func isPreauthorized() -> Bool {
            (try? authorizer.configuration().authorization) == .preauthorized
        }
        return ChatAccount(
            whoami: { user in
                let preauthorized = isPreauthorized()
                do {
                    guard let identity = try await authorizer.identity(user: preauthorized ? "" : user.rawValue) else {
                        return preauthorized
                            ? "The bot is not connected to Salesforce; its developer runs `parley actions authorize salesforce`."
                            : "You are not connected to Salesforce; the bot sends you a link when a task needs it."
                    }
                    let who = identity.name.map { "\(identity.username) (\($0))" } ?? identity.username
                    let whose = preauthorized ? "The bot is connected to Salesforce as" : "You are connected to Salesforce as"
                    return "\(whose) \(who) at \(identity.instanceURL)"
                        + (identity.confirmed ? "." : " (as stored; Salesforce could not confirm it just now).")
                } catch {
                    return "Cannot tell who is connected: \(error)"
                }
            },
            signOut: { user in
                guard !isPreauthorized() else {
                    return "This bot uses its own Salesforce connection; `parley actions sign-out salesforce` disconnects it."
                }
                do {
                    return try await authorizer.signOut(user: user.rawValue)
                        ? "Signed out: your Salesforce token was revoked and deleted. The bot will send a new link when a task needs it."
                        : "You are not connected to Salesforce."
                } catch {
                    return "Could not sign you out: \(error)"
                }
            },
            openInBrowser: { link in URL(string: link).map(Browser.open) ?? false })
    }
}
