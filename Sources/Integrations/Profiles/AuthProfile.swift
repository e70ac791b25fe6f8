public import Foundation

/// An OAuth v2 authorization profile: the client a custom app authorizes through.
///
/// The client secret is held only in memory here; the store keeps it encrypted, and `description` masks it.
public struct AuthProfile: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The identity provider's name, as people know it (`Salesforce`).
    public var identityProvider: String
    public var clientID: String
    public var clientSecret: String
    public var authorizationURL: String
    public var tokenURL: String
    /// Space-separated scopes (`api refresh_token`).
    public var scope: String
    /// Where refresh requests go; the token URL when absent.
    public var refreshURL: String?
    /// Where the identity provider sends the browser back to; shown read-only.
    public var callbackURL: String
    public var createdAt: Date

    /// Where Parley's loopback callback server listens by default.
    public static let defaultCallbackURL = "http://127.0.0.1:8974/oauth/callback"
    /// The longest client id or secret accepted, as on the seed platform.
    public static let maximumCredentialLength = 255

    public init(
        name: String, identityProvider: String, clientID: String, clientSecret: String, authorizationURL: String,
        tokenURL: String, scope: String, refreshURL: String? = nil, callbackURL: String = AuthProfile.defaultCallbackURL,
        createdAt: Date = Date()
    ) {
        self.name = name
        self.identityProvider = identityProvider
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authorizationURL = authorizationURL
        self.tokenURL = tokenURL
        self.scope = scope
        self.refreshURL = refreshURL
        self.callbackURL = callbackURL
        self.createdAt = createdAt
    }

    /// The scopes, one per element.
    public var scopes: [String] { scope.split(whereSeparator: \.isWhitespace).map(String.init) }

    /// The secret as `show` prints it: a few bullets, never any of its characters.
    public static let maskedSecret = "••••••••"

    public var description: String {
        "AuthProfile(name: \(name), identityProvider: \(identityProvider), clientID: \(clientID), clientSecret: \(Self.maskedSecret))"
    }

    /// Checks every field, reporting the first problem with the option that sets it.
    ///
    /// - Throws: `IntegrationInputError` naming the field.
    public func validate() throws {
        try Self.requireText(name, field: "--name", maximum: 80)
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) }) else {
            throw IntegrationInputError(field: "--name", "'\(name)' may hold only letters, digits, spaces, '-', '_' and '.'")
        }
        try Self.requireText(identityProvider, field: "--idp", maximum: 255)
        try Self.requireText(clientID, field: "--client-id", maximum: Self.maximumCredentialLength)
        // The secret's value is never repeated in an error.
        if clientSecret.isEmpty {
            throw IntegrationInputError(field: "--client-secret-env", "the client secret is empty")
        }
        if clientSecret.count > Self.maximumCredentialLength {
            throw IntegrationInputError(
                field: "--client-secret-env", "the client secret is longer than \(Self.maximumCredentialLength) characters")
        }
        try URLRules.check(authorizationURL, field: "--authorization-url")
        try URLRules.check(tokenURL, field: "--token-url")
        if let refreshURL { try URLRules.check(refreshURL, field: "--refresh-url") }
        try URLRules.check(callbackURL, field: "callback URL")
        if scopes.isEmpty { throw IntegrationInputError(field: "--scope", "at least one scope is required, e.g. \"api refresh_token\"") }
    }

    private static func requireText(_ text: String, field: String, maximum: Int) throws {
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw IntegrationInputError(field: field, "a value is required")
        }
        if text.count > maximum { throw IntegrationInputError(field: field, "longer than \(maximum) characters") }
    }
}
