import Foundation
import Hummingbird
import Logging
import SalesforceWire
import WebEncoding

/// `POST /services/oauth2/token` and `/services/oauth2/revoke`.
extension OAuthServer {
    /// Exchanges a code, a refresh token or client credentials for tokens, with exactly Salesforce's fields.
    func token(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard var form = try? await formFields(request, context) else {
            return SandboxResponse.oauthError(.init(error: "invalid_request", errorDescription: "the request body is malformed"))
        }
        // HTTP Basic client authentication, as an alternative to client_id/client_secret in the body.
        if let basic = Self.basicCredentials(request) {
            form.merge(HTTPForm(fields: [("client_id", basic.id), ("client_secret", basic.secret)]))
        }
        do {
            switch form["grant_type"] {
            case nil, "": throw OAuthErrorBody(error: "invalid_request", errorDescription: "grant type is missing")
            case "authorization_code": return try await authorizationCodeGrant(form)
            case "refresh_token": return try await refreshTokenGrant(form)
            case "client_credentials": return try await clientCredentialsGrant(form)
            case "password": return try await passwordGrant(form)
            default: throw OAuthErrorBody.unsupportedGrantType
            }
        } catch let error as OAuthErrorBody {
            logger.info("Sandbox token request refused", metadata: ["error": .string(error.error)])
            return SandboxResponse.oauthError(error)
        }
    }

    private func authorizationCodeGrant(_ form: HTTPForm) async throws -> Response {
        let app = try client(form, secretRequired: false)
        guard let code = form.nonEmpty("code") else { throw OAuthErrorBody.invalidGrant("invalid authorization code") }
        guard let grant = try store.redeemCode(code) else { throw OAuthErrorBody.expiredAuthorizationCode }
        guard grant.clientID == app.clientID else { throw OAuthErrorBody.authenticationFailure }
        guard form["redirect_uri"] == grant.redirectURI else { throw OAuthErrorBody.redirectURIMismatch }
        let verifier = form.nonEmpty("code_verifier")
        if let challenge = grant.codeChallenge {
            guard let verifier else { throw OAuthErrorBody.invalidGrant("invalid code verifier") }
            guard SecretMaker.constantTimeEqual(SecretMaker.pkceChallenge(verifier: verifier), challenge) else {
                throw OAuthErrorBody(error: "invalid_request", errorDescription: "invalid code verifier")
            }
        } else {
            // Without PKCE, only the client secret proves who is redeeming the code.
            guard form.nonEmpty("client_secret") != nil else { throw OAuthErrorBody.invalidClient }
            guard verifier == nil else { throw OAuthErrorBody.invalidGrant("invalid code verifier") }
        }
        let user = try activeUser(id: grant.userID)
        let withRefresh = !OAuthScope.refreshScopes.isDisjoint(with: grant.scopes)
        let tokens = try store.issueTokens(
            clientID: app.clientID, userID: user.id, organizationID: user.organizationID, scopes: grant.scopes,
            withRefreshToken: withRefresh)
        return tokenResponse(tokens, app: app, user: user, scopes: grant.scopes)
    }

    private func refreshTokenGrant(_ form: HTTPForm) async throws -> Response {
        let app = try client(form, secretRequired: false)
        guard let refreshToken = form.nonEmpty("refresh_token"), let grant = try store.refreshGrant(refreshToken) else {
            throw OAuthErrorBody.expiredToken
        }
        guard grant.clientID == app.clientID else { throw OAuthErrorBody.authenticationFailure }
        let user = try activeUser(id: grant.userID)
        let tokens = try store.issueTokens(
            clientID: app.clientID, userID: user.id, organizationID: user.organizationID, scopes: grant.scopes,
            withRefreshToken: false, fromRefreshToken: grant.tokenHash)
        return tokenResponse(tokens, app: app, user: user, scopes: grant.scopes)
    }

