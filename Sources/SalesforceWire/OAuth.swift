/// The token endpoint's success body, with exactly Salesforce's fields (there is no `expires_in`).
public struct TokenResponse: Codable, Sendable, Hashable {
    public var accessToken: String
    /// Only on the authorization-code grant (and refresh when rotation is on).
    public var refreshToken: String?
    /// Base64 HMAC-SHA256 of `id + issued_at`, keyed by the client secret.
    public var signature: String
    public var scope: String?
    public var instanceURL: String
    /// The identity URL: `https://login.salesforce.com/id/<orgId>/<userId>`.
    public var id: String
    public var tokenType: String
    /// Epoch milliseconds, as a string.
    public var issuedAt: String
    public var idToken: String?

    public init(
        accessToken: String, refreshToken: String? = nil, signature: String, scope: String? = nil,
        instanceURL: String, id: String, tokenType: String = "Bearer", issuedAt: String, idToken: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.signature = signature
        self.scope = scope
        self.instanceURL = instanceURL
        self.id = id
        self.tokenType = tokenType
        self.issuedAt = issuedAt
        self.idToken = idToken
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case signature
        case scope
        case instanceURL = "instance_url"
        case id
        case tokenType = "token_type"
        case issuedAt = "issued_at"
        case idToken = "id_token"
    }
}

/// An OAuth error body: `{"error": "invalid_grant", "error_description": "authentication failure"}`.
public struct OAuthErrorBody: Codable, Sendable, Hashable, Error, CustomStringConvertible {
    public var error: String
    public var errorDescription: String?

    public init(error: String, errorDescription: String?) {
        self.error = error
        self.errorDescription = errorDescription
    }

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }

    public var description: String {
        errorDescription.map { "\(error): \($0)" } ?? error
    }

    public static func invalidGrant(_ description: String) -> Self { .init(error: "invalid_grant", errorDescription: description) }
    public static let authenticationFailure = invalidGrant("authentication failure")
    public static let expiredAuthorizationCode = invalidGrant("expired authorization code")
    public static let expiredToken = invalidGrant("expired access/refresh token")
    public static let invalidClientID = OAuthErrorBody(error: "invalid_client_id", errorDescription: "client identifier invalid")
    public static let invalidClient = OAuthErrorBody(error: "invalid_client", errorDescription: "invalid client credentials")
    public static let unsupportedGrantType = OAuthErrorBody(
        error: "unsupported_grant_type", errorDescription: "grant type not supported")
    public static let redirectURIMismatch = OAuthErrorBody(
        error: "redirect_uri_mismatch", errorDescription: "redirect_uri must match configuration")
}

/// `GET /services/oauth2/userinfo` (OpenID Connect shape), the fields Parley reads and shows.
public struct UserInfo: Codable, Sendable, Hashable {
    public var sub: String
    public var userID: String
    public var organizationID: String
    public var preferredUsername: String
    public var name: String
    public var email: String?
    public var zoneinfo: String?

    public init(
        sub: String, userID: String, organizationID: String, preferredUsername: String, name: String,
        email: String? = nil, zoneinfo: String? = nil
    ) {
        self.sub = sub
        self.userID = userID
        self.organizationID = organizationID
        self.preferredUsername = preferredUsername
        self.name = name
        self.email = email
        self.zoneinfo = zoneinfo
    }

    enum CodingKeys: String, CodingKey {
        case sub
        case userID = "user_id"
        case organizationID = "organization_id"
        case preferredUsername = "preferred_username"
        case name
        case email
        case zoneinfo
    }
}
