import AsyncHTTPClient
import DialogRuntime
import Foundation
import Integrations
import NIOCore
import NIOHTTP1
import ParleyJSON
import SalesforceAPI
import SalesforceSandbox
import SalesforceSandboxTesting
import Synchronization
import Testing

@Suite("Pre-authorized Salesforce over real HTTP against the sandbox")
struct PreauthorizationTests {
    /// The whole flow: authorize URL, login page, consent page, redirect to the callback, token stored and used.
    @Test func authorizesAndCallsSalesforceWithTheBotsToken() async throws {
        try await SalesforceFixture.run { fixture in
            let page = try await fixture.authorize()
            #expect(page.status == 200)
            #expect(page.text.contains("Connected demo@parley.dev to the bot's own connection. You can close this window."))

            let stored = try #require(try fixture.store.authorization(action: "salesforce", user: ""))
            #expect(stored.username == "demo@parley.dev")
            #expect(fixture.completed.map(\.user) == [""])

            let integration = fixture.integration()
            guard case .ready(let placeholders) = await integration.access(for: "anyone") else {
                Issue.record("the integration is not ready after authorizing")
                return
            }
            #expect(placeholders["instanceUrl"] == .string(fixture.sandbox.baseURL))
            #expect(placeholders["apiVersion"] == "66.0")

            let response = try await integration.send(fixture.leadQuery(), for: "anyone")
            #expect(response.statusCode == 200)
            let body = try JSONValue(parsing: response.body)
            #expect(body["records"]?.arrayValue?.count == 1)
        }
    }

    /// After the sandbox expires every access token, a call refreshes once and the vault keeps the new token.
    @Test func refreshesAfterForcedExpiryAndPersistsTheNewToken() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            let before = try #require(try fixture.store.authorization(action: "salesforce", user: "")).credentials
            try fixture.sandbox.expireAllAccessTokens()

