public import DialogModel
import Foundation
public import ParleyJSON
import Synchronization

/// A bot with its matchers and extractors built, ready for any number of runtimes.
///
/// Building them takes longer than a turn; a runner that starts a runtime per transcript (or per
/// tenant) prepares the bot once.
public struct PreparedBot: Sendable {
    public let bot: Bot
    /// The host's values for the bot's `env` variables, as the runtimes' environments give them.
    public let variableOverrides: [String: JSONValue]
    let compiled: CompiledBot

    /// - Parameter models: where the trained understanding is kept between loads; with it, a bot whose
    ///   utterances have not changed since the last load reads its model back instead of training it again.
    public init(_ bot: Bot, variableOverrides: [String: JSONValue] = [:], models: (any SavedModels)? = nil) {
        self.bot = bot
        self.variableOverrides = variableOverrides
        self.compiled = CompiledBot(bot, overrides: variableOverrides, models: models)
    }
}

/// Runs a bot's dialog tasks for any number of users.
///
/// Each call to ``handle(_:from:)`` is one turn: the user's text goes in, the bot's messages
/// come out. Turns of one user run one at a time, in order; turns of different users run in parallel,
/// on as many processors as the machine has. Output that arrives between turns (a task that
/// resumes after the user authorized an integration) goes to the delivery handler.
///
/// Each user belongs to one of the runtime's shards (``RuntimeShard``), chosen from the user's id: the shard
/// keeps the user's conversation and script context and runs the user's turns in order, and shards run beside
/// each other, one to a processor: more shards would spread the users more evenly, but on two cores `parley serve`
/// measured fewer turns a second with four or eight to a processor.
public final class BotRuntime: Sendable {
    public let bot: Bot
    private let shards: [RuntimeShard]
    private let delivery: DeliveryHandler

    /// Prepares a bot to run.
    ///
    /// - Throws: `ScriptError` when the environment's script limits are not positive.
    public convenience init(bot: Bot, environment: RuntimeEnvironment) throws {
        try self.init(prepared: PreparedBot(bot, variableOverrides: environment.variableOverrides), environment: environment)
    }

    /// How many conversations a runtime keeps in memory between turns unless told otherwise: more than a busy server
    /// has active at once, a few megabytes. Others are loaded from the store when their user comes back.
    public static let defaultCachedConversations = 2048

    /// How many shards a runtime has unless told otherwise: one to a processor.
    public static let defaultShards = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs a bot prepared once for many runtimes (a test runner's, a server's conversations).
    ///
    /// - Parameters:
    ///   - cachedConversations: how many conversations to keep in memory between turns (the most recently used);
    ///     the store keeps them all.
    ///   - shards: how many shards the users are spread over, each running its users' turns one at a time.
    /// - Throws: `ScriptError` when the environment's script limits are not positive.
    public init(
        prepared: PreparedBot, environment: RuntimeEnvironment, cachedConversations: Int = BotRuntime.defaultCachedConversations,
        shards: Int = BotRuntime.defaultShards
    ) throws {
        let compiled =
            prepared.variableOverrides == environment.variableOverrides
            ? prepared.compiled : CompiledBot(prepared.bot, overrides: environment.variableOverrides)
        let count = max(1, shards)
        // The limits are the runtime's; each shard keeps its share of them.
        let cached = (max(1, cachedConversations) + count - 1) / count
        let engines = (ConversationEngines.defaultLimit + count - 1) / count
        let delivery = DeliveryHandler()
        self.bot = prepared.bot
        self.delivery = delivery
        self.shards = try (0..<count).map { _ in
            try RuntimeShard(
                bot: prepared.bot, compiled: compiled, environment: environment, cachedConversations: cached, engines: engines,
                delivery: delivery)
        }
    }

    /// Sets who receives output produced between the user's turns.
    public func setDeliveryHandler(_ handler: (@Sendable (UserID, TurnOutput) async -> Void)?) {
        delivery.handler = handler
    }

    /// The bot's greeting for a user who starts a conversation; one who comes back to a conversation in
    /// progress (after a restart) is asked the open question again.
    public func greeting(for user: UserID) async -> TurnOutput {
        await shard(of: user).greeting(for: user)
    }

    /// Runs one turn: what the user said, and everything the bot answers.
    ///
    /// When the store cannot load the conversation the turn does not run; when it cannot save the result the
    /// answers stand. Either way the output ends with a standard response saying so and carries the error in
    /// ``TurnOutput/storeError``.
    public func handle(_ text: String, from user: UserID) async -> TurnOutput {
        await shard(of: user).handle(text, from: user)
    }

