import Crypto
import Foundation
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// The web server flow over real HTTP, driven as a browser and a client drive it.
@Suite struct OAuthFlowTests {
    /// The whole flow: login page, login, consent, Allow, code and state back, PKCE exchange, REST call, refresh, userinfo, revoke.
    @Test func wholeFlowAsABrowser() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let pkce = PKCEPair()
                let state = "s p&a=c/é+1"
                let login = try await browser.get(OAuthSteps.authorizeURL(state: state, challenge: pkce.challenge))
                #expect(login.status == 200)
                #expect(login.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
                #expect(login.text.contains("name=\"username\""))
                #expect(login.text.contains("name=\"pw\""))
                #expect(login.text.contains("<label for=\"username\">"))
                #expect(login.text.contains("name=\"Login\""))
                #expect(login.text.contains("Parley"))
                #expect(!login.text.contains("<script"))

                let afterLogin = try await OAuthSteps.logIn(browser, page: login)
                #expect(afterLogin.status == 302)
                let cookie = afterLogin.headers["Set-Cookie"].first ?? ""
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.lowercased().contains("samesite=lax"))
                let location = try #require(afterLogin.location)
                #expect(location.hasPrefix("/services/oauth2/authorize/consent?request="))

                let consent = try await browser.get(location)
                #expect(consent.status == 200)
                #expect(consent.text.contains("<button type=\"submit\" id=\"oaapprove\" name=\"oaapprove\" value=\"Allow\">"))
                #expect(consent.text.contains("name=\"oadeny\""))
                #expect(consent.text.contains("Manage user data via APIs"))
                #expect(consent.text.contains("Perform requests at any time"))

                let callback = try await OAuthSteps.answer(browser, consent: consent, allow: true)
                #expect(callback.status == 302)
                #expect(callback.location?.hasPrefix(OAuthSteps.callback + "?code=") == true)
                #expect(callback.locationQuery["state"] == state)
                let code = try #require(callback.locationQuery["code"])
                #expect(code.hasPrefix("aPrx"))

                let secret = try sandbox.systemApp().clientSecret
                let tokenReply = try await OAuthSteps.exchange(browser, code: code, verifier: pkce.verifier, secret: secret)
                #expect(tokenReply.status == 200)
                #expect(tokenReply.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
                let token = try #require(tokenReply.json?.objectValue)
                #expect(
                    Set(token.keys)
                        == ["access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"])
                #expect(token["token_type"] == "Bearer")
                #expect(token["instance_url"]?.stringValue == sandbox.baseURL)
                #expect(token["scope"] == "api refresh_token")
                let id = try #require(token["id"]?.stringValue)
                #expect(id == "\(sandbox.baseURL)/id/\(SandboxUser.demo.organizationID)/\(SandboxUser.demo.id)")
                let issuedAt = try #require(token["issued_at"]?.stringValue)
                #expect(issuedAt.count == 13 && Int64(issuedAt) != nil)
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Data((id + issuedAt).utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(token["signature"]?.stringValue == Data(mac).base64EncodedString())
                let access = try #require(token["access_token"]?.stringValue)
                #expect(access.hasPrefix(String(SandboxUser.demo.organizationID.prefix(15)) + "!AR"))
                let refresh = try #require(token["refresh_token"]?.stringValue)

                let sobjects = try await browser.get("/services/data/v66.0/sobjects", bearer: access)
                #expect(sobjects.status == 200)
                #expect(sobjects.headers.first(name: "Sforce-Limit-Info")?.hasPrefix("api-usage=") == true)

                let refreshed = try await browser.post(
                    "/services/oauth2/token",
                    form: [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", ConnectedApp.systemClientID)])
                #expect(refreshed.status == 200)
                let newToken = try #require(refreshed.json?.objectValue)
                #expect(newToken["refresh_token"] == nil)
                #expect(newToken["expires_in"] == nil)
                let newAccess = try #require(newToken["access_token"]?.stringValue)
                #expect(newAccess != access)

                let info = try await browser.get("/services/oauth2/userinfo", bearer: newAccess)
                #expect(info.status == 200)
                #expect(info.json?["preferred_username"] == "demo@parley.dev")
                #expect(info.json?["user_id"]?.stringValue == SandboxUser.demo.id)
                #expect(info.json?["organization_id"]?.stringValue == SandboxUser.demo.organizationID)

                let revoked = try await browser.post("/services/oauth2/revoke", form: [("token", refresh)])
                #expect(revoked.status == 200)
                let afterRevoke = try await browser.get("/services/data/v66.0/sobjects", bearer: newAccess)
                #expect(afterRevoke.status == 401)
                #expect(afterRevoke.json == [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]])
                let refreshAgain = try await browser.post(
                    "/services/oauth2/token",
                    form: [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", ConnectedApp.systemClientID)])
                #expect(refreshAgain.status == 400)
                #expect(refreshAgain.json == ["error": "invalid_grant", "error_description": "expired access/refresh token"])
            }
        }
    }

    /// A wrong password shows the login page again with Salesforce's message, keeping the (escaped) username.
    @Test func wrongPasswordShowsTheLoginPageAgain() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let login = try await browser.get(OAuthSteps.authorizeURL())
                let retry = try await OAuthSteps.logIn(browser, page: login, username: "demo\"<b>@parley.dev", password: "nope")
                #expect(retry.status == 200)
                #expect(retry.text.contains("Please check your username and password."))
                #expect(retry.text.contains("value=\"demo&quot;&lt;b&gt;@parley.dev\""))
                #expect(!retry.text.contains("<b>"))
                #expect(browser.sessionCookie == nil)
                let second = try await OAuthSteps.logIn(browser, page: retry)
                #expect(second.status == 302)
            }
        }
    }

    /// Deny sends the browser back with `error=access_denied` and the state unchanged.
    @Test func denyRedirectsWithAccessDenied() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let login = try await browser.get(OAuthSteps.authorizeURL(state: "xyz 9"))
                let consent = try await browser.get(try await OAuthSteps.logIn(browser, page: login).location ?? "")
                let reply = try await OAuthSteps.answer(browser, consent: consent, allow: false)
                #expect(reply.status == 302)
                #expect(reply.location?.hasPrefix(OAuthSteps.callback + "?error=access_denied") == true)
                #expect(reply.locationQuery["state"] == "xyz 9")
            }
        }
    }

    /// An unknown client id or an unregistered redirect URI gets an error page, never a redirect.
    @Test func badClientOrRedirectShowsAnErrorPage() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let unknown = try await browser.get(OAuthSteps.authorizeURL(clientID: "nobody"))
                #expect(unknown.status == 400)
                #expect(unknown.location == nil)
                #expect(unknown.text.contains("invalid_client_id"))
                let mismatch = try await browser.get(OAuthSteps.authorizeURL(redirectURI: "http://evil.example/cb"))
                #expect(mismatch.status == 400)
                #expect(mismatch.location == nil)
                #expect(mismatch.text.contains("redirect_uri_mismatch"))
                #expect(mismatch.text.contains("redirect_uri must match configuration"))
                let prefix = try await browser.get(OAuthSteps.authorizeURL(redirectURI: OAuthSteps.callback + "/x"))
                #expect(prefix.status == 400)
            }
        }
    }

    /// A bad response type or a `plain` PKCE method is reported to the registered redirect URI.
    @Test func badAuthorizeParametersRedirectWithAnError() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let plain = try await browser.get(OAuthSteps.authorizeURL(challenge: PKCEPair().challenge, method: "plain"))
                #expect(plain.status == 302)
                #expect(plain.locationQuery["error"] == "invalid_request")
                #expect(plain.locationQuery["state"] == "st-1")
                let s256 = try await browser.get(OAuthSteps.authorizeURL(challenge: PKCEPair().challenge, method: "S256"))
                #expect(s256.status == 200)
                let scope = try await browser.get(OAuthSteps.authorizeURL(scope: "api launch_missiles"))
                #expect(scope.locationQuery["error"] == "invalid_scope")
                let token = try await browser.get(
                    "/services/oauth2/authorize?response_type=token&client_id=parley-system&redirect_uri="
                        + PercentEncoding.component(OAuthSteps.callback))
                #expect(token.locationQuery["error"] == "unsupported_response_type")
            }
        }
    }

    /// A code works once; the second exchange is refused.
    @Test func codesAreSingleUse() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let pkce = PKCEPair()
                let code = try #require(try await OAuthSteps.authorize(browser, pkce: pkce)["code"])
                let secret = try sandbox.systemApp().clientSecret
                let first = try await OAuthSteps.exchange(browser, code: code, verifier: pkce.verifier, secret: secret)
                #expect(first.status == 200)
                let second = try await OAuthSteps.exchange(browser, code: code, verifier: pkce.verifier, secret: secret)
                #expect(second.status == 400)
                #expect(second.json == ["error": "invalid_grant", "error_description": "expired authorization code"])
            }
        }
    }

    /// A code older than 10 minutes is expired.
    @Test func codesExpireAfterTenMinutes() async throws {
        let clock = TestClock.sandboxTests()
        try await withSandbox(configuration: SandboxConfiguration(clock: clock.function)) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let pkce = PKCEPair()
                let code = try #require(try await OAuthSteps.authorize(browser, pkce: pkce)["code"])
                clock.advance(by: 10 * 60 + 1)
                let reply = try await OAuthSteps.exchange(
                    browser, code: code, verifier: pkce.verifier, secret: try sandbox.systemApp().clientSecret)
                #expect(reply.json?["error_description"] == "expired authorization code")
            }
        }
    }

    /// PKCE: a wrong verifier is `invalid_request`, a missing one `invalid_grant`; without a secret PKCE is required.
    @Test func pkceIsVerifiedWithS256() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let secret = try sandbox.systemApp().clientSecret
                let wrong = try #require(try await OAuthSteps.authorize(browser)["code"])
                let wrongReply = try await OAuthSteps.exchange(browser, code: wrong, verifier: "x" + PKCEPair().verifier, secret: secret)
                #expect(wrongReply.json?["error"] == "invalid_request")
                let missing = try #require(try await OAuthSteps.authorize(browser)["code"])
                let missingReply = try await OAuthSteps.exchange(browser, code: missing, verifier: nil, secret: secret)
                #expect(missingReply.json?["error"] == "invalid_grant")
                let publicClient = PKCEPair()
                let code = try #require(try await OAuthSteps.authorize(browser, pkce: publicClient)["code"])
                let noSecret = try await OAuthSteps.exchange(browser, code: code, verifier: publicClient.verifier, secret: nil)
                #expect(noSecret.status == 200)
                let noPKCE = try #require(try await OAuthSteps.authorize(browser, pkce: nil)["code"])
                let neither = try await OAuthSteps.exchange(browser, code: noPKCE, verifier: nil, secret: nil)
                #expect(neither.json == ["error": "invalid_client", "error_description": "invalid client credentials"])
            }
        }
    }

    /// The token request must repeat the code's redirect URI and come from the code's client.
    @Test func codesAreBoundToRedirectAndClient() async throws {
        try await withSandbox { sandbox in
            let other = try sandbox.registerApp(name: "Other", callbackURLs: [OAuthSteps.callback])
            try await SandboxBrowser.with(sandbox) { browser in
                let secret = try sandbox.systemApp().clientSecret
                let pkce = PKCEPair()
                let code = try #require(try await OAuthSteps.authorize(browser, pkce: pkce)["code"])
                let reply = try await OAuthSteps.exchange(
                    browser, code: code, verifier: pkce.verifier, secret: secret, redirectURI: "http://localhost:8974/oauth/callback")
                #expect(reply.json?["error"] == "redirect_uri_mismatch")
                let second = PKCEPair()
                let code2 = try #require(try await OAuthSteps.authorize(browser, pkce: second)["code"])
                let stolen = try await OAuthSteps.exchange(
                    browser, code: code2, verifier: second.verifier, secret: other.clientSecret, clientID: other.clientID)
                #expect(stolen.json == ["error": "invalid_grant", "error_description": "authentication failure"])
            }
        }
    }

    /// The session cookie skips the login page; an approved app skips consent; `prompt` forces either page back.
    @Test func sessionAndConsentAreRemembered() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                _ = try await OAuthSteps.authorize(browser)
                let again = try await browser.get(OAuthSteps.authorizeURL(state: "two"))
                #expect(again.status == 302)
                #expect(again.locationQuery["code"] != nil)
                #expect(again.locationQuery["state"] == "two")
                let consent = try await browser.get(OAuthSteps.authorizeURL(prompt: "consent"))
                #expect(consent.status == 200)
                #expect(consent.text.contains("oaapprove"))
                let login = try await browser.get(OAuthSteps.authorizeURL(prompt: "login"))
                #expect(login.status == 200)
                #expect(login.text.contains("name=\"pw\""))
                let otherScope = try await browser.get(OAuthSteps.authorizeURL(scope: "api"))
                #expect(otherScope.text.contains("oaapprove"))
                browser.forgetCookies()
                let none = try await browser.get(OAuthSteps.authorizeURL(prompt: "none"))
                #expect(none.locationQuery["error"] == "login_required")
                let hinted = try await browser.get(OAuthSteps.authorizeURL(loginHint: "admin@parley.dev"))
                #expect(hinted.text.contains("value=\"admin@parley.dev\""))
            }
        }
    }

    /// Forms without the page's CSRF token, or for another user's request, are refused.
    @Test func formsNeedTheirCSRFToken() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let login = try await browser.get(OAuthSteps.authorizeURL())
                let forged = try await browser.post(
                    "/services/oauth2/authorize/login",
                    form: [
                        ("request", login.formValue("request") ?? ""), ("csrf", "forged"), ("username", "demo@parley.dev"),
                        ("pw", "parley-demo"),
                    ])
                #expect(forged.status == 403)
                let consent = try await browser.get(try await OAuthSteps.logIn(browser, page: login).location ?? "")
                let forgedConsent = try await browser.post(
                    "/services/oauth2/authorize/consent",
                    form: [("request", consent.formValue("request") ?? ""), ("csrf", "forged"), ("oaapprove", "Allow")])
                #expect(forgedConsent.status == 403)
                #expect(forgedConsent.location == nil)
                let unknown = try await browser.post(
                    "/services/oauth2/authorize/consent",
                    form: [("request", "nope"), ("csrf", consent.formValue("csrf") ?? ""), ("oaapprove", "Allow")])
                #expect(unknown.status == 400)
            }
        }
    }

    /// App names are HTML-escaped on the pages.
    @Test func appNamesAreEscaped() async throws {
        try await withSandbox { sandbox in
            let app = try sandbox.registerApp(name: "<script>alert(1)</script> & Co", callbackURLs: [OAuthSteps.callback])
            try await SandboxBrowser.with(sandbox) { browser in
                let page = try await browser.get(OAuthSteps.authorizeURL(clientID: app.clientID))
                #expect(page.status == 200)
                #expect(!page.text.contains("<script>"))
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
            }
        }
    }
}