            let response = try await fixture.integration().send(fixture.leadQuery(), for: "u1")
            #expect(response.statusCode == 200)
            let after = try #require(try fixture.store.authorization(action: "salesforce", user: "")).credentials
            #expect(after.accessToken != before.accessToken)
            #expect(after.refreshToken == before.refreshToken)
        }
    }

    /// Signing out revokes the token at Salesforce and removes it from the vault.
    @Test func signOutRevokesTheToken() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            let old = try #require(try fixture.store.authorization(action: "salesforce", user: "")).credentials
            #expect(try await fixture.authorizer.signOut(user: ""))
            #expect(try fixture.store.authorization(action: "salesforce", user: "") == nil)

            var request = HTTPClientRequest(url: fixture.sandbox.baseURL + "/services/data/v66.0/sobjects/Lead")
            request.headers.add(name: "Authorization", value: "Bearer \(old.accessToken)")
            let refused = try await fixture.httpClient.execute(request, timeout: .seconds(5))
            #expect(refused.status.code == 401)
            guard case .needsAttention(let reason) = await fixture.integration().access(for: "u1") else {
                Issue.record("a signed-out pre-authorized action still offers access")
                return
            }
            #expect(reason.contains("parley actions authorize salesforce"))
        }
    }

    /// When the bot's own refresh token is revoked, the next call needs attention rather than a link: the reason is
    /// logged and kept for `parley actions show`, every user is told the same until the bot is authorized again,
    /// and authorizing again clears it.
    @Test func aRevokedBotTokenNeedsTheOperatorsAttention() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            let stored = try #require(try fixture.store.authorization(action: "salesforce", user: "")).credentials
            try await fixture.revokeAtSalesforce(try #require(stored.refreshToken))
            do throws(ServiceCallError) {
                _ = try await fixture.integration().send(fixture.leadQuery(), for: "u1")
                Issue.record("a call with a revoked token went through")
            } catch .needsAttention(let reason) {
                #expect(reason.contains("parley actions authorize salesforce"))
            } catch {
                Issue.record("expected the connection to need attention, got \(error)")
            }
            let problem = try #require(try fixture.store.problem(of: "salesforce"))
            #expect(problem.reason.contains("refresh"))
            #expect(fixture.logs.text.contains("the bot's own Salesforce connection stopped working"))
            #expect(fixture.logs.text.contains(problem.reason))
            #expect(!fixture.logs.text.contains(stored.accessToken))
            #expect(!fixture.logs.text.contains(try #require(stored.refreshToken)))
            guard case .needsAttention(let reason) = await fixture.integration().access(for: "u2") else {
                Issue.record("another user was not told the connection needs attention")
                return
            }
            #expect(reason.contains(problem.reason))

            _ = try await fixture.authorize()
            #expect(try fixture.store.problem(of: "salesforce") == nil)
            let response = try await fixture.integration().send(fixture.leadQuery(), for: "u1")
            #expect(response.statusCode == 200)
        }
    }

    /// Disabling the action removes its tokens, so enabling it again requires authorizing again.
    @Test func disableThenEnableRequiresAuthorizingAgain() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            #expect(try fixture.store.state(of: "salesforce") == .configured)
            try fixture.store.disable("salesforce")
            #expect(try fixture.store.state(of: "salesforce") == .available)
            try fixture.store.enable(ActionConfiguration(action: "salesforce", authorization: .preauthorized, app: .system))

            #expect(try fixture.store.authorization(action: "salesforce", user: "") == nil)
            guard case .needsAttention = await fixture.integration().access(for: "u1") else {
                Issue.record("re-enabled action is usable without authorizing again")
                return
            }
            _ = try await fixture.authorize()
            guard case .ready = await fixture.integration().access(for: "u1") else {
                Issue.record("authorizing again did not make the action ready")
                return
            }
        }
    }

    /// Under injected 503s a GET is retried with backoff and a POST is sent only once.
    @Test func retriesIdempotentRequestsOnlyUnder503s() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            fixture.sandbox.faults = FaultInjection(unavailableRate: 1)

            let getWaits = RetryCounter()
            let get = try await fixture.integration(retries: getWaits).send(fixture.leadQuery(), for: "u1")
            #expect(get.statusCode == 503)
            #expect(getWaits.waits == 2)

            let postWaits = RetryCounter()
            let create = ServiceRequest(
                method: "POST", url: fixture.sandbox.baseURL + "/services/data/v66.0/sobjects/Lead",
                headers: [.init("Content-Type", "application/json")],
                body: Data(#"{"LastName":"Doe","Company":"ABC"}"#.utf8))
            let post = try await fixture.integration(retries: postWaits).send(create, for: "u1")
            #expect(post.statusCode == 503)
            #expect(postWaits.waits == 0)

            fixture.sandbox.faults = FaultInjection()
            let created = try await fixture.integration().send(create, for: "u1")
            #expect(created.statusCode == 201)
        }
    }

    /// Salesforce's error responses reach the service node as responses with the error array, not as failures.
    @Test func salesforceErrorsAreResponses() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            let create = ServiceRequest(
                method: "POST", url: fixture.sandbox.baseURL + "/services/data/v66.0/sobjects/Lead",
                body: Data(#"{"FirstName":"Jo"}"#.utf8))
            let response = try await fixture.integration().send(create, for: "u1")
            #expect(response.statusCode == 400)
            let body = try JSONValue(parsing: response.body)
            #expect(body[0]?["errorCode"] == "REQUIRED_FIELD_MISSING")
        }
    }

    /// A URL on another host is refused, so the bot's token never leaves the Salesforce instance.
    @Test func refusesToSendTheTokenToAnotherHost() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            let elsewhere = ServiceRequest(method: "GET", url: "http://127.0.0.2:9/steal")
            await #expect(throws: ServiceCallError.self) {
                _ = try await fixture.integration().send(elsewhere, for: "u1")
            }
        }
    }

    /// Many turns that meet the expired bot token at once cause one refresh, and every one of them succeeds.
    @Test func concurrentTurnsOnAnExpiredTokenRefreshOnce() async throws {
        try await SalesforceFixture.run { fixture in
            _ = try await fixture.authorize()
            try fixture.sandbox.expireAllAccessTokens()
            // The refresh is slowed so that every turn meets the expired token before the new one is stored.
            let transport = CountingTransport(
                base: AsyncHTTPClientTransport(fixture.httpClient), delay: .milliseconds(300),
                delayed: "/services/oauth2/token")
            let authorizer = SalesforceAuthorizer(
                store: fixture.store, environment: fixture.authorizer.environment, transport: transport)
            let integration = SalesforceIntegration(authorizer: authorizer, retry: .never)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for user in 0..<12 {
                    group.addTask { try await integration.send(fixture.leadQuery(), for: UserID("u\(user)")).statusCode }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 12))
            #expect(transport.count(path: "/services/oauth2/token") == 1)
            #expect(transport.count(path: "/services/data/v66.0/query") == 24)
        }
    }
}

/// Passes requests on, counting them by path and holding back those to one path for a while.
final class CountingTransport: HTTPTransport {
    let base: any HTTPTransport
    let delay: Duration
    let delayed: String
    private let paths = Mutex<[String]>([])

    init(base: any HTTPTransport, delay: Duration, delayed: String) {
        self.base = base
        self.delay = delay
        self.delayed = delayed
    }

    func execute(_ request: TransportRequest, timeout: Duration) async throws -> RawResponse {
        paths.withLock { $0.append(request.url.path) }
        if request.url.path == delayed { try await Task.sleep(for: delay) }
        return try await base.execute(request, timeout: timeout)
    }

    func count(path: String) -> Int { paths.withLock { $0.count { $0 == path } } }
}
