import Foundation
import NIOHTTP1
import ParleyJSON
import SalesforceSandboxTesting
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// The HTTP server around the API: limits, fault injection, bad input, concurrency, persistence, lifetime.
@Suite struct ServerTests {
    /// Signs in through the client-credentials grant (as the demo user) and returns an access token.
    static func token(_ browser: SandboxBrowser, _ sandbox: Sandbox) async throws -> String {
        let reply = try await browser.post(
            "/services/oauth2/token",
            form: [
                ("grant_type", "client_credentials"), ("client_id", ConnectedApp.systemClientID),
                ("client_secret", try sandbox.systemApp().clientSecret),
            ])
        return try #require(reply.json?["access_token"]?.stringValue, "client credentials: \(reply.text)")
    }

    /// After the daily limit, REST calls get 403 REQUEST_LIMIT_EXCEEDED; `Sforce-Limit-Info` counts usage.
    @Test func dailyLimitRefusesFurtherCalls() async throws {
        try await withSandbox(configuration: SandboxConfiguration(dailyAPILimit: 3)) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                for call in 1...3 {
                    let reply = try await browser.get("/services/data/v66.0/sobjects", bearer: token)
                    #expect(reply.status == 200)
                    #expect(reply.headers.first(name: "Sforce-Limit-Info") == "api-usage=\(call)/3")
                }
                let refused = try await browser.get("/services/data/v66.0/sobjects", bearer: token)
                #expect(refused.status == 403)
                #expect(refused.json == [["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
                let versions = try await browser.get("/services/data/")
                #expect(versions.status == 200)
                #expect(versions.headers.first(name: "Sforce-Limit-Info") == nil)
            }
        }
    }

    /// The limit starts over on the next day.
    @Test func dailyLimitResetsTheNextDay() async throws {
        let clock = TestClock.sandboxTests()
        try await withSandbox(configuration: SandboxConfiguration(dailyAPILimit: 1, clock: clock.function)) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: token).status == 200)
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: token).status == 403)
                clock.advance(by: 86_400)
                let sobjects = try await browser.get("/services/data/v66.0/sobjects", bearer: token)
                #expect(sobjects.status == 401)  // a day idle is past the session timeout
                let fresh = try await Self.token(browser, sandbox)
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: fresh).status == 200)
            }
        }
    }

    /// Bodies over the limit get 413 and the server keeps serving.
    @Test func oversizedBodiesAreRefused() async throws {
        try await withSandbox(configuration: SandboxConfiguration(maxBodySize: 4096)) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                let huge = Array("{\"LastName\":\"\(String(repeating: "x", count: 10_000))\",\"Company\":\"Acme\"}".utf8)
                let reply = try await browser.send(
                    .POST, "/services/data/v66.0/sobjects/Lead",
                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: huge)
                #expect(reply.status == 413)
                #expect(reply.json?[0]?["errorCode"] == "REQUEST_ENTITY_TOO_LARGE")
                let small = try await browser.send(
                    .POST, "/services/data/v66.0/sobjects/Lead",
                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                    body: Array("{\"LastName\":\"Small\",\"Company\":\"Acme\"}".utf8))
                #expect(small.status == 201)
            }
        }
    }

    /// A 503 rate of 1 fails every REST call with SERVER_UNAVAILABLE; turning it off restores service.
    @Test func unavailableFaultsCanBeInjected() async throws {
        try await withSandbox(configuration: SandboxConfiguration(faults: FaultInjection(unavailableRate: 1))) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                let failed = try await browser.get("/services/data/v66.0/sobjects", bearer: token)
                #expect(failed.status == 503)
                #expect(failed.json?[0]?["errorCode"] == "SERVER_UNAVAILABLE")
                sandbox.faults = FaultInjection()
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: token).status == 200)
            }
        }
    }

    /// Injected latency delays responses by at least that much.
    @Test func latencyCanBeInjected() async throws {
        try await withSandbox(configuration: SandboxConfiguration(faults: FaultInjection(latency: .milliseconds(300)))) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let start = ContinuousClock.now
                _ = try await browser.get("/services/data/")
                #expect(ContinuousClock.now - start >= .milliseconds(300))
            }
        }
    }

    /// Forced expiry makes every access token fail with 401 while refresh tokens still work.
    @Test func forcedExpiryKeepsRefreshTokens() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let tokens = try await OAuthSteps.tokens(browser, sandbox: sandbox)
                let access = try #require(tokens["access_token"]?.stringValue)
                try sandbox.expireAllAccessTokens()
                let expired = try await browser.get("/services/data/v66.0/sobjects", bearer: access)
                #expect(expired.status == 401)
                #expect(expired.json?[0]?["errorCode"] == "INVALID_SESSION_ID")
                let refreshed = try await browser.post(
                    "/services/oauth2/token",
                    form: [
                        ("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"]?.stringValue ?? ""),
                        ("client_id", ConnectedApp.systemClientID),
                    ])
                let access2 = try #require(refreshed.json?["access_token"]?.stringValue)
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: access2).status == 200)
            }
        }
    }

    /// Access tokens expire after the session timeout of inactivity; use keeps them alive.
    @Test func accessTokensExpireAfterInactivity() async throws {
        let clock = TestClock.sandboxTests()
        let configuration = SandboxConfiguration(sessionTimeout: .seconds(600), clock: clock.function)
        try await withSandbox(configuration: configuration) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                for _ in 0..<3 {
                    clock.advance(by: 500)
                    #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: token).status == 200)
                }
                clock.advance(by: 601)
                let expired = try await browser.get("/services/data/v66.0/sobjects", bearer: token)
                #expect(expired.status == 401)
                #expect(expired.json == [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]])
                #expect(try await browser.get("/services/oauth2/userinfo", bearer: token).status == 403)
            }
        }
    }

    /// Missing, foreign-scheme and unknown Authorization headers get Salesforce's 401s.
    @Test func badAuthorizationHeaders() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let none = try await browser.get("/services/data/v66.0/sobjects")
                #expect(none.status == 401)
                #expect(none.json?[0]?["errorCode"] == "INVALID_SESSION_ID")
                let basic = try await browser.send(.GET, "/services/data/v66.0/sobjects", headers: [("Authorization", "Basic abc")])
                #expect(basic.status == 401)
                #expect(basic.json == [["message": "INVALID_HEADER_TYPE", "errorCode": "INVALID_AUTH_HEADER"]])
                let unknown = try await browser.get("/services/data/v66.0/sobjects", bearer: "00D!ARnope")
                #expect(unknown.json?[0]?["errorCode"] == "INVALID_SESSION_ID")
            }
        }
    }

    /// The token endpoint's errors use Salesforce's codes and descriptions.
    @Test func tokenEndpointErrors() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let secret = try sandbox.systemApp().clientSecret
                func post(_ form: [(String, String)]) async throws -> JSONValue? {
                    let reply = try await browser.post("/services/oauth2/token", form: form)
                    #expect(reply.status == 400)
                    return reply.json
                }
                #expect(try await post([("client_id", "parley-system")])?["error"] == "invalid_request")
                #expect(
                    try await post([("grant_type", "magic")]) == [
                        "error": "unsupported_grant_type", "error_description": "grant type not supported",
                    ])
                #expect(
                    try await post([("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", "x")])
                        == ["error": "invalid_client_id", "error_description": "client identifier invalid"])
                #expect(
                    try await post([("grant_type", "client_credentials"), ("client_id", "parley-system"), ("client_secret", "wrong")])
                        == ["error": "invalid_client", "error_description": "invalid client credentials"])
                #expect(
                    try await post([
                        ("grant_type", "authorization_code"), ("client_id", "parley-system"), ("client_secret", secret),
                        ("code", "aPrxnope"),
                    ])?["error"]
                        == "invalid_grant")
                #expect(
                    try await post([
                        ("grant_type", "password"), ("client_id", "parley-system"), ("client_secret", secret),
                        ("username", "demo@parley.dev"), ("password", "bad"),
                    ])
                        == ["error": "invalid_grant", "error_description": "authentication failure"])
                let invalidUTF8 = try await browser.send(
                    .POST, "/services/oauth2/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("grant_type=".utf8) + [0xFF, 0xFE, 0x25, 0x41])
                #expect(invalidUTF8.status == 400)
                #expect(invalidUTF8.json?["error"] == "invalid_request")
            }
        }
    }

    /// Client credentials run as the demo user, without a refresh token; HTTP Basic client authentication works.
    @Test func clientCredentialsGrant() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let secret = try sandbox.systemApp().clientSecret
                let basic = Data("parley-system:\(secret)".utf8).base64EncodedString()
                let reply = try await browser.post(
                    "/services/oauth2/token", form: [("grant_type", "client_credentials")],
                    headers: [("Authorization", "Basic \(basic)")])
                #expect(reply.status == 200)
                #expect(reply.json?["refresh_token"] == nil)
                #expect(reply.json?["scope"] == "api")
                #expect(reply.json?["id"]?.stringValue?.hasSuffix(SandboxUser.demo.id) == true)
            }
        }
    }

    /// Revoke answers 200 for live tokens (POST or GET) and Salesforce's errors otherwise.
    @Test func revokeEndpoint() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                let viaGet = try await browser.get("/services/oauth2/revoke?token=" + PercentEncoding.component(token))
                #expect(viaGet.status == 200)
                #expect(try await browser.get("/services/data/v66.0/sobjects", bearer: token).status == 401)
                let again = try await browser.post("/services/oauth2/revoke", form: [("token", token)])
                #expect(again.json == ["error": "invalid_token", "error_description": "invalid token"])
                let missing = try await browser.post("/services/oauth2/revoke", form: [])
                #expect(missing.status == 400)
                #expect(missing.json?["error"] == "unsupported_token_type")
            }
        }
    }

    /// The identity URL describes the user with `urls.rest` holding the `{version}` placeholder; bad tokens get 403.
    @Test func identityURL() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let tokens = try await OAuthSteps.tokens(browser, sandbox: sandbox)
                let id = try #require(tokens["id"]?.stringValue)
                let access = tokens["access_token"]?.stringValue
                let identity = try await browser.get(id, bearer: access)
                #expect(identity.status == 200)
                #expect(identity.json?["username"] == "demo@parley.dev")
                #expect(identity.json?["display_name"] == "Dana Demo")
                #expect(identity.json?["urls"]?["rest"]?.stringValue == "\(sandbox.baseURL)/services/data/v{version}/")
                let bad = try await browser.get(id, bearer: "nope")
                #expect(bad.status == 403)
                #expect(bad.text == "Bad_OAuth_Token")
            }
        }
    }

    /// Unknown paths get Salesforce's NOT_FOUND array.
    @Test func unknownPathsAreNotFound() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let reply = try await browser.get("/services/nothing/here")
                #expect(reply.status == 404)
                #expect(reply.json?[0]?["errorCode"] == "NOT_FOUND")
            }
        }
    }

    /// Many concurrent clients creating and reading records all succeed.
    @Test func concurrentRequests() async throws {
        try await withSandbox { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                let token = try await Self.token(browser, sandbox)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<100 {
                        group.addTask {
                            if index.isMultiple(of: 2) {
                                return try await browser.send(
                                    .POST, "/services/data/v66.0/sobjects/Lead",
                                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                    body: Array("{\"LastName\":\"Load \(index)\",\"Company\":\"Concurrent\"}".utf8)
                                ).status
                            }
                            return try await browser.get(
                                "/services/data/v66.0/query?q=" + PercentEncoding.component("SELECT Id FROM Lead LIMIT 5"), bearer: token
                            ).status
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 201 }.count == 50)
                #expect(statuses.filter { $0 == 200 }.count == 50)
            }
        }
    }

    /// Apps, secrets and tokens survive a restart on the same data file; `reset` starts over.
    @Test func dataSurvivesRestarts() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)/sandbox.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let (secret, token) = try await withSandbox(configuration: SandboxConfiguration(dataPath: path)) { sandbox in
            try await SandboxBrowser.with(sandbox) { browser in
                (try sandbox.systemApp().clientSecret, try await Self.token(browser, sandbox))
            }
        }
        try await withSandbox(configuration: SandboxConfiguration(dataPath: path)) { sandbox in
            #expect(try sandbox.systemApp().clientSecret == secret)
            let status = try await SandboxBrowser.with(sandbox) { browser in
                try await browser.get("/services/data/v66.0/sobjects", bearer: token).status
            }
            #expect(status == 200)
        }
        let reset = try Sandbox(configuration: SandboxConfiguration(dataPath: path, reset: true))
        #expect(try reset.systemApp().clientSecret != secret)
    }

    /// The server stops when the body of `withSandbox` throws.
    @Test func serverStopsOnError() async throws {
        struct Planned: Error {}
        var url = ""
        await #expect(throws: Planned.self) {
            try await withSandbox { sandbox in
                url = sandbox.baseURL
                throw Planned()
            }
        }
        try await SandboxBrowser.withBrowser(overHTTP: url) { browser in
            await #expect(throws: (any Error).self) { _ = try await browser.get("/services/data/") }
        }
    }

    /// Registering apps checks names and callback URLs; callbacks can be added to the system app.
    @Test func appRegistration() async throws {
        let sandbox = try Sandbox()
        #expect(throws: SandboxError.self) { try sandbox.registerApp(name: " ", callbackURLs: ["http://x/cb"]) }
        #expect(throws: SandboxError.self) { try sandbox.registerApp(name: "A", callbackURLs: ["not a url"]) }
        #expect(throws: SandboxError.self) { try sandbox.registerApp(name: "A", callbackURLs: []) }
        let app = try sandbox.registerApp(name: "Acme Bot", callbackURLs: ["http://127.0.0.1:9000/cb"])
        #expect(app.clientID.hasPrefix("3MVG9"))
        #expect(app.clientSecret.count == 64)
        try sandbox.registerCallback("http://127.0.0.1:5555/oauth/callback")
        #expect(try sandbox.systemApp().callbackURLs.contains("http://127.0.0.1:5555/oauth/callback"))
        #expect(try sandbox.systemApp().callbackURLs.starts(with: SandboxConfiguration.defaultSystemAppCallbacks))
        #expect(throws: SandboxError.self) { try sandbox.registerCallback("http://x/cb", clientID: "nobody") }
        #expect(try sandbox.apps().map(\.name) == ["Parley", "Acme Bot"])
    }
}
