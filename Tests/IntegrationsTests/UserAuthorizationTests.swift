import DialogRuntime
import Foundation
import Integrations
import NIOHTTP1
import SalesforceAPI
import SalesforceSandbox
import Synchronization
import Testing

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
            let url = try #require(URL(string: request.url))
            let query = Dictionary(
                (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") },
                uniquingKeysWith: { first, _ in first })
            #expect(query["code_challenge_method"] == "S256")
            #expect(query["code_challenge"]?.count == 43)
            #expect((query["state"]?.count ?? 0) >= 32)
            #expect(query["redirect_uri"] == fixture.callback.callbackURL)

            let page = try await fixture.browser.authorize(url, sandboxURL: fixture.sandbox.baseURL).page
            #expect(page.text.contains("You're connected as demo@parley.dev"))
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
                #expect(request.url.contains("code_challenge="))
            } catch {
                Issue.record("expected a new authorization link, got \(error)")
            }
        }
    }

    /// A callback link works once; used again it shows a page saying so and stores nothing.
    @Test func reusedStateIsRefused() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try fixture.authorizer.begin(user: "alice", conversation: "c1")
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
            let link = try fixture.authorizer.begin(user: "alice", conversation: "c1")
            fixture.clock.advance(by: 15 * 60 + 1)
            let page = try await fixture.browser.authorize(link.url, sandboxURL: fixture.sandbox.baseURL).page
            #expect(page.status == 400)
            #expect(page.text.contains("expired"))
            #expect(try fixture.store.authorization(action: "salesforce", user: "alice") == nil)
        }
    }

    /// Refusing access shows a page saying so, and the link cannot be used afterwards.
    @Test func deniedAccessConsumesTheLink() async throws {
        try await SalesforceFixture.run(authorization: .user) { fixture in
            let link = try fixture.authorizer.begin(user: "alice", conversation: "c1")
            let denied = try await fixture.browser.send(
                .GET, fixture.callback.callbackURL + "?error=access_denied&state=\(link.state)")
            #expect(denied.text.contains("Access was not allowed"))
            let replay = try await fixture.browser.send(.GET, fixture.callback.callbackURL + "?code=abc&state=\(link.state)")
            #expect(replay.text.contains("already used"))
        }
    }

    /// A refused link that cannot be marked used is reported with the reason, not dropped.
    @Test func aStoreFailureOnRefusalIsReported() async throws {
        let failures = Mutex<[String]>([])
        let handlers = OAuthCallbackServer.Handlers(
            complete: { _, _ in throw TestFailure("not expected") },
            refuse: { state in
                if state == "used" { throw AuthorizationStateError.alreadyUsed }
                throw TestFailure("disk I/O error")
            },
            onFailure: { reason in failures.withLock { $0.append(reason) } })
        let browser = TestBrowser()
        do {
            try await OAuthCallbackServer.withCallbackServer(port: 0, handlers: handlers) { running in
                let broken = try await browser.send(.GET, running.callbackURL + "?error=access_denied&state=fresh")
                #expect(broken.text.contains("Access was not allowed"))
                _ = try await browser.send(.GET, running.callbackURL + "?error=access_denied&state=used")
            }
            try await browser.shutdown()
        } catch {
            try? await browser.shutdown()
            throw error
        }
        let reasons = failures.withLock { $0 }
        #expect(reasons.count == 2)
        #expect(reasons.first?.contains("Parley could not record that this link was refused (disk I/O error)") == true)
        #expect(reasons.last?.contains("could not record") == false)
    }
}
