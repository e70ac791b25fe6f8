/// A client registered with the sandbox's OAuth server, as a connected app is in Salesforce.
public struct ConnectedApp: Sendable, Hashable {
    /// The consumer key.
    public var clientID: String
    public var name: String
    /// The consumer secret; show it only where a person explicitly asked for it.
    public var clientSecret: String
    /// Redirect URIs, matched exactly.
    public var callbackURLs: [String]
    /// The scopes the app may be granted; also what an authorize request without `scope` gets.
    public var scopes: [String]
    /// The pre-registered `parley-system` app.
    public var isSystem: Bool

    /// The system app's client id.
    public static let systemClientID = "parley-system"
    /// What a new app may be granted unless told otherwise.
    public static let defaultScopes = ["api", "refresh_token"]
}

/// Scopes the sandbox knows, with the words Salesforce's consent page uses for them.
enum OAuthScope {
    static let descriptions: [String: String] = [
        "api": "Manage user data via APIs",
        "refresh_token": "Perform requests at any time",
        "offline_access": "Perform requests at any time",
        "full": "Full access",
        "web": "Manage user data via Web browsers",
        "id": "Access the identity URL service",
        "profile": "Access the identity URL service",
        "email": "Access the identity URL service",
        "address": "Access the identity URL service",
        "phone": "Access the identity URL service",
        "openid": "Access unique user identifiers",
        "chatter_api": "Access Connect REST API resources",
        "visualforce": "Manage user data via Web browsers",
    ]

    /// Scopes a token may use the REST API with.
    static let restScopes: Set<String> = ["api", "full"]
    /// Scopes that make the authorization-code grant also issue a refresh token.
    static let refreshScopes: Set<String> = ["refresh_token", "offline_access"]
    /// Scopes the client-credentials grant never grants.
    static let excludedFromClientCredentials: Set<String> = ["full", "web", "offline_access", "refresh_token"]

    /// Splits a `scope` parameter into distinct scopes in their given order.
    static func parse(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == " " || $0 == "+" || $0 == "," })
            .map(String.init)
            .filter { seen.insert($0).inserted }
    }
}
