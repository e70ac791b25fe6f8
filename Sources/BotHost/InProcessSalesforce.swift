public import DialogModel
public import Foundation
public import Integrations
import ParleyJSON
import SalesforceAPI
public import SalesforceSandbox

/// The Salesforce action over a sandbox that lives in memory and answers in-process, with its own integration
/// store and authorizer: what a bot run in memory (a transcript, a test) reaches instead of Salesforce.
///
/// Requests reach the sandbox through ``Sandbox/respond(to:)``: the same routes, status codes, headers and bodies
/// as over HTTP, without ports or a server to start.
public struct InProcessSalesforce: Sendable {
    /// Where the sandbox says it is, what the authorizer's links point at, and the moment and codes they use.
    public struct Options: Sendable {
        /// The sandbox's login and instance URL, reachable only in-process.
        public var baseURL: String
        /// Whether the sandbox starts with the demo leads, opportunities and accounts.
        public var seedDemoData: Bool
        /// The callback URL the system app is registered with.
        public var callbackURL: String
        /// The callback server's origin, where short links point.
        public var linkBase: String
        /// The code the callback page shows in confirm-with-code mode.
        public var confirmationCode: String
        /// The sandbox's and the authorizer's clock.
        public var now: @Sendable () -> Date

        public init(
            baseURL: String, seedDemoData: Bool, callbackURL: String, linkBase: String, confirmationCode: String,
            now: @escaping @Sendable () -> Date
        ) {
            self.baseURL = baseURL
            self.seedDemoData = seedDemoData
            self.callbackURL = callbackURL
            self.linkBase = linkBase
            self.confirmationCode = confirmationCode
            self.now = now
        }
    }

    public let sandbox: Sandbox
    public let store: IntegrationStore
    public let authorizer: SalesforceAuthorizer
    /// The REST API version the bot's `integrations: salesforce:` asks for.
    public let apiVersion: String

    /// A fresh sandbox and store, with the action enabled as the bot's `integrations: salesforce:` says (the
    /// system app); both live in memory and go with this value.
    public init(bot: Bot, options: Options) throws {
        let settings = bot.settings.integrations[SalesforceAuthorizer.action]
        apiVersion = settings?["apiVersion"]?.stringValue ?? ActionConfiguration.defaultAPIVersion
        sandbox = try Sandbox(
            configuration: SandboxConfiguration(
                baseURL: options.baseURL, seedDemoData: options.seedDemoData, clock: options.now, random: { 0.5 }))
        store = try IntegrationStore.inMemory(bot: "transcript", vault: TokenVault(key: .ephemeral()))
        let mode = settings?["authorization"]?.stringValue.flatMap(AuthorizationMode.init(rawValue:)) ?? .user
        try store.enable(
            ActionConfiguration(
                action: SalesforceAuthorizer.action, authorization: mode, app: .system, apiVersion: apiVersion,
                enabledAt: options.now()))
        let environment = SalesforceEnvironment(
            localSandbox: LocalSandbox(baseURL: sandbox.baseURL, systemClientSecret: try sandbox.systemApp().clientSecret),
            variables: [:], callbackURL: options.callbackURL)
        let confirmationCode = options.confirmationCode
        authorizer = SalesforceAuthorizer(
            store: store, environment: environment, transport: SandboxTransport(sandbox: sandbox), linkBase: options.linkBase,
            linkLifetime: bot.settings.authorization.linkLifetime, confirmWithCode: bot.settings.authorization.confirmWithCode,
            clock: options.now, makeCode: { confirmationCode }, logger: Sandbox.quietLogger)
    }

    /// The integration service nodes go through; a failed call is not retried, so runs stay quick and exact.
    public var integration: SalesforceIntegration {
        SalesforceIntegration(authorizer: authorizer, retry: .never)
    }
}
