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

/// A link the user must open to authorize an integration before a paused task can go on, or, once the browser came
/// back in confirm-with-code mode, the code the user must type.
public struct AuthorizationRequest: Sendable, Hashable, Codable {
    /// The integration's name, as tasks name it (`salesforce`).
    public var integration: String
    /// The page the user opens in a browser; empty while a code is awaited.
    public var url: String
    /// Whether the browser came back and the connection waits for the six-digit code its page shows.
    public var awaitingCode: Bool

    public init(integration: String, url: String, awaitingCode: Bool = false) {
        self.integration = integration
        self.url = url
        self.awaitingCode = awaitingCode
    }

    /// The code the user must type to finish connecting this integration.
    public static func code(for integration: String) -> AuthorizationRequest {
        AuthorizationRequest(integration: integration, url: "", awaitingCode: true)
    }

    private enum CodingKeys: String, CodingKey {
        case integration, url, awaitingCode
    }

    // Conversations stored before codes existed have no `awaitingCode`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        integration = try container.decode(String.self, forKey: .integration)
        url = try container.decode(String.self, forKey: .url)
        awaitingCode = try container.decodeIfPresent(Bool.self, forKey: .awaitingCode) ?? false
    }
}

/// What became of a six-digit code the user typed to finish an authorization.
public enum AuthorizationConfirmation: Sendable, Hashable {
    /// The code matched: the connection is kept; `account` is who the user is on the other side, when known.
    case connected(account: String?)
    /// The code was wrong or late: nothing is kept.
    case rejected(AuthorizationFailure)
    /// No authorization waits for a code (it was never started, or already ended).
    case nothingPending
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
    /// The six-digit code typed in the chat was not the one the browser showed.
    case wrongCode
    /// The six-digit code was typed after it expired.
    case codeExpired

    /// Whether it counts against the task's authorization attempts: a refusal, a failure or a wrong or late code
    /// does, a link opened too late or twice does not.
    public var countsAsAttempt: Bool {
        switch self {
        case .denied, .failed, .wrongCode, .codeExpired: true
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
    /// The integration's own credentials (the bot's, pre-authorized) are missing or unusable: users are told the
    /// connection needs attention, and only its operator can fix it. The text says why, for the operator.
    case needsAttention(String)
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
    /// Checks the six-digit code the user typed to finish an authorization that waits for one, and keeps the
    /// connection when it matches.
    func confirmAuthorization(code: String, for user: UserID) async -> AuthorizationConfirmation
}

extension Integration {
    /// An integration that never asks for codes has none pending.
    public func confirmAuthorization(code: String, for user: UserID) async -> AuthorizationConfirmation {
        .nothingPending
    }
}
