import AsyncHTTPClient
import Foundation
import Logging
import SalesforceSandbox
import SalesforceWire
import Testing
import WebEncoding

@testable import SalesforceAPI

/// Runs `body` with an HTTP client that does not follow redirects (as the OAuth flow needs to see them),
/// shutting it down afterwards whether `body` returns or throws.
func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = HTTPClient(configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Drives the sandbox's login and consent pages as a browser would: GET, POST forms, keep the session cookie.
struct Browser {
    let transport: AsyncHTTPClientTransport
    let baseURL: String
    var cookie: String?

    init(_ client: HTTPClient, baseURL: String) {
        transport = AsyncHTTPClientTransport(client)
        self.baseURL = baseURL
    }

    mutating func get(_ location: String) async throws -> RawResponse {
        try await send(TransportRequest(method: .get, url: try url(location)))
    }

    mutating func post(_ location: String, form: [(String, String)]) async throws -> RawResponse {
        let body = FormEncoding.encode(form)
        return try await send(
            TransportRequest(
                method: .post, url: try url(location), headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: Data(body.utf8)))
    }

    private mutating func send(_ request: TransportRequest) async throws -> RawResponse {
        var request = request
        if let cookie { request.headers["Cookie"] = cookie }
        let response = try await transport.execute(request, timeout: .seconds(5))
        if let setCookie = response.header("set-cookie"), let pair = setCookie.split(separator: ";").first {
            cookie = String(pair)
        }
        return response
    }

    private func url(_ location: String) throws -> URL {
        try #require(URL(string: location.hasPrefix("/") ? baseURL + location : location))
    }

    /// The hidden fields of the page's form.
    static func hiddenFields(_ html: String) -> [(String, String)] {
        let pattern = /<input type="hidden" name="([^"]+)" value="([^"]*)">/
        return html.matches(of: pattern).map { match in
            (String(match.output.1), String(match.output.2).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    /// Logs in as the demo user and allows access; returns the callback URL the browser is sent to.
    mutating func authorize(
        _ url: URL, username: String = "demo@parley.dev", password: String = "parley-demo"
    ) async throws -> URLComponents {
        let loginPage = try await get(url.absoluteString)
        #expect(loginPage.status == 200)
        #expect(loginPage.text.contains("name=\"pw\""))
        let afterLogin = try await post(
            "/services/oauth2/authorize/login",
            form: Self.hiddenFields(loginPage.text) + [("username", username), ("pw", password)])
        #expect((300..<400).contains(afterLogin.status))
        let consentLocation = try #require(afterLogin.header("location"))
        let consentPage = try await get(consentLocation)
        #expect(consentPage.text.contains("oaapprove"))
        let afterConsent = try await post(
            "/services/oauth2/authorize/consent", form: Self.hiddenFields(consentPage.text) + [("oaapprove", "Allow")])
        #expect((300..<400).contains(afterConsent.status))
        let callback = try #require(afterConsent.header("location"))
        return try #require(URLComponents(string: callback))
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
        var browser = Browser(http, baseURL: sandbox.baseURL)
        let callback = try await browser.authorize(request.url)
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
