/// The connected app a `SalesforceClient` refreshes tokens with: the OAuth endpoints and the client's identity.
public struct TokenRefresher: Sendable {
    public var oauth: OAuthClient
    public var clientID: String
    /// Optional: a client with PKCE and no secret can still refresh.
    public var clientSecret: String?

    public init(oauth: OAuthClient, clientID: String, clientSecret: String? = nil) {
        self.oauth = oauth
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
