import DialogRuntime
import Foundation
import Integrations
import SalesforceAPI
import SalesforceSandbox
import SalesforceSandboxTesting
import Testing

@Suite("Secrets stay secret")
struct SecretLeakTests {
    /// After authorizing, refreshing and calling Salesforce, no token or client secret appears in anything
    /// printed, logged, shown on a page, or written to the database files.
    @Test func noSecretInOutputLogsOrDatabase() async throws {
        try await SalesforceFixture.run { fixture in
            let profileSecret = "profile-secret-\(UUID().uuidString)"
            try fixture.store.createProfile(
                AuthProfile(
                    name: "corp", identityProvider: "Salesforce", clientID: "3MVG9-corp", clientSecret: profileSecret,
                    authorizationURL: "https://login.example.com/services/oauth2/authorize",
                    tokenURL: "https://login.example.com/services/oauth2/token", scope: "api refresh_token"))

            var shown: [String] = []
            let page = try await fixture.authorize()
            shown.append(page.text)
            let first = try #require(try fixture.store.authorization(action: "salesforce", user: "")).credentials
            try fixture.sandbox.expireAllAccessTokens()
            let integration = fixture.integration()
            let response = try await integration.send(fixture.leadQuery(), for: "u1")
            #expect(response.statusCode == 200)
            let stored = try #require(try fixture.store.authorization(action: "salesforce", user: ""))
            #expect(stored.credentials.accessToken != first.accessToken)

            shown.append("\(stored)")
            shown.append("\(try fixture.authorizer.app())")
            shown.append("\(try #require(try fixture.store.profile(named: "corp")))")
            shown.append("\(await integration.access(for: "u1"))")
            shown.append(fixture.completed.map { "\($0)" }.joined())

            let secrets = [
                first.accessToken, first.refreshToken ?? "", stored.credentials.accessToken,
                try fixture.sandbox.systemApp().clientSecret, profileSecret,
            ]
            #expect(secrets.allSatisfy { $0.count >= 16 })
            let logs = fixture.logs.text
            #expect(logs.contains("Salesforce authorized"))

            var databaseBytes = Data()
            for suffix in ["", "-wal", "-shm"] {
                let path = fixture.state + "/parley.sqlite" + suffix
                if let data = FileManager.default.contents(atPath: path) { databaseBytes.append(data) }
            }
            #expect(databaseBytes.count > 0)
            for secret in secrets {
                #expect(!logs.contains(secret), "a secret was logged")
                #expect(!shown.contains { $0.contains(secret) }, "a secret was shown")
                #expect(databaseBytes.range(of: Data(secret.utf8)) == nil, "a secret was written unencrypted")
            }
        }
    }
}
