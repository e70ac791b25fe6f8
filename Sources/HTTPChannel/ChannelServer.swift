import BotHost
import Crypto
import DialogRuntime
import Foundation
import Logging
import ParleyJSON
import Synchronization
import WebEncoding

/// The channel's state while it serves: the running bot once it is ready, the durable store, the per-conversation
/// lock, the rate limiter and the metrics. Routes only turn HTTP into calls on it.
final class ChannelServer: Sendable {
    let options: HTTPChannel.Options
    let store: any ChannelStore
    let lock: any ConversationLock
    let limiter: RateLimiter
    let metrics = ServerMetrics()
    let signal = OutboxSignal()
    let logger: Logger
    private let running = Mutex<RunningBot?>(nil)

    init(options: HTTPChannel.Options, store: any ChannelStore, lock: any ConversationLock, logger: Logger) {
        self.options = options
        self.store = store
        self.lock = lock
        self.limiter = RateLimiter(perSecond: options.turnsPerSecond, burst: options.burst)
        self.logger = logger
    }

    /// The bot, once the host runs it; until then the API answers 503 and `/readyz` says it is not ready.
    var bot: RunningBot? { running.withLock { $0 } }

    /// Starts answering with the bot; output between turns goes to the outbox.
    func attach(_ bot: RunningBot) async {
        bot.runtime.setDeliveryHandler { [self] user, output in
            await self.deliver(output, to: user)
        }
        running.withLock { $0 = bot }
    }

    /// Stops answering turns: the host is about to stop the bot.
    func detach() async {
        guard let bot = running.withLock({ $0 }) else { return }
        running.withLock { $0 = nil }
        bot.runtime.setDeliveryHandler(nil)
    }

    // MARK: - Turns

    /// What a turn request came to.
    enum TurnResult: Sendable {
        case reply(JSONValue, replayed: Bool)
        case interrupted
        case keyReused
    }

    /// Runs one turn of the conversation, once per idempotency key, one turn of a conversation at a time.
    func turn(_ text: String, in conversation: ConversationKey, idempotencyKey: String?, bot: RunningBot) async throws
        -> TurnResult
    {
        try await lock.withLock(conversation, isolation: #isolation) {
            guard let key = idempotencyKey else {
                return .reply(try await runTurn(text, in: conversation, bot: bot), replayed: false)
            }
            let digest = Hexadecimal.encode(SHA256.hash(data: Data(text.utf8)))
            switch try await store.claim(key, for: conversation, request: digest) {
            case .claimed:
                let reply = try await runTurn(text, in: conversation, bot: bot)
                try await store.finish(key, for: conversation, reply: reply.jsonData)
                return .reply(reply, replayed: false)
            case .finished(let data):
                return .reply(try JSONValue(parsing: data), replayed: true)
            case .interrupted:
                return .interrupted
            case .mismatch:
                return .keyReused
            }
        }
    }

    private func runTurn(_ text: String, in conversation: ConversationKey, bot: RunningBot) async throws -> JSONValue {
        let start = ContinuousClock.now
        let output = await bot.runtime.handle(text, from: conversation.userID)
        bot.sensitiveValuesSeen(output.sensitive)
        metrics.turnRan(conversation, duration: start.duration(to: .now), storeFailed: output.storeError != nil)
        if let error = output.storeError {
            logger.error("A turn's conversation could not be kept", metadata: ["problem": "\(bot.redacting(error.description))"])
        }
        return ["user": .string(conversation.user), "messages": Self.messages(output)]
    }

    /// The bot's messages as the API shows them.
    static func messages(_ output: TurnOutput) -> JSONValue {
        .array(
            output.messages.map { message in
                var object: [String: JSONValue] = ["text": .string(message.text)]
                switch message.kind {
                case .text:
                    object["kind"] = "text"
                case .prompt:
                    object["kind"] = "prompt"
                case .authorization(let request):
                    object["kind"] = "authorization"
                    object["integration"] = .string(request.integration)
                    if !request.url.isEmpty { object["authorizationUrl"] = .string(request.url) }
                }
                if !message.choices.isEmpty { object["choices"] = .array(message.choices.map { .string($0) }) }
                return .object(object)
            })
    }

    // MARK: - The outbox

    /// Keeps what the bot said between turns (a resumed task) until the client acknowledges it.
    private func deliver(_ output: TurnOutput, to user: UserID) async {
        guard let conversation = ConversationKey(user) else {
            logger.warning("Output for a conversation this channel did not start was not delivered")
            return
        }
        bot?.sensitiveValuesSeen(output.sensitive)
        let payload: JSONValue = ["messages": Self.messages(output)]
        do {
            _ = try await store.append(payload.jsonData, for: conversation)
            metrics.delivered()
        } catch {
            logger.error(
                "A message between turns could not be kept for delivery",
                metadata: ["conversation": "\(conversation)", "problem": "\(error)"])
        }
        signal.notify(conversation)
    }

    /// The conversation's events after `after`, as the API shows them.
    func events(for conversation: ConversationKey, after: Int64, limit: Int = 100) async throws -> [JSONValue] {
        try await store.events(for: conversation, after: after, limit: limit).map { event in
            // The payload is what ``deliver(_:to:)`` wrote; one that does not read back is a damaged database.
            var value = try JSONValue(parsing: event.payload)
            value["id"] = .number(Double(event.id))
            return value
        }
    }
}
