import Foundation
import Integrations
import SalesforceAPI
import Testing

@Suite("Token vault and integration store")
struct VaultAndStoreTests {
    static func credentials(_ n: Int) -> SalesforceCredentials {
        SalesforceCredentials(
            accessToken: "00DPa!access-\(n)-\(UUID().uuidString)", refreshToken: "5Aep-refresh-\(n)",
            instanceURL: "https://example.my.salesforce.com")
    }

    /// Tokens survive closing and reopening the database, and decrypt to what was stored.
    @Test func tokensSurviveReopening() async throws {
        try await withStateDirectory { state in
            let credentials = Self.credentials(1)
            do {
                let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
                try store.saveAuthorization(
                    StoredAuthorization(user: "alice", credentials: credentials, username: "demo@parley.dev", authorizedAt: Date()),
                    action: "salesforce")
            }
            let reopened = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            let stored = try #require(try reopened.authorization(action: "salesforce", user: "alice"))
            #expect(stored.credentials == credentials)
            #expect(stored.username == "demo@parley.dev")
            #expect(try reopened.authorization(action: "salesforce", user: "bob") == nil)
        }
    }

    /// Without PARLEY_VAULT_KEY the key file is created with mode 0600 and reused.
    @Test func keyFileIsCreatedPrivateAndReused() async throws {
        try await withStateDirectory { state in
            let first = try IntegrationStore(stateDirectory: state, bot: "b", environment: [:])
            try first.saveAuthorization(
                StoredAuthorization(user: "", credentials: Self.credentials(2), username: nil, authorizedAt: Date()),
                action: "salesforce")
            let path = state + "/vault.key"
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let second = try IntegrationStore(stateDirectory: state, bot: "b", environment: [:])
            #expect(try second.authorization(action: "salesforce", user: "") != nil)
        }
    }

