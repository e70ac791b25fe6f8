import AsyncHTTPClient
import Foundation
import Logging
import SalesforceSandbox
import SalesforceSandboxTesting
import SalesforceWire
import Testing

@testable import SalesforceAPI

/// Runs `body` with an HTTP client that does not follow redirects (as the OAuth flow needs to see them),
/// shutting it down afterwards whether `body` returns or throws.
func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    try await SalesforceAPI.withHTTPClient(configuration: HTTPClient.Configuration(redirectConfiguration: .disallow), body)
}

extension SandboxBrowser {
    /// Logs in as the demo user and allows access; returns the callback URL the browser is sent to.
    func authorize(_ url: URL) async throws -> URLComponents {
        let redirect = try await signIn(at: url.absoluteString) { $0.hasPrefix(SandboxSession.redirectURI) }
        let location = try #require(redirect.location)
        return try #require(URLComponents(string: location))
    }
}

extension URLComponents {
    func value(of name: String) -> String? { queryItems?.first { $0.name == name }?.value }
}

/// An authorized session against a running sandbox: its app, tokens, and clients over real HTTP.
struct SandboxSession {
    let sandbox: Sandbox
    let app: ConnectedApp
    let token: TokenResponse
    let oauth: OAuthClient
    let store: InMemoryCredentialStore
    let client: SalesforceClient

    static let redirectURI = SandboxConfiguration.defaultSystemAppCallbacks[0]

    /// Authorizes the system app through the login and consent pages and builds a client on the tokens.
    static func authorize(
        _ sandbox: Sandbox, http: HTTPClient, transport: (any HTTPTransport)? = nil, timeout: Duration = .seconds(5),
        retry: RetryPolicy = .standard, logger: Logger = Logger(label: "test")
    ) async throws -> SandboxSession {
        let app = try sandbox.systemApp()
        let oauth = try OAuthClient(loginURL: sandbox.baseURL, httpClient: http, logger: logger)
        let request = oauth.authorizationURL(clientID: app.clientID, redirectURI: redirectURI)
        let callback = try await SandboxBrowser(sandbox: sandbox).authorize(request.url)
        #expect(callback.value(of: "state") == request.state)
        let code = try #require(callback.value(of: "code"))
        let token = try await oauth.exchange(
            code: code, verifier: request.pkce.verifier, redirectURI: redirectURI, clientID: app.clientID,
            clientSecret: app.clientSecret)
        let store = InMemoryCredentialStore(SalesforceCredentials(token))
        let client = try SalesforceClient(
            transport: transport ?? AsyncHTTPClientTransport(http), credentials: store,
            refresher: TokenRefresher(oauth: oauth, clientID: app.clientID, clientSecret: app.clientSecret),
            timeout: timeout, retry: retry, logger: logger)
        return SandboxSession(sandbox: sandbox, app: app, token: token, oauth: oauth, store: store, client: client)
    }
}
