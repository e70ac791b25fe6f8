import Foundation
public import ParleyJSON

/// Who is talking to the bot. One conversation per user.
public struct UserID: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }
}

/// A link the user must open to authorize an integration before a paused task can go on.
public struct AuthorizationRequest: Sendable, Hashable, Codable {
    /// The integration's name, as tasks name it (`salesforce`).
    public var integration: String
    /// The page the user opens in a browser.
    public var url: String

    public init(integration: String, url: String) {
        self.integration = integration
        self.url = url
    }
}

/// Why an authorization the user was sent a link for did not connect.
public enum AuthorizationFailure: Sendable, Hashable {
    /// The user refused access on the consent page.
    case denied
    /// The link was opened after it expired.
    case expired
    /// The link was opened again after it had been used.
    case alreadyUsed
    /// The authorization server or the code exchange failed; the text (plain, one line) says why.
    case failed(String)

    /// Whether it counts against the task's authorization attempts: a refusal or a failure does, a link
    /// opened too late or twice does not.
    public var countsAsAttempt: Bool {
        switch self {
        case .denied, .failed: true
        case .expired, .alreadyUsed: false
        }
    }
}

/// What an integration offers a user right now.
public enum IntegrationAccess: Sendable {
    /// Ready: these values are the `integration` placeholders (`integration.instanceUrl`, ...).
    case ready(JSONValue)
    /// The user (or, pre-authorized, the bot's owner) must authorize first.
    case authorizationRequired(AuthorizationRequest)
    /// The integration cannot be used at all (disabled, misconfigured); the text says why.
    case unavailable(String)
}

/// A connection to an external system that service nodes of a task with `integration: <name>` go through.
///
/// The integration owns credentials: it signs requests, refreshes tokens and, when it has none
/// for the user, answers with an authorization link. The runtime pauses the task and resumes
/// it when the host calls ``BotRuntime/authorizationCompleted(user:integration:)``.
public protocol Integration: Sendable {
    /// The name tasks use (`salesforce`).
    var name: String { get }
    /// Placeholders for the user's service nodes, or why they cannot run yet.
    func access(for user: UserID) async -> IntegrationAccess
    /// Sends a request on the user's behalf, adding credentials.
    func send(_ request: ServiceRequest, for user: UserID) async throws(ServiceCallError) -> ServiceResponse
}
