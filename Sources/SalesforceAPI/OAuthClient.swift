public import AsyncHTTPClient
import Foundation
public import Logging
public import SalesforceWire
import WebEncoding

/// An OAuth 2.0 client for Salesforce's web server flow with PKCE: authorization URL, code exchange,
/// refresh, revoke and userinfo.
///
/// Token requests are POSTs and are never retried. Errors are `SalesforceError`: `.oauth` for the server's
/// `{"error", "error_description"}`, `.signatureMismatch` when a signed response does not verify.
public struct OAuthClient: Sendable {
    public let endpoints: OAuthEndpoints
    let executor: RequestExecutor

    /// A client over any transport.
    ///
    /// - Parameter timeout: per request; default 5 s, at most 20 s.
    public init(
        endpoints: OAuthEndpoints, transport: any HTTPTransport, timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "parley.salesforce.oauth")
    ) {
        self.endpoints = endpoints
        self.executor = RequestExecutor(transport: transport, timeout: timeout, retry: .never, logger: logger)
    }

    /// A client over AsyncHTTPClient; the caller owns `httpClient` and shuts it down after the last request.
    public init(
        endpoints: OAuthEndpoints, httpClient: HTTPClient, timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "parley.salesforce.oauth")
    ) {
        self.init(endpoints: endpoints, transport: AsyncHTTPClientTransport(httpClient), timeout: timeout, logger: logger)
    }

    /// A client for Salesforce's endpoints under a login URL (login.salesforce.com, a My Domain, the sandbox).
    ///
    /// - Throws: `SalesforceError.invalidArgument` when the login URL is not an absolute http(s) URL.
    public init(
        loginURL: String, httpClient: HTTPClient, timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "parley.salesforce.oauth")
    ) throws {
        try self.init(endpoints: OAuthEndpoints(loginURL: loginURL), httpClient: httpClient, timeout: timeout, logger: logger)
    }

    // MARK: Authorization

    /// The URL to send the user to, with a fresh PKCE pair and a `state` (random unless given).
    ///
    /// - Parameters:
    ///   - scopes: joined with spaces, e.g. `["api", "refresh_token"]`; omitted when empty.
    ///   - prompt: `login`, `consent`, or both space-separated.
    ///   - loginHint: a username to prefill.
    public func authorizationURL(
        clientID: String, redirectURI: String, scopes: [String] = ["api", "refresh_token"], state: String? = nil,
        prompt: String? = nil, loginHint: String? = nil
    ) -> AuthorizationRequest {
        let pkce = PKCE()
        let state = state ?? Base64URL.randomToken()
        var parameters: [(String, String)] = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
        ]
        if !scopes.isEmpty { parameters.append(("scope", scopes.joined(separator: " "))) }
        parameters.append(("state", state))
        parameters.append(("code_challenge", pkce.challenge))
        parameters.append(("code_challenge_method", PKCE.challengeMethod))
        if let prompt { parameters.append(("prompt", prompt)) }
        if let loginHint { parameters.append(("login_hint", loginHint)) }
        let base = endpoints.authorizationURL.absoluteString
        let separator = endpoints.authorizationURL.query == nil ? "?" : "&"
        // The endpoint is a valid URL and the appended query is fully percent-encoded, so this parses.
        let url = URL(string: base + separator + PercentEncoding.query(parameters)) ?? endpoints.authorizationURL
        return AuthorizationRequest(url: url, state: state, pkce: pkce)
    }

    // MARK: Tokens

    /// Exchanges an authorization code for tokens.
    ///
    /// When `clientSecret` is given, the response's `signature` is verified and a mismatch throws
    /// `SalesforceError.signatureMismatch`.
    /// - Parameter verifier: the `pkce.verifier` of the `AuthorizationRequest`; `nil` only if PKCE was not used.
    public func exchange(
        code: String, verifier: String?, redirectURI: String, clientID: String, clientSecret: String?
    ) async throws -> TokenResponse {
        var form: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("client_id", clientID), ("redirect_uri", redirectURI),
        ]
        if let clientSecret { form.append(("client_secret", clientSecret)) }
        if let verifier { form.append(("code_verifier", verifier)) }
        return try await tokenRequest(to: endpoints.tokenURL, form: form, clientSecret: clientSecret)
    }

    /// Gets a new access token for a refresh token. The response carries no refresh token unless the org
    /// rotates them; `SalesforceCredentials.refreshed(by:)` keeps the old one.
    public func refresh(refreshToken: String, clientID: String, clientSecret: String?) async throws -> TokenResponse {
        var form: [(String, String)] = [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID),
        ]
        if let clientSecret { form.append(("client_secret", clientSecret)) }
        return try await tokenRequest(to: endpoints.refreshURL, form: form, clientSecret: clientSecret)
    }

    /// Revokes an access or refresh token; revoking a refresh token also ends the access tokens issued from it.
    public func revoke(token: String) async throws {
        let response = try await executor.execute(formRequest(to: endpoints.revokeURL, form: [("token", token)]))
        try ResponseDecoding.expectSuccess(response)
    }

    /// Who the access token belongs to (`GET /services/oauth2/userinfo`).
    public func userInfo(accessToken: String) async throws -> UserInfo {
        let request = TransportRequest(
            method: .get, url: endpoints.userInfoURL,
            headers: ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"])
        let response = try await executor.execute(request)
        if ResponseDecoding.isExpiredSession(response) {
            throw SalesforceError.authorizationRequired(reason: "the access token is no longer valid")
        }
        return try ResponseDecoding.decode(UserInfo.self, from: response)
    }

    private func tokenRequest(to url: URL, form: [(String, String)], clientSecret: String?) async throws -> TokenResponse {
        let response = try await executor.execute(formRequest(to: url, form: form))
        let token = try ResponseDecoding.decode(TokenResponse.self, from: response)
        if let clientSecret, !clientSecret.isEmpty, !TokenSignature.isValid(token, clientSecret: clientSecret) {
            throw SalesforceError.signatureMismatch
        }
        return token
    }

    private func formRequest(to url: URL, form: [(String, String)]) -> TransportRequest {
        TransportRequest(
            method: .post, url: url,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data(FormEncoding.encode(form).utf8))
    }
}
