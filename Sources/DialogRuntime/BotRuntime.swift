public import DialogModel
import Foundation
public import ParleyJSON
import Scripting
import Understanding

/// A bot with its matchers and extractors built, ready for any number of runtimes.
///
/// Building them takes longer than a turn; a runner that starts a runtime per transcript (or per
/// tenant) prepares the bot once.
public struct PreparedBot: Sendable {
    public let bot: Bot
    /// The host's values for the bot's `env` variables, as the runtimes' environments give them.
    public let variableOverrides: [String: JSONValue]
    let compiled: CompiledBot

    public init(_ bot: Bot, variableOverrides: [String: JSONValue] = [:]) {
        self.bot = bot
        self.variableOverrides = variableOverrides
        self.compiled = CompiledBot(bot, overrides: variableOverrides)
    }
}

/// Runs a bot's dialog tasks for any number of users.
///
/// Each call to ``handle(_:from:)`` is one turn: the user's text goes in, the bot's messages
/// come out. Turns of one user run one at a time, in order; turns of different users may
/// interleave while a service call is in flight. Output that arrives between turns (a task that
/// resumes after the user authorized an integration) goes to the delivery handler.
public actor BotRuntime {
    public nonisolated let bot: Bot
    let environment: RuntimeEnvironment
    let compiled: CompiledBot
    let engine: ScriptEngine
    private var conversations: [UserID: ConversationState] = [:]
    private var busy: Set<UserID> = []
    private var waiters: [UserID: [CheckedContinuation<Void, Never>]] = [:]
    private var deliveryHandler: (@Sendable (UserID, TurnOutput) async -> Void)?

    /// Prepares a bot to run.
    ///
    /// - Throws: `ScriptError` when JavaScriptCore cannot start.
    public init(bot: Bot, environment: RuntimeEnvironment = RuntimeEnvironment()) throws {
        try self.init(prepared: PreparedBot(bot, variableOverrides: environment.variableOverrides), environment: environment)
    }

    /// Runs a bot prepared once for many runtimes (a test runner's, a server's conversations).
    ///
    /// - Throws: `ScriptError` when JavaScriptCore cannot start.
    public init(prepared: PreparedBot, environment: RuntimeEnvironment = RuntimeEnvironment()) throws {
        let compiled =
            prepared.variableOverrides == environment.variableOverrides
            ? prepared.compiled : CompiledBot(prepared.bot, overrides: environment.variableOverrides)
        self.bot = prepared.bot
        self.environment = environment
        self.compiled = compiled
        self.engine = try ScriptEngine(
            timeLimit: environment.scriptTimeLimit,
            prelude: prepared.bot.functions.map { PreludeScript(source: $0.source, file: $0.location.file) })
    }

    /// Sets who receives output produced between the user's turns.
    public func setDeliveryHandler(_ handler: (@Sendable (UserID, TurnOutput) async -> Void)?) {
        deliveryHandler = handler
    }

    /// The bot's greeting for a user who starts a conversation.
    public func greeting(for user: UserID) async -> TurnOutput {
        await withConversation(of: user) { state, runtime in
            var turn = Turn(runtime: runtime, state: state, user: user)
            turn.say(turn.standard(runtime.bot.settings.greeting ?? runtime.bot.settings.responses.greeting))
            state = turn.state
            return turn.output
        }
    }

    /// Runs one turn: what the user said, and everything the bot answers.
    public func handle(_ text: String, from user: UserID) async -> TurnOutput {
        await withConversation(of: user) { state, runtime in
            var turn = Turn(runtime: runtime, state: state, user: user)
            await turn.handle(text)
            state = turn.state
            return turn.output
        }
    }

    /// Resumes the user's task that waits for this integration, after the user authorized it.
    ///
    /// The output is returned and also sent to the delivery handler, since the user is not in
    /// the middle of a turn.
    @discardableResult
    public func authorizationCompleted(user: UserID, integration: String) async -> TurnOutput {
        let output = await withConversation(of: user) { state, runtime in
            var turn = Turn(runtime: runtime, state: state, user: user)
            await turn.resumeAfterAuthorization(integration: integration)
            state = turn.state
            return turn.output
        }
        if !output.messages.isEmpty, let deliveryHandler {
            await deliveryHandler(user, output)
        }
        return output
    }

    /// Forgets the user's conversation: tasks, held tasks and session values.
    public func reset(_ user: UserID) async {
        await withConversation(of: user) { state, _ in
            let userContext = state.session["UserContext"]
            state = ConversationState()
            if let userContext { state.session["UserContext"] = userContext }
        }
    }

    /// Sets values under `context.session.UserContext` (name, id, locale...).
    public func setUserContext(_ values: [String: JSONValue], for user: UserID) async {
        await withConversation(of: user) { state, _ in
            var userContext = state.session["UserContext"] ?? .object([:])
            for (key, value) in values { userContext[key] = value }
            if case .object = state.session {} else { state.session = .object([:]) }
            state.session["UserContext"] = userContext
        }
    }

    /// The context scripts would see now, as JSON: the running task's context with `session` and `history`.
    public func context(for user: UserID) async -> JSONValue {
        await withConversation(of: user) { state, _ in
            Turn.contextView(of: state)
        }
    }

    /// The conversation's whole state, for inspection and tests.
    public func state(of user: UserID) async -> ConversationState {
        await withConversation(of: user) { state, _ in state }
    }

    /// The tasks a user can start, with a description and a sample utterance.
    public nonisolated var taskSummaries: [TaskSummary] {
        bot.tasks.filter { !$0.isSubdialog }.map {
            TaskSummary(name: $0.name, description: $0.description, example: $0.intent.utterances.first)
        }
    }

    /// Answers that would complete what the user has typed so far, for the question being asked
    /// (the values of a list entity, yes/no, task names).
    public func completions(for user: UserID, prefix: String) async -> [String] {
        await withConversation(of: user) { state, runtime in
            Turn(runtime: runtime, state: state, user: user).completions(prefix: prefix)
        }
    }

    // MARK: - One turn at a time per user

    private func withConversation<T: Sendable>(
        of user: UserID, _ body: (inout ConversationState, isolated BotRuntime) async -> T
    ) async -> T {
        while busy.contains(user) {
            await withCheckedContinuation { waiters[user, default: []].append($0) }
        }
        busy.insert(user)
        defer {
            busy.remove(user)
            if var queue = waiters[user], !queue.isEmpty {
                let next = queue.removeFirst()
                waiters[user] = queue.isEmpty ? nil : queue
                next.resume()
            }
        }
        var state: ConversationState
        if let cached = conversations[user] {
            state = cached
        } else {
            state = (try? await environment.store.load(user)) ?? ConversationState()
        }
        let before = state
        let result = await body(&state, self)
        conversations[user] = state
        if state != before {
            try? await environment.store.save(state, for: user)
        }
        return result
    }
}

/// A task as the user sees it in `/tasks` and in help.
public struct TaskSummary: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var example: String?
}