    private func clientCredentialsGrant(_ form: HTTPForm) async throws -> Response {
        let app = try client(form, secretRequired: true)
        guard let user = try users.user(username: clientCredentialsUsername) else {
            throw OAuthErrorBody.invalidGrant("no client credentials user enabled")
        }
        let scopes = app.scopes.filter { !OAuthScope.excludedFromClientCredentials.contains($0) }
        let tokens = try store.issueTokens(
            clientID: app.clientID, userID: user.id, organizationID: user.organizationID, scopes: scopes,
            withRefreshToken: false)
        return tokenResponse(tokens, app: app, user: user, scopes: scopes)
    }

    /// The username-password flow: no refresh token, all of the app's other scopes.
    private func passwordGrant(_ form: HTTPForm) async throws -> Response {
        let app = try client(form, secretRequired: true)
        guard let username = form.nonEmpty("username"), let password = form["password"],
            let user = try users.verifyPassword(username: username, password: password)
        else { throw OAuthErrorBody.authenticationFailure }
        let scopes = app.scopes.filter { !OAuthScope.refreshScopes.contains($0) }
        let tokens = try store.issueTokens(
            clientID: app.clientID, userID: user.id, organizationID: user.organizationID, scopes: scopes,
            withRefreshToken: false)
        return tokenResponse(tokens, app: app, user: user, scopes: scopes)
    }

    /// The app making the request; a secret, when sent (or required), must be the app's.
    private func client(_ form: HTTPForm, secretRequired: Bool) throws -> ConnectedApp {
        guard let clientID = form.nonEmpty("client_id"), let app = try store.app(clientID: clientID) else {
            throw OAuthErrorBody.invalidClientID
        }
        if let secret = form.nonEmpty("client_secret") {
            guard SecretMaker.constantTimeEqual(secret, app.clientSecret) else { throw OAuthErrorBody.invalidClient }
        } else if secretRequired {
            throw OAuthErrorBody.invalidClient
        }
        return app
    }

    private func activeUser(id: String) throws -> SandboxUser {
        guard let user = try users.user(id: id) else { throw OAuthErrorBody.invalidGrant("inactive user") }
        return user
    }

    private func tokenResponse(
        _ tokens: OAuthStore.IssuedTokens, app: ConnectedApp, user: SandboxUser, scopes: [String]
    ) -> Response {
        var response = SandboxResponse.json(tokenBody(tokens, app: app, user: user, scopes: scopes))
        response.headers[.cacheControl] = "no-cache,must-revalidate,max-age=0,no-store,private"
        return response
    }

    /// What the token endpoint answers for freshly issued tokens.
    func tokenBody(_ tokens: OAuthStore.IssuedTokens, app: ConnectedApp, user: SandboxUser, scopes: [String]) -> TokenResponse {
        let id = identityURL(of: user)
        let issuedAt = String(Int64((tokens.issuedAt.timeIntervalSince1970 * 1000).rounded(.down)))
        return TokenResponse(
            accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
            signature: SecretMaker.signature(id: id, issuedAt: issuedAt, clientSecret: app.clientSecret),
            scope: scopes.joined(separator: " "), instanceURL: address.baseURL, id: id, tokenType: "Bearer",
            issuedAt: issuedAt)
    }

    /// Revokes an access or refresh token given as `token` in the body or the query.
    func revoke(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let form = try? await formFields(request, context) else {
            return SandboxResponse.oauthError(.init(error: "invalid_request", errorDescription: "the request body is malformed"))
        }
        guard let token = form.nonEmpty("token") else {
            return SandboxResponse.oauthError(
                .init(error: "unsupported_token_type", errorDescription: "this token type is not supported"))
        }
        guard try store.revoke(token) else {
            return SandboxResponse.oauthError(.init(error: "invalid_token", errorDescription: "invalid token"))
        }
        return Response(status: .ok, headers: [.cacheControl: "no-cache,must-revalidate,max-age=0,no-store,private"])
    }

    /// `Authorization: Basic base64(client_id:client_secret)`, each part form-encoded (RFC 6749 2.3.1).
    private static func basicCredentials(_ request: Request) -> (id: String, secret: String)? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let decode = { (part: Substring) in
            PercentEncoding.decoded(part) ?? String(part)
        }
        return (decode(text[..<colon]), decode(text[text.index(after: colon)...]))
    }
}
