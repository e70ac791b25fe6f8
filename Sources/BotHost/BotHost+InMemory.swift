public import DialogRuntime
import Integrations
import SalesforceAPI

extension BotHost {
    /// What a bot run in memory uses in place of the machine's clock, randomness, network and state folder.
    public struct InMemoryOptions: Sendable {
        /// The clock and time zone every turn reads.
        public var clock: RuntimeClock
        /// How alternative prompts are picked.
        public var random: RandomSource
        /// What service nodes without an integration reach.
        public var http: HTTPService
        /// The Salesforce action, over its own sandbox; `nil` for a bot that does not use it.
        public var salesforce: InProcessSalesforce?
        /// How long a script may run.
        public var scriptTimeLimit: Duration

        public init(
            clock: RuntimeClock, random: RandomSource, http: HTTPService, salesforce: InProcessSalesforce?,
            scriptTimeLimit: Duration
        ) {
            self.clock = clock
            self.random = random
            self.http = http
            self.salesforce = salesforce
            self.scriptTimeLimit = scriptTimeLimit
        }
    }

    /// A running bot whose conversations live in memory and go with it, and which reaches nothing real: the
    /// clock, randomness and services are the ones `options` gives. Transcripts replay on it.
    ///
    /// It has no account for `/whoami` and the like: nothing here opens a browser.
    public static func inMemoryBot(_ prepared: PreparedBot, options: InMemoryOptions) throws -> RunningBot {
        var integrations: [String: any Integration] = [:]
        if let salesforce = options.salesforce { integrations[SalesforceAuthorizer.action] = salesforce.integration }
        let environment = RuntimeEnvironment(
            http: options.http, integrations: integrations, store: InMemoryConversationStore(), clock: options.clock,
            random: options.random, scriptTimeLimit: options.scriptTimeLimit, variableOverrides: prepared.variableOverrides)
        return RunningBot(
            bot: prepared.bot, runtime: try BotRuntime(prepared: prepared, environment: environment), notices: HostNotices(),
            account: nil, redacting: CredentialRedaction.redacting, sensitiveValuesSeen: { _ in },
            pendingAuthorizations: { [clock = options.clock] in
                try options.salesforce?.store.liveLinkCount(now: clock.now()) ?? 0
            })
    }
}
