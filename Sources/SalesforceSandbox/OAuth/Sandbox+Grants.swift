public import SalesforceWire

extension Sandbox {
    /// Tokens for a user and a connected app, as the token endpoint would give them after that user signed in
    /// and allowed the app, with a refresh token when the app's scopes include `refresh_token`.
    ///
    /// For fixtures that start from an authorization made earlier (a bot's developer who connected the bot
    /// before any test), where going through the login and consent pages again is beside the point.
    ///
    /// - Throws: `SandboxError` for an unregistered client id or a username the org does not have.
    public func grantTokens(username: String, clientID: String = ConnectedApp.systemClientID) throws -> TokenResponse {
        guard let app = try oauth.app(clientID: clientID) else { throw SandboxError.unknownApp(clientID) }
        guard let user = records.user(username: username) else { throw SandboxError.unknownUser(username) }
        let tokens = try oauth.issueTokens(
            clientID: app.clientID, userID: user.id, organizationID: user.organizationID, scopes: app.scopes,
            withRefreshToken: !OAuthScope.refreshScopes.isDisjoint(with: app.scopes))
        return oauthServer.tokenBody(tokens, app: app, user: user, scopes: app.scopes)
    }
}
