import Foundation
import ParleyJSON
import SalesforceSandboxTesting
import Synchronization
import Testing
import WebEncoding

@testable import SalesforceSandbox

extension SandboxBrowser {
    /// Runs `body` with a browser over real HTTP for the sandbox, shutting its client down afterwards.
    static func with<T>(_ sandbox: Sandbox, _ body: (SandboxBrowser) async throws -> T) async throws -> T {
        try await withBrowser(overHTTP: sandbox.baseURL, body)
    }
}

/// A PKCE verifier and its S256 challenge.
struct PKCEPair {
    var verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-" + UUID().uuidString
    var challenge: String { SecretMaker.pkceChallenge(verifier: verifier) }
}

extension TestClock {
    /// The moment the sandbox's tests start their clocks at.
    static func sandboxTests() -> TestClock {
        TestClock(Date(timeIntervalSince1970: 1_773_835_200))
    }
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
        return "/services/oauth2/authorize?" + PercentEncoding.query(fields)
    }

    /// Logs in on a login page; returns the reply to the login form.
    static func logIn(
        _ browser: SandboxBrowser, page: BrowserPage, username: String = SandboxBrowser.demoUsername,
        password: String = SandboxBrowser.demoPassword
    ) async throws -> BrowserPage {
        try await browser.logIn(page, username: username, password: password)
    }

    /// Answers a consent page with Allow or Deny.
    static func answer(_ browser: SandboxBrowser, consent: BrowserPage, allow: Bool) async throws -> BrowserPage {
        try await browser.answerConsent(consent, allow: allow)
    }

    /// Runs the browser part from the authorize URL to the callback, logging in and allowing when
    /// asked; returns the callback's query, empty when the pages do not lead there.
    static func authorize(
        _ browser: SandboxBrowser, pkce: PKCEPair? = PKCEPair(), state: String = "st-1", scope: String = "api refresh_token"
    ) async throws -> [String: String] {
        let url = authorizeURL(state: state, scope: scope, challenge: pkce?.challenge)
        let redirect = try? await browser.signIn(at: url) { $0.hasPrefix(callback) }
        return redirect?.locationQuery ?? [:]
    }

    /// Exchanges a code for tokens as a confidential client with PKCE.
    static func exchange(
        _ browser: SandboxBrowser, code: String, verifier: String?, secret: String?,
        clientID: String = ConnectedApp.systemClientID, redirectURI: String = callback
    ) async throws -> BrowserPage {
        var form = [("grant_type", "authorization_code"), ("code", code), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if let secret { form.append(("client_secret", secret)) }
        if let verifier { form.append(("code_verifier", verifier)) }
        return try await browser.post("/services/oauth2/token", form: form)
    }

    /// The full flow up to a token response.
    static func tokens(_ browser: SandboxBrowser, sandbox: Sandbox, scope: String = "api refresh_token") async throws -> JSONValue {
        let pkce = PKCEPair()
        let query = try await authorize(browser, pkce: pkce, scope: scope)
        let reply = try await exchange(
            browser, code: query["code"] ?? "", verifier: pkce.verifier, secret: try sandbox.systemApp().clientSecret)
        #expect(reply.status == 200, "token exchange: \(reply.text)")
        return reply.json ?? .null
    }
}
