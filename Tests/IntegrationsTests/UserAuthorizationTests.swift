import DialogRuntime
import Foundation
import Integrations
import NIOHTTP1
import SalesforceAPI
import SalesforceSandbox
import SalesforceSandboxTesting
import Synchronization
import Testing
import WebEncoding

@Suite("End users authorizing Salesforce through a link and the callback server")
struct UserAuthorizationTests {
    /// A user without a token gets a PKCE (S256) link with a state; after the callback the action is ready for them only.
    @Test func userWithoutTokenGetsALinkAndTheCallbackConnectsThem() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let integration = fixture.integration()
            guard case .authorizationRequired(let request) = await integration.access(for: "alice") else {
                Issue.record("a user without a token was not asked to authorize")
                return
            }
            #expect(request.integration == "salesforce")
            let short = try #require(URL(string: request.url))
            #expect(request.url.hasPrefix("http://127.0.0.1:\(fixture.callback.port)/a/"))
            #expect(request.url.count < 60)
            let redirect = try await fixture.browser.send(.GET, request.url)
            #expect(redirect.status == 302)
            let url = try #require(redirect.location.flatMap(URL.init(string:)))
            let query = Dictionary(
                (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") },
                uniquingKeysWith: { first, _ in first })
            #expect(query["code_challenge_method"] == "S256")
            #expect(query["code_challenge"]?.count == 43)
            #expect((query["state"]?.count ?? 0) >= 32)
            #expect(query["redirect_uri"] == fixture.callback.callbackURL)

            let page = try await fixture.browser.authorize(short, sandboxURL: fixture.sandbox.baseURL).page
            #expect(page.text.contains("Connected demo@parley.dev to the chat of alice"))
            #expect(fixture.completed.map(\.user) == ["alice"])
            #expect(fixture.completed.map(\.action) == ["salesforce"])

            guard case .ready = await integration.access(for: "alice") else {
                Issue.record("alice is not connected after the callback")
                return
            }
            guard case .authorizationRequired = await integration.access(for: "bob") else {
                Issue.record("bob got alice's token")
                return
            }
            let response = try await integration.send(fixture.leadQuery(), for: "alice")
            #expect(response.statusCode == 200)
        }
    }

    /// The server reports how a callback ended once its page is written, so `parley actions authorize`, which ends
    /// on it, never leaves the browser without the page.
    @Test func theOutcomeIsReportedAfterThePage() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let page = try await fixture.authorize(user: "alice", conversation: "alice")
            #expect(page.text.contains("Connected demo@parley.dev to the chat of alice"))
            let deadline = ContinuousClock.now + .seconds(30)
            while fixture.recorder.reported.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(fixture.recorder.reported.withLock { $0 } == fixture.outcomes)
        }
    }

    /// A user whose token cannot be refreshed any more is asked to authorize again, with a new link.
    @Test func revokedUserIsAskedToAuthorizeAgain() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            _ = try await fixture.authorize(user: "alice")
            let stored = try #require(try fixture.store.authorization(action: "salesforce", user: "alice"))
            // Revoking the refresh token ends its access tokens too, so neither works any more.
            try await fixture.revokeAtSalesforce(stored.credentials.refreshToken ?? "")
            await #expect(throws: ServiceCallError.self) {
                _ = try await fixture.integration().send(fixture.leadQuery(), for: "alice")
            }
            do throws(ServiceCallError) {
                _ = try await fixture.integration().send(fixture.leadQuery(), for: "alice")
                Issue.record("a revoked user's request went through")
            } catch .authorizationRequired(let request) {
                #expect(request.url.contains("/a/"))
            } catch {
                Issue.record("expected a new authorization link, got \(error)")
            }
        }
    }

    /// A callback link works once; used again it shows a page saying so and stores nothing.
    @Test func reusedStateIsRefused() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try await fixture.authorizer.begin(user: "alice", conversation: "c1")
            let (callback, first) = try await fixture.browser.authorize(link.url, sandboxURL: fixture.sandbox.baseURL)
            #expect(first.status == 200)
            let again = try await fixture.browser.send(.GET, callback)
            #expect(again.status == 400)
            #expect(again.text.contains("already used"))
            #expect(fixture.completed.count == 1)
        }
    }

    /// A state Parley never issued gets a clear page.
    @Test func unknownStateIsRefused() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let page = try await fixture.browser.send(.GET, fixture.callback.callbackURL + "?code=abc&state=forged")
            #expect(page.status == 400)
            #expect(page.text.contains("not known"))
            #expect(fixture.completed.isEmpty)
        }
    }

    /// A link older than 15 minutes is refused even when the sign-in succeeded.
    @Test func expiredStateIsRefused() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try await fixture.authorizer.begin(user: "alice", conversation: "c1")
            // Opened in time, but the person comes back from the consent page too late.
            let redirect = try await fixture.browser.send(.GET, link.url.absoluteString)
            let authorizeURL = try #require(redirect.location.flatMap(URL.init(string:)))
            fixture.clock.advance(by: 15 * 60 + 1)
            let page = try await fixture.browser.authorize(authorizeURL, sandboxURL: fixture.sandbox.baseURL).page
            #expect(page.status == 400)
            #expect(page.text.contains("expired"))
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
        }
    }

    /// Refusing access shows a page saying so, and the link cannot be used afterwards.
    @Test func deniedAccessConsumesTheLink() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try await fixture.authorizer.begin(user: "alice", conversation: "c1")
            let denied = try await fixture.browser.send(
                .GET, fixture.callback.callbackURL + "?error=access_denied&state=\(link.state)")
            #expect(denied.text.contains("Access was not allowed"))
            let replay = try await fixture.browser.send(.GET, fixture.callback.callbackURL + "?code=abc&state=\(link.state)")
            #expect(replay.text.contains("already used"))
        }
    }

    /// A reminder repeats the live link; once it is used or expires, the user gets a fresh one.
    @Test func oneLiveLinkPerUserUntilUsedOrExpired() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let first = try await fixture.authorizer.begin(user: "alice", conversation: "alice")
            let again = try await fixture.authorizer.begin(user: "alice", conversation: "alice")
            #expect(again.url == first.url)
            #expect(try await fixture.authorizer.begin(user: "bob", conversation: "bob").url != first.url)
            fixture.clock.advance(by: PendingAuthorization.lifetime + 1)
            let expired = try await fixture.browser.send(.GET, first.url.absoluteString)
            #expect(expired.status == 404)
            let fresh = try await fixture.authorizer.begin(user: "alice", conversation: "alice")
            #expect(fresh.url != first.url)
        }
    }

    /// A callback whose state matches no link gets an error page and is reported as rejected, so no chat hears of it.
    @Test func forgedCallbackChangesNothing() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try await fixture.authorizer.begin(user: "alice", conversation: "alice")
            let page = try await fixture.browser.send(
                .GET, fixture.callback.callbackURL + "?error=access_denied&state=forged")
            #expect(page.status == 400)
            guard case .rejected = fixture.outcomes.last else {
                Issue.record("a forged callback was not rejected: \(fixture.outcomes)")
                return
            }
            // The real link still works.
            let connected = try await fixture.browser.authorize(link.url, sandboxURL: fixture.sandbox.baseURL).page
            #expect(connected.text.contains("Connected demo@parley.dev to the chat of alice"))
        }
    }

    /// Text from the browser reaches the page and the chat as plain text: escape sequences and controls removed.
    @Test func errorDescriptionIsPlainText() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try await fixture.authorizer.begin(user: "alice", conversation: "alice")
            let description = PercentEncoding.component("bad\u{1B}[2J\u{1B}]0;pwned\u{07} scope\r\nnext<b>")
            let page = try await fixture.browser.send(
                .GET, fixture.callback.callbackURL + "?error=invalid_scope&error_description=\(description)&state=\(link.state)")
            #expect(!page.text.contains("\u{1B}"))
            #expect(page.text.contains("bad scope next&lt;b&gt;"))
            guard case .failed(let failed) = fixture.outcomes.last, case .failed(let reason) = failed.failure else {
                Issue.record("the refusal was not reported as a failure: \(fixture.outcomes)")
                return
            }
            #expect(failed.user == "alice")
            #expect(reason == "the authorization server answered invalid_scope: bad scope next<b>")
        }
    }
}

