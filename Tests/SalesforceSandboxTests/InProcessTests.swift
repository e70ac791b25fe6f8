import Foundation
import ParleyJSON
import SalesforceWire
import Testing
import WebEncoding

@testable import SalesforceSandbox

/// The sandbox answered in-process (no socket), as transcript replays use it, and in-memory orgs made from a template.
@Suite struct InProcessTests {
    static let base = "https://sandbox.parley.test"

    static func sandbox(seeded: Bool = true) throws -> Sandbox {
        try Sandbox(configuration: SandboxConfiguration(baseURL: base, seedDemoData: seeded, clock: { DataFixture.now }))
    }

    static func token(_ sandbox: Sandbox) async throws -> String {
        let form =
            "grant_type=client_credentials&client_id=\(ConnectedApp.systemClientID)&client_secret="
            + PercentEncoding.component(try sandbox.systemApp().clientSecret)
        let reply = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: base + "/services/oauth2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(form.utf8)))
        #expect(reply.status == 200)
        return try #require(try JSONValue(parsing: String(decoding: reply.body, as: UTF8.self))["access_token"]?.stringValue)
    }

    /// The same routes, statuses, headers and bodies as over HTTP: versions, a create, its error array, the login page.
    @Test func answersAsTheServerDoes() async throws {
        let sandbox = try Self.sandbox()
        let versions = try await sandbox.respond(to: InProcessRequest(method: "GET", url: Self.base + "/services/data/"))
        #expect(versions.status == 200)
        #expect(versions.header("content-type")?.hasPrefix("application/json") == true)
        let token = try await Self.token(sandbox)
        let auth = [("Authorization", "Bearer " + token), ("Content-Type", "application/json")]
        let created = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: Self.base + "/services/data/v66.0/sobjects/Lead/", headers: auth,
                body: Data(#"{"LastName":"Okafor","Company":"Initech"}"#.utf8)))
        #expect(created.status == 201)
        #expect(created.header("Sforce-Limit-Info") != nil)
        let missing = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: Self.base + "/services/data/v66.0/sobjects/Lead/", headers: auth,
                body: Data(#"{"Company":"Initech"}"#.utf8)))
        #expect(missing.status == 400)
        #expect(String(decoding: missing.body, as: UTF8.self).contains("REQUIRED_FIELD_MISSING"))
        let page = try await sandbox.respond(
            to: InProcessRequest(
                method: "GET",
                url: Self.base + "/services/oauth2/authorize?response_type=code&client_id=parley-system&redirect_uri="
                    + PercentEncoding.component(SandboxConfiguration.defaultSystemAppCallbacks[0]) + "&state=s1"))
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains("name=\"pw\""))
        let unauthorized = try await sandbox.respond(
            to: InProcessRequest(method: "GET", url: Self.base + "/services/data/v66.0/sobjects"))
        #expect(unauthorized.status == 401)
    }

    /// A URL elsewhere, or a method no server would read, is refused, not answered.
    @Test func otherHostsAreRefused() async throws {
        let sandbox = try Self.sandbox(seeded: false)
        await #expect(throws: InProcessExchangeError.notSandboxURL("https://login.salesforce.com/services/data/")) {
            try await sandbox.respond(to: InProcessRequest(method: "GET", url: "https://login.salesforce.com/services/data/"))
        }
        await #expect(throws: InProcessExchangeError.self) {
            try await sandbox.respond(to: InProcessRequest(method: "GET", url: Self.base + ".evil.test/services/data/"))
        }
        await #expect(throws: InProcessExchangeError.invalidMethod("GE T")) {
            try await sandbox.respond(to: InProcessRequest(method: "GE T", url: Self.base + "/services/data/"))
        }
    }

    /// In-memory orgs start as copies of one prepared org: the same demo data, then each goes its own way.
    @Test func inMemoryOrgsAreIndependentCopies() async throws {
        let first = try Self.sandbox()
        let second = try Self.sandbox()
        #expect(first.records.snapshot(of: "Lead").count == second.records.snapshot(of: "Lead").count)
        #expect(first.records.snapshot(of: "Lead").count >= 50)
        let token = try await Self.token(first)
        let created = try await first.respond(
            to: InProcessRequest(
                method: "POST", url: Self.base + "/services/data/v66.0/sobjects/Lead/",
                headers: [("Authorization", "Bearer " + token), ("Content-Type", "application/json")],
                body: Data(#"{"LastName":"Only-In-First","Company":"Initech"}"#.utf8)))
        #expect(created.status == 201)
        let names = { (sandbox: Sandbox) in sandbox.records.snapshot(of: "Lead").compactMap { $0.fields["LastName"]?.stringValue } }
        #expect(names(first).contains("Only-In-First"))
        #expect(!names(second).contains("Only-In-First"))
        #expect(!names(try Self.sandbox()).contains("Only-In-First"))
        // A token from one org means nothing to another.
        let elsewhere = try await second.respond(
            to: InProcessRequest(
                method: "GET", url: Self.base + "/services/data/v66.0/sobjects", headers: [("Authorization", "Bearer " + token)]))
        #expect(elsewhere.status == 401)
        #expect(try Self.sandbox(seeded: false).records.snapshot(of: "Lead").isEmpty)
    }

    /// Tokens granted directly are the token endpoint's: they call the API, refresh, and carry a valid signature.
    @Test func grantedTokensWorkLikeIssuedOnes() async throws {
        let sandbox = try Self.sandbox(seeded: false)
        let token = try sandbox.grantTokens(username: "demo@parley.dev")
        #expect(token.instanceURL == Self.base)
        #expect(
            token.signature
                == SecretMaker.signature(id: token.id, issuedAt: token.issuedAt, clientSecret: try sandbox.systemApp().clientSecret))
        let sobjects = try await sandbox.respond(
            to: InProcessRequest(
                method: "GET", url: Self.base + "/services/data/v66.0/sobjects", headers: [("Authorization", "Bearer " + token.accessToken)]
            ))
        #expect(sobjects.status == 200)
        let refresh = try #require(token.refreshToken)
        let form = "grant_type=refresh_token&client_id=\(ConnectedApp.systemClientID)&refresh_token=" + PercentEncoding.component(refresh)
        let refreshed = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: Self.base + "/services/oauth2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(form.utf8)))
        #expect(refreshed.status == 200)
        #expect(throws: SandboxError.self) { try sandbox.grantTokens(username: "nobody@parley.dev") }
        #expect(throws: SandboxError.self) { try sandbox.grantTokens(username: "demo@parley.dev", clientID: "unknown") }
    }
}