    /// Another key gives the clear mismatch error naming the key file, never garbage.
    @Test func wrongKeyIsAClearError() async throws {
        try await withStateDirectory { state in
            _ = try IntegrationStore(stateDirectory: state, bot: "b", environment: [:])
            let other = [VaultKey.environmentVariable: VaultKey.generateEncoded()]
            do {
                _ = try IntegrationStore(stateDirectory: state, bot: "b", environment: other)
                Issue.record("a wrong key opened the vault")
            } catch let error as VaultError {
                #expect(error.isKeyMismatch)
                #expect(
                    error.description
                        == "the vault key does not match the one the tokens were stored with; restore the PARLEY_VAULT_KEY value or set PARLEY_VAULT_KEY"
                )
            }
        }
    }

    /// A wrong key file is named in the error, so the person knows what to restore.
    @Test func wrongKeyFileIsNamed() async throws {
        try await withStateDirectory { state in
            _ = try IntegrationStore(stateDirectory: state, bot: "b", environment: [:])
            try (VaultKey.generateEncoded() + "\n").write(toFile: state + "/vault.key", atomically: true, encoding: .utf8)
            #expect {
                _ = try IntegrationStore(stateDirectory: state, bot: "b", environment: [:])
            } throws: { error in
                "\(error)".contains("restore \(state)/vault.key or set PARLEY_VAULT_KEY")
            }
        }
    }

    /// A malformed PARLEY_VAULT_KEY is reported as such.
    @Test func malformedKeyIsReported() async throws {
        _ = try await withStateDirectory { state in
            #expect {
                _ = try IntegrationStore(stateDirectory: state, bot: "b", environment: [VaultKey.environmentVariable: "c2hvcnQ="])
            } throws: { error in
                "\(error)".contains("decodes to 5 bytes, not 32")
            }
        }
    }

    /// Two stores on one file, writing at once, lose nothing and corrupt nothing.
    @Test func twoStoresOnOneFileConcurrently() async throws {
        try await withStateDirectory { state in
            let first = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            let second = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    let store = n.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try store.saveAuthorization(
                            StoredAuthorization(user: "user\(n)", credentials: Self.credentials(n), username: nil, authorizedAt: Date()),
                            action: "salesforce")
                        try store.updateCredentials(Self.credentials(n + 100), action: "salesforce", user: "user\(n)")
                        _ = try store.authorization(action: "salesforce", user: "user\(n)")
                    }
                }
                try await group.waitForAll()
            }
            for n in 0..<40 {
                let stored = try #require(try first.authorization(action: "salesforce", user: "user\(n)"))
                #expect(stored.credentials.refreshToken == "5Aep-refresh-\(n + 100)")
            }
        }
    }

    /// A sealed value decrypts only for what it was sealed for.
    @Test func sealedValuesAreBoundToTheirOwner() throws {
        let vault = TokenVault(key: try VaultKey.load(stateDirectory: "/nonexistent", environment: testEnvironment))
        let alice = TokenVault.Binding(bot: "b", action: "salesforce", user: "alice", kind: "token")
        let bob = TokenVault.Binding(bot: "b", action: "salesforce", user: "bob", kind: "token")
        let sealed = try vault.seal("secret", for: alice)
        #expect(try vault.openText(sealed, for: alice) == "secret")
        #expect(throws: VaultError.self) { try vault.open(sealed, for: bob) }
    }

    /// Forgetting a dead token removes it only while the vault still holds it, never the token that replaced it.
    @Test func forgettingADeadTokenKeepsItsReplacement() async throws {
        try await withStateDirectory { state in
            let store = try IntegrationStore(stateDirectory: state, bot: "b", environment: testEnvironment)
            let dead = Self.credentials(3)
            let replacement = Self.credentials(4)
            try store.saveAuthorization(
                StoredAuthorization(user: "", credentials: dead, username: nil, authorizedAt: Date()), action: "salesforce")
            try store.updateCredentials(replacement, action: "salesforce", user: "")
            #expect(try !store.removeAuthorization(action: "salesforce", user: "", ifAccessToken: dead.accessToken))
            #expect(try store.authorization(action: "salesforce", user: "")?.credentials == replacement)
            #expect(try store.removeAuthorization(action: "salesforce", user: "", ifAccessToken: replacement.accessToken))
            #expect(try store.authorization(action: "salesforce", user: "") == nil)
            #expect(try !store.removeAuthorization(action: "salesforce", user: "", ifAccessToken: replacement.accessToken))
        }
    }

    /// A user's standing is their token, else a token waiting for its code, else the conversation's live link: the
    /// first of them, read in one statement.
    @Test func standingIsTheFirstOfTokenCodeAndLiveLink() async throws {
        try await withStateDirectory { state in
            let store = try IntegrationStore(stateDirectory: state, bot: "b", environment: testEnvironment)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            func expectStanding(_ expected: AuthorizationStanding, at moment: Date = now) throws {
                #expect(try store.standing(action: "salesforce", user: "alice", conversation: "alice", now: moment) == expected)
            }
            try expectStanding(.unauthorized)
            let pending = PendingAuthorization(
                state: "state-1", bot: "b", action: "salesforce", user: "alice", conversation: "alice", verifier: "v",
                redirectURI: "http://127.0.0.1/callback", createdAt: now, expiresAt: now.addingTimeInterval(600))
            try await store.savePending(pending, link: (id: "link-1", authorizeURL: "https://login.example/authorize"))
            let live = LiveLink(
                id: "link-1", state: "state-1", authorizeURL: "https://login.example/authorize", expiresAt: pending.expiresAt)
            try expectStanding(.linkSent(live))
            try expectStanding(.unauthorized, at: now.addingTimeInterval(601))
            #expect(try store.standing(action: "salesforce", user: "alice", conversation: "other", now: now) == .unauthorized)
            try store.saveCodeConfirmation(
                CodeConfirmation(
                    user: "alice", conversation: "alice", code: "123456", credentials: Self.credentials(5), username: nil,
                    expiresAt: now.addingTimeInterval(300)),
                action: "salesforce")
            try expectStanding(.awaitingCode)
            try expectStanding(.linkSent(live), at: now.addingTimeInterval(301))
            let authorization = StoredAuthorization(
                user: "alice", credentials: Self.credentials(6), username: "demo@parley.dev", authorizedAt: now)
            try store.saveAuthorization(authorization, action: "salesforce")
            try expectStanding(.authorized(authorization))
        }
    }
}
