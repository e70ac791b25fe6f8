public import Foundation
public import ParleyJSON

/// Everything the interpreter needs from the world: the network, integrations, storage, the
/// clock and randomness. The interpreter does no I/O of its own, so tests are deterministic; the clock and
/// randomness are always given, `.live` or fixed, never taken from the machine by default.
public struct RuntimeEnvironment: Sendable {
    public var http: HTTPService
    public var integrations: [String: any Integration]
    public var store: any ConversationStore
    /// The current time; dates such as "tomorrow" are relative to it.
    public var clock: @Sendable () -> Date
    public var timeZone: TimeZone
    /// Returns a number in `0..<upperBound`; picks among alternative prompts.
    public var random: @Sendable (Int) -> Int
    /// How long one script, condition or placeholder may run.
    public var scriptTimeLimit: Duration
    /// How much one script, condition or placeholder may grow the process, in bytes.
    public var scriptMemoryLimit: Int

    /// 128 MB: far beyond what a dialog script needs, far below what would put the process at risk.
    public static let defaultScriptMemoryLimit = 128 * 1024 * 1024
    /// Values that replace the bot's `env:` variables of the same name (a service URL on this machine).
    public var variableOverrides: [String: JSONValue]

    public init(
        http: HTTPService = .unavailable,
        integrations: [String: any Integration] = [:],
        store: any ConversationStore = InMemoryConversationStore(),
        clock: RuntimeClock,
        random: RandomSource,
        scriptTimeLimit: Duration = .milliseconds(100),
        scriptMemoryLimit: Int = RuntimeEnvironment.defaultScriptMemoryLimit,
        variableOverrides: [String: JSONValue] = [:]
    ) {
        self.http = http
        self.integrations = integrations
        self.store = store
        self.clock = clock.now
        self.timeZone = clock.timeZone
        self.random = random.pick
        self.scriptTimeLimit = scriptTimeLimit
        self.scriptMemoryLimit = scriptMemoryLimit
        self.variableOverrides = variableOverrides
    }
}