    /// Resumes the user's task that waits for this integration, after the user authorized it.
    ///
    /// The output is returned and also sent to the delivery handler, since the user is not in
    /// the middle of a turn.
    /// - Parameter account: who the user connected as on the other side (`demo@parley.dev`), said first.
    @discardableResult
    public func authorizationCompleted(user: UserID, integration: String, account: String? = nil) async -> TurnOutput {
        await shard(of: user).authorizationCompleted(user: user, integration: integration, account: account)
    }

    /// Asks the user whose task waits for this integration for the six-digit code the browser shows, at once: in
    /// confirm-with-code mode the connection is kept only after the user types it.
    ///
    /// The output also goes to the delivery handler.
    @discardableResult
    public func authorizationAwaitsCode(user: UserID, integration: String) async -> TurnOutput {
        await shard(of: user).authorizationAwaitsCode(user: user, integration: integration)
    }

    /// Tells the user whose task waits for this integration that the authorization did not connect, at once.
    ///
    /// The task keeps waiting for a "retry" or a "cancel"; after as many denied or failed attempts as
    /// `bot.yaml`'s `authorization: attempts` allows, the bot says so and ends the task. A user whose
    /// conversation waits for nothing is told nothing. The output also goes to the delivery handler.
    @discardableResult
    public func authorizationFailed(user: UserID, integration: String, failure: AuthorizationFailure) async -> TurnOutput {
        await shard(of: user).authorizationFailed(user: user, integration: integration, failure: failure)
    }

    /// Forgets the user's conversation: tasks, held tasks and session values, in memory and in the store, and
    /// whatever the user's scripts left in their JavaScript context.
    ///
    /// Only `context.session.UserContext` (who the user is) is kept.
    /// - Throws: when the store cannot load or remove the conversation.
    public func reset(_ user: UserID) async throws(ConversationStoreError) {
        try await shard(of: user).reset(user)
    }

    /// Sets values under `context.session.UserContext` (name, id, locale...).
    ///
    /// - Throws: when the store cannot load or save the conversation; the values apply in memory all the same.
    public func setUserContext(_ values: [String: JSONValue], for user: UserID) async throws(ConversationStoreError) {
        try await shard(of: user).setUserContext(values, for: user)
    }

    /// The context scripts would see now, as JSON: the running task's context with `session` and `history`.
    ///
    /// Sensitive entities' values are masked (`•••`) unless `revealingSensitiveValues`, which is for tests.
    /// - Throws: when the store cannot load the conversation.
    public func context(
        for user: UserID, revealingSensitiveValues: Bool = false
    ) async throws(ConversationStoreError) -> JSONValue {
        try await shard(of: user).context(for: user, revealingSensitiveValues: revealingSensitiveValues)
    }

    /// Whether the question the user is asked now is for a sensitive entity or for the code that finishes an
    /// authorization, so the answer must not be kept where it could be read later (the line editor's history, say).
    ///
    /// - Throws: when the store cannot load the conversation; a caller that cannot tell should treat the
    ///   answer as sensitive.
    public func isAwaitingSensitiveAnswer(from user: UserID) async throws(ConversationStoreError) -> Bool {
        try await shard(of: user).isAwaitingSensitiveAnswer(from: user)
    }

    /// The conversation's whole state, for inspection and tests.
    ///
    /// - Throws: when the store cannot load the conversation.
    public func state(of user: UserID) async throws(ConversationStoreError) -> ConversationState {
        try await shard(of: user).state(of: user)
    }

    /// The tasks a user can start, with a description and a sample utterance.
    public var taskSummaries: [TaskSummary] {
        bot.tasks.filter { !$0.isSubdialog }.map {
            TaskSummary(name: $0.name, description: $0.description, example: $0.intent.utterances.first)
        }
    }

    /// Answers that would complete what the user has typed so far, for the question being asked
    /// (the values of a list entity, yes/no, task names).
    ///
    /// - Throws: when the store cannot load the conversation.
    public func completions(for user: UserID, prefix: String) async throws(ConversationStoreError) -> [String] {
        try await shard(of: user).completions(for: user, prefix: prefix)
    }

    /// The shard that runs the user's turns: always the same one for a user while the runtime runs (the id's hash,
    /// which is fixed for a process), so that user's turns stay in one queue, in order.
    private func shard(of user: UserID) -> RuntimeShard {
        shards[Int(UInt(bitPattern: user.hashValue) % UInt(shards.count))]
    }
}

/// Who receives a runtime's output produced between the user's turns; its shards read it when they deliver.
final class DeliveryHandler: Sendable {
    private let value = Mutex<(@Sendable (UserID, TurnOutput) async -> Void)?>(nil)

    var handler: (@Sendable (UserID, TurnOutput) async -> Void)? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// A task as the user sees it in `/tasks` and in help.
public struct TaskSummary: Sendable, Hashable {
    public var name: TaskName
    public var description: String?
    public var example: String?
}