@Suite("Who is connected, and signing out")
struct IdentityTests {
    /// Connected, the identity is Salesforce's userinfo; signed out, the token is revoked and gone, so there is none.
    @Test func identityThenSignOut() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            #expect(try await fixture.authorizer.identity(user: "alice") == nil)
            _ = try await fixture.authorize(user: "alice", conversation: "alice")
            let identity = try #require(try await fixture.authorizer.identity(user: "alice"))
            #expect(identity.username == "demo@parley.dev")
            #expect(identity.confirmed)
            #expect(try await fixture.authorizer.signOut(user: "alice"))
            #expect(try await fixture.authorizer.identity(user: "alice") == nil)
            #expect(try await fixture.authorizer.signOut(user: "alice") == false)
        }
    }

    /// After the access token expired, asking who is connected refreshes it (the vault keeps the new one) and
    /// Salesforce confirms the identity; once the refresh token is revoked too, the user is not connected.
    @Test func identityRefreshesAnExpiredAccessToken() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            _ = try await fixture.authorize(user: "alice", conversation: "alice")
            let before = try #require(try fixture.store.authorization(action: "salesforce", user: "alice")).credentials
            try fixture.sandbox.expireAllAccessTokens()
            let identity = try #require(try await fixture.authorizer.identity(user: "alice"))
            #expect(identity.username == "demo@parley.dev")
            #expect(identity.confirmed)
            let after = try #require(try fixture.store.authorization(action: "salesforce", user: "alice")).credentials
            #expect(after.accessToken != before.accessToken)

            try await fixture.revokeAtSalesforce(try #require(after.refreshToken))
            #expect(try await fixture.authorizer.identity(user: "alice") == nil)
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
        }
    }
}

@Suite("Plain text from the browser")
struct PlainTextTests {
    /// CSI, OSC, 8-bit controls, bidi overrides and line breaks are gone; the words stay.
    @Test func stripsWhatATerminalWouldActOn() {
        #expect(PlainText.sanitized("a\u{1B}[31mred\u{1B}[0m b") == "ared b")
        #expect(PlainText.sanitized("x\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{07}y") == "xlinky")
        #expect(PlainText.sanitized("\u{9B}2Jok\u{202E}txt\u{0}") == "oktxt")
        #expect(PlainText.sanitized("one\r\n\ttwo") == "one two")
        #expect(PlainText.sanitized(String(repeating: "a", count: 300)).count == 200)
    }
}
