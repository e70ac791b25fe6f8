public import Foundation
public import SalesforceAPI

/// A token in the vault, with who it belongs to on the other side.
///
/// `description` never shows the tokens.
public struct StoredAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// The end user, or empty for the bot's own pre-authorized token.
    public var user: String
    public var credentials: SalesforceCredentials
    /// The Salesforce username (`demo@parley.dev`), when known.
    public var username: String?
    public var authorizedAt: Date

    public init(user: String, credentials: SalesforceCredentials, username: String?, authorizedAt: Date) {
        self.user = user
        self.credentials = credentials
        self.username = username
        self.authorizedAt = authorizedAt
    }

    public var description: String {
        "StoredAuthorization(user: \(user.isEmpty ? "(bot)" : user), username: \(username ?? "unknown"), \(credentials))"
    }
}

/// The sealed form of credentials: only the vault sees this JSON.
struct SealedCredentials: Codable {
    var accessToken: String
    var refreshToken: String?
    var instanceURL: String
    var identityURL: String?
    var issuedAt: String?

    init(_ credentials: SalesforceCredentials) {
        accessToken = credentials.accessToken
        refreshToken = credentials.refreshToken
        instanceURL = credentials.instanceURL
        identityURL = credentials.identityURL
        issuedAt = credentials.issuedAt
    }

    var credentials: SalesforceCredentials {
        SalesforceCredentials(
            accessToken: accessToken, refreshToken: refreshToken, instanceURL: instanceURL, identityURL: identityURL,
            issuedAt: issuedAt)
    }
}

/// An authorization started and not yet completed: what the OAuth callback needs to finish it.
public struct PendingAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// The single-use `state` sent to the authorization server.
    public var state: String
    public var bot: String
    public var action: String
    /// The end user, or empty for the bot's own authorization.
    public var user: String
    /// The conversation that paused for it.
    public var conversation: String
    /// The PKCE verifier for the code exchange.
    public var verifier: String
    public var redirectURI: String
    public var createdAt: Date
    public var expiresAt: Date

    /// How long a link stays valid unless `bot.yaml` says otherwise (`authorization: linkLifetime`).
    public static let lifetime: TimeInterval = 10 * 60

    public init(
        state: String, bot: String, action: String, user: String, conversation: String, verifier: String,
        redirectURI: String, createdAt: Date, expiresAt: Date
    ) {
        self.state = state
        self.bot = bot
        self.action = action
        self.user = user
        self.conversation = conversation
        self.verifier = verifier
        self.redirectURI = redirectURI
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public var description: String {
        "PendingAuthorization(bot: \(bot), action: \(action), user: \(user), expiresAt: \(expiresAt))"
    }
}

/// Why an OAuth callback's `state` was refused.
public enum AuthorizationStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No authorization was started with this state (or it was cleared).
    case unknown
    /// The link was already used once.
    case alreadyUsed
    /// The link is older than its lifetime (10 minutes unless `bot.yaml` says otherwise).
    case expired

    public var description: String {
        switch self {
        case .unknown: "This authorization link is not known. Ask the bot for a new one."
        case .alreadyUsed: "This authorization link was already used. Ask the bot for a new one."
        case .expired: "This authorization link has expired. Ask the bot for a new one."
        }
    }
}

/// What the store knows of an authorization link from its `state`, without its secrets.
public struct PendingLinkStatus: Sendable, Hashable {
    public var user: String
    public var conversation: String
    public var action: String
    public var expiresAt: Date
    public var isUsed: Bool

    public init(user: String, conversation: String, action: String, expiresAt: Date, isUsed: Bool) {
        self.user = user
        self.conversation = conversation
        self.action = action
        self.expiresAt = expiresAt
        self.isUsed = isUsed
    }

    /// Whether the link can still complete: not used and not expired.
    public func isLive(at now: Date) -> Bool { !isUsed && now <= expiresAt }
}

/// Where an end user stands with an action, as a turn that needs it asks: the first of a token, a token waiting for
/// its code, and a link the conversation was sent that is still live.
public enum AuthorizationStanding: Sendable, Hashable {
    case authorized(StoredAuthorization)
    /// A token is kept aside until the user types the code the callback page showed.
    case awaitingCode
    /// The conversation was sent this link, which is neither used nor expired.
    case linkSent(LiveLink)
    /// None of these: the user needs a new link.
    case unauthorized
}

/// A link that is still usable, as the store keeps it.
public struct LiveLink: Sendable, Hashable {
    /// The short link's id (`/a/<id>` on the callback server).
    public var id: String
    public var state: String
    /// The identity provider's authorize URL the short link redirects to.
    public var authorizeURL: String
    public var expiresAt: Date

    public init(id: String, state: String, authorizeURL: String, expiresAt: Date) {
        self.id = id
        self.state = state
        self.authorizeURL = authorizeURL
        self.expiresAt = expiresAt
    }
}
