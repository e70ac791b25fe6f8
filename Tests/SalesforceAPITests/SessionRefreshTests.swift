import Foundation
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceAPI

struct SessionRefreshTests {
    static let secret = "app-secret"

    /// A fake org: accepts `validToken`, answers 401 INVALID_SESSION_ID otherwise, and issues `renewedToken` on refresh.
    private static func org(
        log: RequestLog, validToken: String, renewedToken: String, refreshDelay: Duration = .zero,
        refreshFails: Bool = false
    ) -> ClosureTransport {
        transport(log: log) { request in
            if request.url.path == "/services/oauth2/token" {
                if refreshDelay > .zero { try await Task.sleep(for: refreshDelay) }
                if refreshFails {
                    return RawResponse(status: 400, json: ["error": "invalid_grant", "error_description": "expired access/refresh token"])
                }
                return RawResponse(status: 200, json: tokenJSON(access: renewedToken, refresh: nil, secret: secret))
            }
            guard request.header("Authorization") == "Bearer \(validToken)" else { return invalidSession }
            return RawResponse(status: 200, json: ["totalSize": 0, "done": true, "records": []])
        }
    }

    private static func client(_ transport: ClosureTransport, store: InMemoryCredentialStore) throws -> SalesforceClient {
        let oauth = OAuthClient(endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"), transport: transport)
        return try SalesforceClient(
            transport: transport, credentials: store,
            refresher: TokenRefresher(oauth: oauth, clientID: "client", clientSecret: secret), retry: .never)
    }

    /// An expired session is refreshed once, the request repeated with the new token, and the store told,
    /// keeping the refresh token the response did not repeat.
    @Test func expiredSessionRefreshesAndRetries() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old", refresh: "5Aep-refresh"))
        let sf = try Self.client(Self.org(log: log, validToken: "new", renewedToken: "new"), store: store)
        let page = try await sf.query("SELECT Id FROM Lead")
        #expect(page.done)
        let paths = await log.requests.map(\.url.path)
        #expect(paths == ["/services/data/v66.0/query", "/services/oauth2/token", "/services/data/v66.0/query"])
        let stored = try #require(await store.credentials())
        #expect(stored.accessToken == "new")
        #expect(stored.refreshToken == "5Aep-refresh")
        #expect(await store.refreshCount == 1)
    }

    /// Requests that meet the same expired token together share one refresh.
    @Test func concurrentRequestsShareOneRefresh() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old"))
        let sf = try Self.client(
            Self.org(log: log, validToken: "new", renewedToken: "new", refreshDelay: .milliseconds(100)), store: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await sf.query("SELECT Id FROM Lead") } }
            try await group.waitForAll()
        }
        #expect(await log.count { $0.url.path == "/services/oauth2/token" } == 1)
        #expect(await store.refreshCount == 1)
    }

    /// Clients sharing one session (an integration makes a client per request) share one refresh too.
    @Test func clientsSharingASessionShareOneRefresh() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old"))
        let transport = Self.org(log: log, validToken: "new", renewedToken: "new", refreshDelay: .milliseconds(100))
        let oauth = OAuthClient(endpoints: try OAuthEndpoints(loginURL: "https://login.salesforce.com"), transport: transport)
        let session = SessionCoordinator(
            store: store, refresher: TokenRefresher(oauth: oauth, clientID: "client", clientSecret: Self.secret))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                let client = try SalesforceClient(transport: transport, session: session, retry: .never)
                group.addTask { _ = try await client.query("SELECT Id FROM Lead") }
            }
            try await group.waitForAll()
        }
        #expect(await log.count { $0.url.path == "/services/oauth2/token" } == 1)
        #expect(await store.refreshCount == 1)
    }

    /// A refresh refused because another process replaced the token meanwhile uses the new token and keeps it.
    @Test func aRefusedRefreshKeepsTheTokenThatReplacedTheOldOne() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old", refresh: "5Aep-spent"))
        let transport = transport(log: log) { request in
            if request.url.path == "/services/oauth2/token" {
                // Another process refreshed first and spent the refresh token.
                await store.set(credentials(access: "theirs", refresh: "5Aep-theirs"))
                return RawResponse(status: 400, json: ["error": "invalid_grant", "error_description": "expired access/refresh token"])
            }
            guard request.header("Authorization") == "Bearer theirs" else { return invalidSession }
            return RawResponse(status: 200, json: ["totalSize": 0, "done": true, "records": []])
        }
        let sf = try Self.client(transport, store: store)
        #expect(try await sf.query("SELECT Id FROM Lead").done)
        #expect(try await store.credentials()?.accessToken == "theirs")
    }

    /// A token that expired and cannot be refreshed is forgotten by the store.
    @Test func aDeadTokenIsForgotten() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old"))
        let sf = try Self.client(Self.org(log: log, validToken: "new", renewedToken: "new", refreshFails: true), store: store)
        await #expect(throws: SalesforceError.authorizationRequired) { _ = try await sf.query("SELECT Id FROM Lead") }
        #expect(try await store.credentials() == nil)
    }

    /// A refused refresh means the user must authorize again.
    @Test func failedRefreshRequiresAuthorization() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old"))
        let sf = try Self.client(Self.org(log: log, validToken: "new", renewedToken: "new", refreshFails: true), store: store)
        do {
            _ = try await sf.query("SELECT Id FROM Lead")
            Issue.record("query succeeded")
        } catch let error as SalesforceError {
            #expect(error == .authorizationRequired)
            #expect(error.description.contains("expired access/refresh token"))
            #expect(!error.description.contains("refresh-1"))
        }
        #expect(await store.refreshCount == 0)
    }

    /// Without a refresh token an expired session needs a new authorization, and no refresh is tried.
    @Test func noRefreshTokenRequiresAuthorization() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old", refresh: nil))
        let sf = try Self.client(Self.org(log: log, validToken: "new", renewedToken: "new"), store: store)
        await #expect(throws: SalesforceError.authorizationRequired) { _ = try await sf.query("SELECT Id FROM Lead") }
        #expect(await log.count { $0.url.path == "/services/oauth2/token" } == 0)
    }

    /// With no credentials at all, nothing is sent and authorization is required.
    @Test func missingCredentialsRequireAuthorization() async throws {
        let log = RequestLog()
        let sf = try Self.client(Self.org(log: log, validToken: "new", renewedToken: "new"), store: InMemoryCredentialStore())
        await #expect(throws: SalesforceError.authorizationRequired) { _ = try await sf.userInfo() }
        #expect(await log.count == 0)
    }

    /// When even the refreshed token is refused, the client stops after one refresh.
    @Test func refusedRefreshedTokenStopsAfterOneRefresh() async throws {
        let log = RequestLog()
        let store = InMemoryCredentialStore(credentials(access: "old"))
        let sf = try Self.client(Self.org(log: log, validToken: "never", renewedToken: "new"), store: store)
        await #expect(throws: SalesforceError.authorizationRequired) { _ = try await sf.query("SELECT Id FROM Lead") }
        #expect(await log.count == 3)
    }

    /// Credentials never show their tokens when printed.
    @Test func credentialsDescriptionHidesTokens() {
        let text = "\(credentials(access: "00D!secret-access", refresh: "5Aep-secret-refresh"))"
        #expect(!text.contains("secret"))
        #expect(text.contains(testInstance))
    }
}
