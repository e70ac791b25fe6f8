import DialogModel
import Foundation
import ParleyJSON
import Scripting

/// The conversations of a share of a runtime's users, and the turns that run on them (see ``BotRuntime``).
///
/// A shard is the unit of serial work: its turns' processor work (understanding, the interpreter, JavaScript) runs
/// on its actor one at a time, while other shards' turns run beside it. Each user belongs to one shard, whose
/// actor keeps that user's conversation in memory, runs the user's turns one at a time and in order, and holds the
/// JavaScript machine the user's scripts run on.
actor RuntimeShard {
    nonisolated let bot: Bot
    let environment: RuntimeEnvironment
    let compiled: CompiledBot
    /// Each conversation's scripts run in a JavaScript context of their own.
    let engines: ConversationEngines
    /// Recently used conversations between turns, unless the store is shared: then another process may have changed
    /// them.
    private var conversations: ConversationCache
    private let storeIsShared: Bool
    /// Conversations whose last save failed, so the next turn saves them even if nothing changed.
    private var unsaved: Set<UserID> = []
    private var busy: Set<UserID> = []
    private var waiters: [UserID: [CheckedContinuation<Void, Never>]] = [:]
    /// Who receives output produced between the user's turns: the runtime's, shared by its shards.
    private let delivery: DeliveryHandler

    /// - Parameters:
    ///   - cachedConversations: how many of the shard's conversations to keep in memory between turns.
    ///   - engines: how many of the shard's conversations keep a JavaScript context between turns.
    /// - Throws: `ScriptError` when the environment's script limits are not positive.
    init(
        bot: Bot, compiled: CompiledBot, environment: RuntimeEnvironment, cachedConversations: Int, engines: Int,
        delivery: DeliveryHandler
    ) throws {
        self.bot = bot
        self.environment = environment
        self.storeIsShared = environment.store.isShared
        self.conversations = ConversationCache(limit: cachedConversations)
        self.compiled = compiled
        self.engines = ConversationEngines(
            machine: try ScriptMachine(timeLimit: environment.scriptTimeLimit, memoryLimit: environment.scriptMemoryLimit),
            prelude: bot.functions.map { PreludeScript(source: $0.source, file: $0.location.file) }, limit: engines)
        self.delivery = delivery
    }

    /// ``BotRuntime/greeting(for:)`` for a user of this shard.
    func greeting(for user: UserID) async -> TurnOutput {
        await runTurn(for: user) { turn, _ in
            turn.say(turn.standard(turn.bot.settings.greeting ?? turn.responses.greeting))
            turn.repeatQuestion()
        }
    }

    /// ``BotRuntime/handle(_:from:)`` for a user of this shard.
    func handle(_ text: String, from user: UserID) async -> TurnOutput {
        await runTurn(for: user, userText: text) { turn, _ in
            await turn.handle(text)
        }
    }

    /// ``BotRuntime/authorizationCompleted(user:integration:account:)`` for a user of this shard.
    func authorizationCompleted(user: UserID, integration: String, account: String? = nil) async -> TurnOutput {
        await deliver(to: user) { turn, _ in
            await turn.resumeAfterAuthorization(integration: integration, account: account)
        }
    }

    /// ``BotRuntime/authorizationAwaitsCode(user:integration:)`` for a user of this shard.
    func authorizationAwaitsCode(user: UserID, integration: String) async -> TurnOutput {
        await deliver(to: user) { turn, _ in
            turn.awaitAuthorizationCode(integration: integration)
        }
    }

    /// ``BotRuntime/authorizationFailed(user:integration:failure:)`` for a user of this shard.
    func authorizationFailed(user: UserID, integration: String, failure: AuthorizationFailure) async -> TurnOutput {
        await deliver(to: user) { turn, _ in
            await turn.authorizationFailed(integration: integration, failure: failure)
        }
    }

    /// Runs a turn the user did not start, and hands what it says to the delivery handler.
    private func deliver(
        to user: UserID, _ body: (inout Turn, isolated RuntimeShard) async -> Void
    ) async -> TurnOutput {
        let output = await runTurn(for: user, body)
        if !output.messages.isEmpty, let handler = delivery.handler {
            await handler(user, output)
        }
        return output
    }

    /// ``BotRuntime/reset(_:)`` for a user of this shard.
    func reset(_ user: UserID) async throws(ConversationStoreError) {
        try await exclusively(user) { () async throws(ConversationStoreError) in try await resetAlone(user) }
    }

    private func resetAlone(_ user: UserID) async throws(ConversationStoreError) {
        await acquire(user)
        defer { release(user) }
        let userContext = try await cachedOrLoaded(user).session["UserContext"]
        var fresh = ConversationState()
        if let userContext { fresh.session["UserContext"] = userContext }
        remember(fresh, for: user)
        engines.forget(user)
        do {
            try await environment.store.remove(user)
        } catch {
            unsaved.insert(user)
            throw ConversationStoreError(.remove, user: user, error: error)
        }
        unsaved.remove(user)
        if fresh != ConversationState() {
            try await persist(fresh, for: user)
        }
    }

    /// ``BotRuntime/setUserContext(_:for:)`` for a user of this shard.
    func setUserContext(_ values: [String: JSONValue], for user: UserID) async throws(ConversationStoreError) {
        let saved = try await withConversation(of: user) { state, _ in
            var userContext = state.session["UserContext"] ?? .object([:])
            for (key, value) in values { userContext[key] = value }
            if case .object = state.session {} else { state.session = .object([:]) }
            state.session["UserContext"] = userContext
        }
        if let error = saved.saveError { throw error }
    }

    /// ``BotRuntime/context(for:revealingSensitiveValues:)`` for a user of this shard.
    func context(
        for user: UserID, revealingSensitiveValues: Bool = false
    ) async throws(ConversationStoreError) -> JSONValue {
        try await withConversation(of: user) { state, shard in
            let view = Turn.contextView(of: state)
            return revealingSensitiveValues ? view : shard.masked(view, of: state)
        }.value
    }

    /// ``BotRuntime/isAwaitingSensitiveAnswer(from:)`` for a user of this shard.
    func isAwaitingSensitiveAnswer(from user: UserID) async throws(ConversationStoreError) -> Bool {
        let state = try await withConversation(of: user) { state, _ in state }.value
        if case .authorization(let request)? = state.question == nil ? state.current?.waiting : nil, request.awaitingCode {
            return true
        }
        return isAwaitingSensitiveAnswer(in: state)
    }

    /// ``BotRuntime/state(of:)`` for a user of this shard.
    func state(of user: UserID) async throws(ConversationStoreError) -> ConversationState {
        try await withConversation(of: user) { state, _ in state }.value
    }

    /// ``BotRuntime/completions(for:prefix:)`` for a user of this shard.
    func completions(for user: UserID, prefix: String) async throws(ConversationStoreError) -> [String] {
        let state = try await withConversation(of: user) { state, _ in state }.value
        return Turn(shard: self, state: state, user: user).completions(prefix: prefix)
    }

    // MARK: - Turns and the store

    /// Runs a turn on the user's conversation and reports the store's errors in its output.
    private func runTurn(
        for user: UserID, userText: String? = nil, _ body: (inout Turn, isolated RuntimeShard) async -> Void
    ) async -> TurnOutput {
        do {
            return try await exclusively(user) { () async throws(ConversationStoreError) in
                await runTurnAlone(for: user, userText: userText, body)
            }
        } catch {
            return unavailable(user, error)
        }
    }

    /// What a turn says when the conversation could not be loaded.
    private func unavailable(_ user: UserID, _ error: ConversationStoreError) -> TurnOutput {
        var turn = Turn(shard: self, state: ConversationState(), user: user)
        turn.say(turn.standard(turn.responses.conversationUnavailable))
        var output = turn.output
        output.storeError = error
        return output
    }

    private func runTurnAlone(
        for user: UserID, userText: String?, _ body: (inout Turn, isolated RuntimeShard) async -> Void
    ) async -> TurnOutput {
        await acquire(user)
        defer { release(user) }
        let before: ConversationState
        do {
            before = try await cachedOrLoaded(user)
        } catch {
            return unavailable(user, error)
        }
        var turn = Turn(shard: self, state: before, user: user)
        await body(&turn, self)
        // A sensitive entity's answer, or an authorization code the turn recognized.
        let answersSensitive = userText != nil && (isAwaitingSensitiveAnswer(in: before) || turn.output.userTextIsSensitive)
        if answersSensitive {
            // Scripts saw the answer during the turn; what is stored and shown later keeps only the mask.
            Self.maskLastMessage(in: &turn.state)
        }
        var output = turn.output
        output.sensitive.formUnion(sensitiveText(in: before))
        output.sensitive.formUnion(sensitiveText(in: turn.state))
        if answersSensitive, let userText { output.sensitive.insert(userText) }
        output.userTextIsSensitive = output.userTextIsSensitive || answersSensitive
        if !output.sensitive.isEmpty {
            output.trace = output.trace.map { event in
                var masked = event
                masked.detail = output.sensitive.masked(event.detail)
                return masked
            }
            output.diagnostics = output.diagnostics.map { diagnostic in
                var masked = diagnostic
                masked.message = output.sensitive.masked(diagnostic.message)
                return masked
            }
        }
        if let error = await commit(turn.state, changedFrom: before, for: user) {
            let notice = Turn(shard: self, state: ConversationState(), user: user)
            output.messages.append(BotMessage(notice.standard(notice.responses.conversationNotSaved)))
            output.storeError = error
        }
        return output
    }

    /// What a change to a conversation came to: the body's result, and the store's refusal to keep it.
    private struct Saved<T: Sendable>: Sendable {
        var value: T
        var saveError: ConversationStoreError?
    }

    /// Runs `body` on the user's conversation, one at a time per user, and writes it through when it changed.
    ///
    /// - Throws: when the conversation cannot be loaded; `body` does not run then, so a conversation that
    ///   exists is never replaced by an empty one.
    private func withConversation<T: Sendable>(
        of user: UserID, _ body: (inout ConversationState, isolated RuntimeShard) async -> T
    ) async throws(ConversationStoreError) -> Saved<T> {
        try await exclusively(user) { () async throws(ConversationStoreError) in
            await acquire(user)
            defer { release(user) }
            let before = try await cachedOrLoaded(user)
            var state = before
            let value = await body(&state, self)
            return Saved(value: value, saveError: await commit(state, changedFrom: before, for: user))
        }
    }

    /// Runs `body` while no other process runs a turn of the user's conversation, when the store is shared.
    ///
    /// Taken before the turn's place in this process's queue: a channel that locks the conversation around a turn (its
    /// idempotency check, the turn and the recorded reply) takes the same lock first too, so the two never wait for each
    /// other.
    private func exclusively<T: Sendable>(
        _ user: UserID, _ body: () async throws(ConversationStoreError) -> T
    ) async throws(ConversationStoreError) -> T {
        guard storeIsShared else { return try await body() }
        let result: Result<T, ConversationStoreError>
        do {
            result = try await environment.store.exclusively(user, isolation: self) {
                do throws(ConversationStoreError) {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw ConversationStoreError(.load, user: user, error: error)
        }
        return try result.get()
    }

    /// Keeps the conversation's new state in memory and writes it through when it changed (or the last write
    /// failed); returns the store's error, if any.
    private func commit(
        _ state: ConversationState, changedFrom before: ConversationState, for user: UserID
    ) async -> ConversationStoreError? {
        remember(state, for: user)
        guard state != before || unsaved.contains(user) else { return nil }
        do {
            try await persist(state, for: user)
            return nil
        } catch {
            return error
        }
    }

    private func cachedOrLoaded(_ user: UserID) async throws(ConversationStoreError) -> ConversationState {
        if !storeIsShared, let cached = conversations.state(of: user) { return cached }
        let loaded: ConversationState?
        do {
            loaded = try await environment.store.load(user)
        } catch {
            throw ConversationStoreError(.load, user: user, error: error)
        }
        let state = loaded ?? ConversationState()
        remember(state, for: user)
        return state
    }

    /// Keeps the conversation for the next turn, unless another process may change it before then.
    private func remember(_ state: ConversationState, for user: UserID) {
        guard !storeIsShared else { return }
        // A conversation in a turn is remembered again when the turn ends; one the store refused is only here.
        conversations.keep(state, for: user) { [busy, unsaved] in busy.contains($0) || unsaved.contains($0) }
    }

    /// Saves a conversation; one the store refused is saved again after the next turn even if unchanged.
    private func persist(_ state: ConversationState, for user: UserID) async throws(ConversationStoreError) {
        do {
            try await environment.store.save(state, for: user)
            unsaved.remove(user)
        } catch {
            unsaved.insert(user)
            throw ConversationStoreError(.save, user: user, error: error)
        }
    }

    // MARK: - Sensitive values

    /// The values of sensitive entities in the conversation's tasks, running and on hold.
    private func sensitiveText(in state: ConversationState) -> SensitiveText {
        var text = SensitiveText()
        // Frame by frame where they are, rather than through a joined copy of every frame on every turn.
        func insertValues(of frame: TaskFrame) {
            for name in compiled.sensitiveEntities(of: frame.task) {
                guard let value = frame.context["entities"]?[name] else { continue }
                text.insert(value)
            }
        }
        for frame in state.stack { insertValues(of: frame) }
        for tasks in state.held {
            for frame in tasks { insertValues(of: frame) }
        }
        return text
    }

    /// A context view with sensitive entities masked by name and their values masked wherever they appear.
    private func masked(_ view: JSONValue, of state: ConversationState) -> JSONValue {
        var view = view
        if let frame = state.current, compiled.task(frame.task) != nil, case .object(var entities) = view["entities"] {
            for name in compiled.sensitiveEntities(of: frame.task) where entities[name] != nil {
                entities[name] = .string(SensitiveText.mask)
            }
            view["entities"] = .object(entities)
        }
        return sensitiveText(in: state).masked(view)
    }

    private func isAwaitingSensitiveAnswer(in state: ConversationState) -> Bool {
        guard state.question == nil, let frame = state.current, let nodeID = frame.node else { return false }
        switch frame.waiting {
        case .entity?, .listChoice?:
            guard case .entity(let spec)? = compiled.node(nodeID, in: frame.task)?.kind else { return false }
            return spec.isSensitive
        default:
            return false
        }
    }

    /// Replaces `context.session.BotUserSession.lastMessage` with the mask.
    private static func maskLastMessage(in state: inout ConversationState) {
        guard var botUserSession = state.session["BotUserSession"], botUserSession["lastMessage"] != nil else { return }
        botUserSession["lastMessage"] = ["messagePayload": .string(SensitiveText.mask)]
        state.session["BotUserSession"] = botUserSession
    }

    // MARK: - One turn at a time per user

    private func acquire(_ user: UserID) async {
        while busy.contains(user) {
            await withCheckedContinuation { waiters[user, default: []].append($0) }
        }
        busy.insert(user)
    }

    private func release(_ user: UserID) {
        busy.remove(user)
        if var queue = waiters[user], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[user] = queue.isEmpty ? nil : queue
            next.resume()
        }
    }
}
