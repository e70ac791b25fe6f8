import AsyncHTTPClient
import Foundation
import Logging
import ParleyJSON
import SalesforceSandbox
import SalesforceSandboxTesting
import SalesforceWire
import Testing

@testable import SalesforceAPI

/// The client over real HTTP against the local Salesforce.
struct SandboxClientTests {
    /// The web server flow end to end: authorize URL, login and consent pages, code exchange with a verified
    /// signature, and userinfo naming the demo user.
    @Test func preAuthorizationFlowConnectsTheDemoUser() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let session = try await SandboxSession.authorize(sandbox, http: http)
                #expect(session.token.refreshToken != nil)
                #expect(session.token.instanceURL == sandbox.baseURL)
                #expect(TokenSignature.isValid(session.token, clientSecret: session.app.clientSecret))
                let me = try await session.client.userInfo()
                #expect(me.preferredUsername == "demo@parley.dev")
                let again = try await session.oauth.userInfo(accessToken: session.token.accessToken)
                #expect(again.userID == me.userID)
            }
        }
    }

    /// A code can be exchanged once, and only with the verifier whose challenge the authorize request carried.
    @Test func codeExchangeNeedsTheRightVerifier() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let app = try sandbox.systemApp()
                let oauth = try OAuthClient(loginURL: sandbox.baseURL, httpClient: http)
                let request = oauth.authorizationURL(clientID: app.clientID, redirectURI: SandboxSession.redirectURI)
                let code = try #require(try await SandboxBrowser(sandbox: sandbox).authorize(request.url).value(of: "code"))
                do {
                    _ = try await oauth.exchange(
                        code: code, verifier: PKCE().verifier, redirectURI: SandboxSession.redirectURI,
                        clientID: app.clientID, clientSecret: app.clientSecret)
                    Issue.record("a wrong verifier was accepted")
                } catch let error as SalesforceError {
                    #expect(error.kind == .oauth)
                    #expect(error.status == 400)
                }
            }
        }
    }

    /// Create, retrieve, update, delete and describe a lead, and list the versions.
    @Test func recordLifecycle() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let sf = try await SandboxSession.authorize(sandbox, http: http).client
                #expect(try await sf.versions().contains { $0.version == "66.0" })
                let created = try await sf.create("Lead", fields: ["LastName": "Doe", "Company": "Acme", "FirstName": "Jane"])
                #expect(created.success)
                #expect(RecordID(created.id)?.keyPrefix == KeyPrefix.lead)
                let lead = try await sf.retrieve("Lead", id: created.id, fields: ["Name", "Status"])
                #expect(lead["Name"] == "Jane Doe")
                #expect(lead["Status"] == "Open - Not Contacted")
                try await sf.update("Lead", id: created.id, fields: ["Status": "Working - Contacted", "Title": "CTO"])
                #expect(try await sf.retrieve("Lead", id: created.id)["Title"] == "CTO")
                try await sf.delete("Lead", id: created.id)
                do {
                    _ = try await sf.retrieve("Lead", id: created.id)
                    Issue.record("a deleted lead was retrieved")
                } catch let error as SalesforceError {
                    #expect(error.apiCode == .entityIsDeleted || error.apiCode == .notFound)
                }
                let describe = try await sf.describe("Lead")
                #expect(describe["name"] == "Lead")
                #expect(describe["fields"]?.arrayValue?.contains { $0["name"] == "LastName" } == true)
            }
        }
    }

    /// Query results larger than one batch are followed page by page, lazily when streamed.
    @Test func pagingOverRealHTTP() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let log = RequestLog()
                let real = AsyncHTTPClientTransport(http)
                let counting = ClosureTransport { request, timeout in
                    await log.append(request)
                    return try await real.execute(request, timeout: timeout)
                }
                let sf = try await SandboxSession.authorize(sandbox, http: http, transport: counting).client
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<6 {
                        group.addTask {
                            for index in 0..<30 {
                                _ = try await sf.create(
                                    "Lead", fields: ["LastName": .string("Pager \(worker)-\(index)"), "Company": "Paging Inc"])
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let first = try await sf.query("SELECT Id FROM Lead", batchSize: 200)
                #expect(first.records.count == 200)
                #expect(!first.done)
                #expect(first.totalSize > 200)
                let queriesBefore = await log.count { $0.url.path.contains("/query") }
                let all = try await sf.queryAllPages("SELECT Id FROM Lead", batchSize: 200)
                #expect(all.count == first.totalSize)
                #expect(Set(all.compactMap { $0["Id"]?.stringValue }).count == all.count)
                #expect(await log.count { $0.url.path.contains("/query") } - queriesBefore == 2)

                var streamed = 0
                for try await _ in sf.records("SELECT Id FROM Lead WHERE Company = 'Paging Inc'") { streamed += 1 }
                #expect(streamed == 180)
            }
        }
    }

    /// SOSL and parameterized search find a freshly created lead.
    @Test func searchFindsRecords() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let sf = try await SandboxSession.authorize(sandbox, http: http).client
                let created = try await sf.create("Lead", fields: ["LastName": "Quixote", "Company": "Zyxwv Labs"])
                let found = try await sf.search("FIND {Zyxwv} IN ALL FIELDS RETURNING Lead(Id, Name)")
                #expect(found.contains { $0["Id"]?.stringValue == created.id })
                let parameterized = try await sf.parameterizedSearch(
                    ParameterizedSearch("Zyxwv", objects: [.init("Lead", fields: ["Id", "Name"], limit: 5)]))
                #expect(parameterized.contains { $0["Id"]?.stringValue == created.id })
            }
        }
    }

    /// After the org expires every session, the next call refreshes once, succeeds, and the store gets the new token.
    @Test func refreshAfterForcedExpiry() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let session = try await SandboxSession.authorize(sandbox, http: http)
                _ = try await session.client.query("SELECT Id FROM Lead LIMIT 1")
                try sandbox.expireAllAccessTokens()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 { group.addTask { _ = try await session.client.query("SELECT Id FROM Lead LIMIT 1") } }
                    try await group.waitForAll()
                }
                let renewed = try #require(await session.store.credentials())
                #expect(renewed.accessToken != session.token.accessToken)
                #expect(renewed.refreshToken == session.token.refreshToken)
                #expect(await session.store.refreshCount == 1)
            }
        }
    }

    /// `send`, as dialog service nodes use it, returns Salesforce's statuses and bodies and still refreshes an
    /// expired session.
    @Test func rawSendForServiceNodes() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let session = try await SandboxSession.authorize(sandbox, http: http)
                let sf = session.client
                let created = try await sf.send(
                    method: .post, path: "\(sandbox.baseURL)/services/data/v66.0/sobjects/Lead",
                    json: ["LastName": "Service", "Company": "Node Inc"])
                #expect(created.status == 201)
                let id = try #require(created.json?["id"]?.stringValue)
                let missing = try await sf.send(method: .post, path: "/services/data/v66.0/sobjects/Lead", json: ["LastName": "X"])
                #expect(missing.status == 400)
                #expect(missing.json?[0]?["errorCode"] == "REQUIRED_FIELD_MISSING")
                try sandbox.expireAllAccessTokens()
                let fetched = try await sf.send(method: .get, path: "/services/data/v66.0/sobjects/Lead/\(id)")
                #expect(fetched.status == 200)
                #expect(fetched.json?["Company"] == "Node Inc")
                #expect(await session.store.refreshCount == 1)
            }
        }
    }

    /// Revoking the refresh token ends the session: the next call reports that authorization is required.
    @Test func revokeEndsTheSession() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let session = try await SandboxSession.authorize(sandbox, http: http)
                try await session.oauth.revoke(token: try #require(session.token.refreshToken))
                await #expect(throws: SalesforceError.authorizationRequired) {
                    _ = try await session.client.query("SELECT Id FROM Lead LIMIT 1")
                }
                await #expect(throws: SalesforceError.oauth(.init(error: "invalid_token", errorDescription: "invalid token"))) {
                    try await session.oauth.revoke(token: "not-a-token")
                }
            }
        }
    }

    /// Each REST error the sandbox sends arrives as `.api` with Salesforce's code, status and fields.
    @Test func restErrorsAreTyped() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let sf = try await SandboxSession.authorize(sandbox, http: http).client
                func failure(_ call: () async throws -> Void) async -> SalesforceError? {
                    do { try await call() } catch let error as SalesforceError { return error } catch { return nil }
                    return nil
                }
                let missing = await failure { _ = try await sf.create("Lead", fields: ["LastName": "Doe"]) }
                #expect(missing?.apiCode == .requiredFieldMissing)
                #expect(missing?.status == 400)
                #expect(missing?.apiFailure?.errors.first?.fields == ["Company"])
                let someLead = try #require(try await sf.query("SELECT Id FROM Lead LIMIT 1").records.first?["Id"]?.stringValue)
                let column = await failure { _ = try await sf.retrieve("Lead", id: someLead, fields: ["Foo"]) }
                #expect(column?.apiCode == .invalidField)
                let absent = await failure { _ = try await sf.retrieve("Lead", id: RecordID.withChecksum("00Q000000000000")) }
                #expect(absent?.apiCode == .notFound)
                #expect(absent?.status == 404)
                let wrongType = await failure { _ = try await sf.retrieve("Account", id: someLead) }
                #expect(wrongType?.apiCode == .malformedID || wrongType?.apiCode == .notFound)
                let malformed = await failure { _ = try await sf.query("SELECT Id FRM Lead") }
                #expect(malformed?.apiCode == .malformedQuery)
                let type = await failure { _ = try await sf.query("SELECT Id FROM Widget") }
                #expect(type?.apiCode == .invalidType)
                let picklist = await failure {
                    _ = try await sf.create("Lead", fields: ["LastName": "Doe", "Company": "Acme", "Status": "Bogus"])
                }
                #expect(picklist?.apiCode == .invalidOrNullForRestrictedPicklist)
                let sosl = await failure { _ = try await sf.search("FIND Acme") }
                #expect(sosl?.apiCode == .malformedSearch)
            }
        }
    }

    /// OAuth, authorization, timeout, connection and foreign-response failures each have their own kind.
    @Test func transportAndOAuthErrorsAreTyped() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let app = try sandbox.systemApp()
                let oauth = try OAuthClient(loginURL: sandbox.baseURL, httpClient: http)
                do {
                    _ = try await oauth.exchange(
                        code: "aPrxNotACode", verifier: nil, redirectURI: SandboxSession.redirectURI, clientID: app.clientID,
                        clientSecret: app.clientSecret)
                    Issue.record("a made-up code was accepted")
                } catch let error as SalesforceError {
                    #expect(error.oauthError?.error == "invalid_grant")
                }

                let nobody = try SalesforceClient(httpClient: http, credentials: InMemoryCredentialStore())
                await #expect(throws: SalesforceError.authorizationRequired) { _ = try await nobody.query("SELECT Id FROM Lead") }

                let session = try await SandboxSession.authorize(sandbox, http: http, timeout: .milliseconds(150))
                sandbox.faults = FaultInjection(latency: .milliseconds(600))
                await #expect(throws: SalesforceError.timeout) { _ = try await session.client.query("SELECT Id FROM Lead") }
                sandbox.faults = FaultInjection()

                let log = RequestLog()
                let sleeps = SleepLog()
                let closed = try SalesforceClient(
                    transport: transport(log: log) { try await AsyncHTTPClientTransport(http).execute($0, timeout: .seconds(2)) },
                    credentials: InMemoryCredentialStore(
                        SalesforceCredentials(accessToken: "x", instanceURL: "http://127.0.0.1:1")),
                    retry: recordingRetry(sleeps))
                do {
                    _ = try await closed.describe("Lead")
                    Issue.record("a closed port answered")
                } catch let error as SalesforceError {
                    #expect(error.kind == .connection)
                }
                #expect(await log.count == 3)

                let htmlEndpoints = try OAuthEndpoints(loginURL: sandbox.baseURL)
                var pointedAtPage = htmlEndpoints
                pointedAtPage.userInfoURL = htmlEndpoints.authorizationURL
                let confused = OAuthClient(endpoints: pointedAtPage, transport: AsyncHTTPClientTransport(http))
                do {
                    _ = try await confused.userInfo(accessToken: session.token.accessToken)
                    Issue.record("an HTML page decoded as userinfo")
                } catch let error as SalesforceError {
                    #expect(error.kind == .invalidResponse)
                    #expect(error.status == 400)
                }
            }
        }
    }

    /// Under injected 503s a GET is retried and succeeds, while a create is sent exactly once.
    @Test func retriesUnderInjected503s() async throws {
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let log = RequestLog()
                let sleeps = SleepLog()
                let real = AsyncHTTPClientTransport(http)
                // The fault lasts for one response: the transport lifts it once a 503 has come back.
                let healing = ClosureTransport { request, timeout in
                    await log.append(request)
                    let response = try await real.execute(request, timeout: timeout)
                    if response.status == 503 { sandbox.faults = FaultInjection() }
                    return response
                }
                let sf = try await SandboxSession.authorize(
                    sandbox, http: http, transport: healing, retry: recordingRetry(sleeps)
                ).client

                sandbox.faults = FaultInjection(unavailableRate: 1)
                let page = try await sf.query("SELECT Id FROM Lead LIMIT 1")
                #expect(page.records.count == 1)
                #expect(await log.count { $0.url.path.hasSuffix("/query") } == 2)
                #expect(await sleeps.delays.count == 1)

                sandbox.faults = FaultInjection(unavailableRate: 1)
                do {
                    _ = try await sf.create("Lead", fields: ["LastName": "Once", "Company": "Acme"])
                    Issue.record("create succeeded under a 503")
                } catch let error as SalesforceError {
                    #expect(error.apiCode == .serverUnavailable)
                    #expect(error.status == 503)
                }
                #expect(await log.count { $0.method == .post && $0.url.absoluteString.hasSuffix("/sobjects/Lead/") } == 1)
                let onceLeads = try await sf.query("SELECT Id FROM Lead WHERE LastName = 'Once'")
                #expect(onceLeads.totalSize == 0)
            }
        }
    }

    /// With logging at trace level, no token, code or client secret of a whole session reaches the logs.
    @Test func noSecretReachesTheLogs() async throws {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .trace
        try await withSandbox { sandbox in
            try await withHTTPClient { http in
                let session = try await SandboxSession.authorize(sandbox, http: http, logger: logger)
                _ = try await session.client.userInfo()
                try sandbox.expireAllAccessTokens()
                _ = try await session.client.query("SELECT Id FROM Lead LIMIT 1")
                let renewed = try #require(await session.store.credentials())
                try await session.oauth.revoke(token: renewed.accessToken)
                let secrets = [
                    session.token.accessToken, try #require(session.token.refreshToken), session.app.clientSecret,
                    renewed.accessToken,
                ]
                let text = handler.text
                #expect(text.contains("/services/oauth2/token"))
                #expect(text.contains("Bearer [redacted]"))
                for secret in secrets { #expect(!text.contains(secret)) }
            }
        }
    }
}
