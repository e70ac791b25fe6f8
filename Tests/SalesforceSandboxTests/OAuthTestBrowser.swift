import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyJSON
import Synchronization
import Testing

@testable import SalesforceSandbox

/// A response as a browser or an HTTP client sees it.
struct WebReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var text: String

    var json: JSONValue? { try? JSONValue(parsing: text) }
    var location: String? { headers.first(name: "Location") }

    /// The value of a form field on an HTML page (`<input name="..." value="...">`), unescaped.
    func formValue(_ name: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Query fields of the `Location` header, decoded.
    var locationQuery: [String: String] {
        guard let location, let components = URLComponents(string: location) else { return [:] }
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] { fields[item.name] = item.value ?? "" }
        return fields
    }
}

/// Drives the sandbox over real HTTP the way a browser does: no automatic redirects, and a cookie jar.
final class OAuthTestBrowser: Sendable {
    let client: HTTPClient
    let baseURL: String
    private let cookies = Mutex<[String: String]>([:])

    init(baseURL: String) {
        self.baseURL = baseURL
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Runs `body` with a browser for the sandbox, shutting the client down afterwards.
    static func with<T>(_ sandbox: Sandbox, _ body: (OAuthTestBrowser) async throws -> T) async throws -> T {
        let browser = OAuthTestBrowser(baseURL: sandbox.baseURL)
        do {
            let result = try await body(browser)
            try await browser.shutdown()
            return result
        } catch {
            try? await browser.shutdown()
            throw error
        }
    }

    var sessionCookie: String? { cookies.withLock { $0["sid"] } }

    func forgetCookies() {
        cookies.withLock { $0.removeAll() }
    }

    /// Sends a request; a relative `url` is resolved against the sandbox.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        sendCookies: Bool = true
    ) async throws -> WebReply {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : baseURL + url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if sendCookies {
            let jar = cookies.withLock { $0 }
            if !jar.isEmpty {
                request.headers.add(name: "Cookie", value: jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        for header in response.headers["Set-Cookie"] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies.withLock { $0[String(pair[0])] = String(pair[1]) } }
        }
        return WebReply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    func get(_ url: String, bearer: String? = nil) async throws -> WebReply {
        try await send(.GET, url, headers: bearer.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    /// Posts an `application/x-www-form-urlencoded` form.
    func post(_ url: String, form: [(String, String)], headers: [(String, String)] = []) async throws -> WebReply {
        try await send(
            .POST, url, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Array(HTTPForm.encode(form).utf8))
    }
}

/// A PKCE verifier and its S256 challenge.
struct PKCEPair {
    var verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-" + UUID().uuidString
    var challenge: String { SecretMaker.pkceChallenge(verifier: verifier) }
}

/// A clock tests can move forward.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_773_835_200)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// The OAuth steps shared by the tests, each as a browser or a client performs it.
enum OAuthSteps {
    static let callback = "http://127.0.0.1:8974/oauth/callback"

    static func authorizeURL(
        clientID: String = ConnectedApp.systemClientID, redirectURI: String = callback, state: String? = "st-1",
        scope: String? = "api refresh_token", challenge: String? = nil, method: String? = nil, prompt: String? = nil,
        loginHint: String? = nil
    ) -> String {
        var fields = [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if let state { fields.append(("state", state)) }
        if let scope { fields.append(("scope", scope)) }
        if let challenge { fields.append(("code_challenge", challenge)) }
        if let method { fields.append(("code_challenge_method", method)) }
        if let prompt { fields.append(("prompt", prompt)) }
        if let loginHint { fields.append(("login_hint", loginHint)) }
        return "/services/oauth2/authorize?" + HTTPForm.encode(fields)
    }

    /// Logs in on a login page; returns the reply to the login form.
    static func logIn(
        _ browser: OAuthTestBrowser, page: WebReply, username: String = "demo@parley.dev", password: String = "parley-demo"
    ) async throws -> WebReply {
        try await browser.post(
            "/services/oauth2/authorize/login",
            form: [
                ("request", page.formValue("request") ?? ""), ("csrf", page.formValue("csrf") ?? ""),
                ("username", username), ("pw", password), ("Login", "Login"),
            ])
    }

    /// Answers a consent page with Allow or Deny.
    static func answer(_ browser: OAuthTestBrowser, consent: WebReply, allow: Bool) async throws -> WebReply {
        try await browser.post(
            "/services/oauth2/authorize/consent",
            form: [
                ("request", consent.formValue("request") ?? ""), ("csrf", consent.formValue("csrf") ?? ""),
                allow ? ("oaapprove", "Allow") : ("oadeny", "Deny"),
            ])
    }

    /// Runs the browser part from the authorize URL to the callback, logging in and allowing when
    /// asked; returns the callback's query.
    static func authorize(
        _ browser: OAuthTestBrowser, pkce: PKCEPair? = PKCEPair(), state: String = "st-1", scope: String = "api refresh_token"
    ) async throws -> [String: String] {
        var reply = try await browser.get(authorizeURL(state: state, scope: scope, challenge: pkce?.challenge))
        if reply.status == 200, reply.text.contains("name=\"pw\"") {
            reply = try await logIn(browser, page: reply)
            if let location = reply.location, location.hasPrefix("/services/oauth2/authorize/consent") {
                reply = try await browser.get(location)
            }
        }
        if reply.status == 200, reply.text.contains("name=\"oaapprove\"") {
            reply = try await answer(browser, consent: reply, allow: true)
        }
        return reply.locationQuery
    }

    /// Exchanges a code for tokens as a confidential client with PKCE.
    static func exchange(
        _ browser: OAuthTestBrowser, code: String, verifier: String?, secret: String?,
        clientID: String = ConnectedApp.systemClientID, redirectURI: String = callback
    ) async throws -> WebReply {
        var form = [("grant_type", "authorization_code"), ("code", code), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if let secret { form.append(("client_secret", secret)) }
        if let verifier { form.append(("code_verifier", verifier)) }
        return try await browser.post("/services/oauth2/token", form: form)
    }

    /// The full flow up to a token response.
    static func tokens(_ browser: OAuthTestBrowser, sandbox: Sandbox, scope: String = "api refresh_token") async throws -> JSONValue {
        let pkce = PKCEPair()
        let query = try await authorize(browser, pkce: pkce, scope: scope)
        let reply = try await exchange(
            browser, code: query["code"] ?? "", verifier: pkce.verifier, secret: try sandbox.systemApp().clientSecret)
        #expect(reply.status == 200, "token exchange: \(reply.text)")
        return reply.json ?? .null
    }
}
