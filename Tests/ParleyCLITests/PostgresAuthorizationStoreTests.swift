import Foundation
import Integrations
import PostgresNIO
import SalesforceAPI
import Testing

@testable import HTTPChannel

/// Tokens, authorization links and code confirmations in PostgreSQL (`parley serve --store postgres://…`): the same
/// behaviour as the state folder's SQLite store, shared between processes, and never a secret in the clear.
@Suite struct PostgresAuthorizationStoreTests {
    typealias Kind = PostgresStoreTests.Kind

    static let action = "salesforce"
    static let credentials = SalesforceCredentials(
        accessToken: "00Dxx!access-token-0123456789", refreshToken: "5Aep-refresh-token-0123456789",
        instanceURL: "http://127.0.0.1:8975", identityURL: nil, issuedAt: nil)

    /// Runs `body` with an empty store of that kind, sealing with a fresh key.
    static func withStore(_ kind: Kind, _ body: (any AuthorizationStore) async throws -> Void) async throws {
        let bot = "bot-\(UUID().uuidString)"
        let vault = TokenVault(key: .ephemeral())
        switch kind {
        case .sqlite:
            let folder = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body(try IntegrationStore(path: folder.appendingPathComponent("parley.sqlite").path, bot: bot, vault: vault))
        case .postgres:
            try await PostgresTestDatabase.withFreshStores { database in
                try await body(try await PostgresAuthorizationStore.open(database: database, bot: bot, vault: vault))
            }
        }
    }

    static func pending(
        _ state: String, user: String = "eve", bot: String, at now: Date, lifetime: TimeInterval = 600
    ) -> PendingAuthorization {
        PendingAuthorization(
            state: state, bot: bot, action: action, user: user, conversation: user, verifier: "verifier-of-\(state)",
            redirectURI: "http://127.0.0.1:8080/oauth/callback", createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
    }

    /// A token is read back as saved, replaced by a refresh, and removed only while it still holds the dead access
    /// token; a new token of the bot's own clears the problem recorded for its last one.
    @Test(.needsPostgres, arguments: Kind.allCases) func tokens(_ kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await store.authorization(action: Self.action, user: "eve") == nil)
            let eve = StoredAuthorization(user: "eve", credentials: Self.credentials, username: "eve@example.com", authorizedAt: now)
            try await store.saveAuthorization(eve, action: Self.action)
            #expect(try await store.authorization(action: Self.action, user: "eve") == eve)
            #expect(try await store.authorization(action: Self.action, user: "adam") == nil)

            var refreshed = Self.credentials
            refreshed.accessToken = "00Dxx!refreshed-access-token"
            try await store.updateCredentials(refreshed, action: Self.action, user: "eve")
            #expect(try await store.authorization(action: Self.action, user: "eve")?.credentials == refreshed)
            #expect(try await store.authorization(action: Self.action, user: "eve")?.username == "eve@example.com")
            // A refresh for a token removed meanwhile puts nothing back.
            try await store.updateCredentials(refreshed, action: Self.action, user: "adam")
            #expect(try await store.authorization(action: Self.action, user: "adam") == nil)

            #expect(try await !store.removeAuthorization(action: Self.action, user: "eve", ifAccessToken: Self.credentials.accessToken))
            #expect(try await store.removeAuthorization(action: Self.action, user: "eve", ifAccessToken: refreshed.accessToken))
            #expect(try await store.authorization(action: Self.action, user: "eve") == nil)
            try await store.saveAuthorization(eve, action: Self.action)
            #expect(try await store.removeAuthorization(action: Self.action, user: "eve"))
            #expect(try await !store.removeAuthorization(action: Self.action, user: "eve"))

            #expect(try await store.problem(of: Self.action) == nil)
            try await store.recordProblem(action: Self.action, reason: "the refresh token was revoked", at: now)
            #expect(try await store.problem(of: Self.action) == ActionProblem(reason: "the refresh token was revoked", occurredAt: now))
            try await store.saveAuthorization(eve, action: Self.action)
            #expect(try await store.problem(of: Self.action) != nil, "an end user's token fixes nothing of the bot's")
            try await store.saveAuthorization(
                StoredAuthorization(user: "", credentials: Self.credentials, username: nil, authorizedAt: now), action: Self.action)
            #expect(try await store.problem(of: Self.action) == nil)
        }
    }

    /// A link lives until it is used or expires: its short link leads to the authorize URL, it is counted, and its state
    /// completes once; a second use, an unknown state and a late one are each told apart.
    @Test(.needsPostgres, arguments: Kind.allCases) func pendingAuthorizations(_ kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let pending = Self.pending("state-1", bot: store.bot, at: now)
            try await store.savePending(pending, link: (id: "link-1", authorizeURL: "http://127.0.0.1:8975/authorize?x=1"))
            let live = try #require(try await store.liveLink(action: Self.action, user: "eve", conversation: "eve", now: now))
            #expect(
                live
                    == LiveLink(
                        id: "link-1", state: "state-1", authorizeURL: "http://127.0.0.1:8975/authorize?x=1", expiresAt: pending.expiresAt))
            #expect(try await store.liveLink(action: Self.action, user: "adam", conversation: "adam", now: now) == nil)
            #expect(try await store.standing(action: Self.action, user: "eve", conversation: "eve", now: now) == .linkSent(live))
            #expect(try await store.standing(action: Self.action, user: "adam", conversation: "adam", now: now) == .unauthorized)
            #expect(try await store.authorizeURL(ofLink: "link-1", now: now) == "http://127.0.0.1:8975/authorize?x=1")
            #expect(try await store.authorizeURL(ofLink: "link-2", now: now) == nil)
            #expect(try await store.liveLinkCount(now: now) == 1)
            #expect(
                try await store.pendingStatus(state: "state-1")
                    == PendingLinkStatus(user: "eve", conversation: "eve", action: Self.action, expiresAt: pending.expiresAt, isUsed: false)
            )
            #expect(try await store.pendingStatus(state: "state-2") == nil)

            #expect(try await store.consumePending(state: "state-1", now: now) == pending)
            await #expect(throws: AuthorizationStateError.alreadyUsed) { try await store.consumePending(state: "state-1", now: now) }
            await #expect(throws: AuthorizationStateError.unknown) { try await store.consumePending(state: "state-2", now: now) }
            #expect(try await store.pendingStatus(state: "state-1")?.isUsed == true)
            #expect(try await store.liveLink(action: Self.action, user: "eve", conversation: "eve", now: now) == nil)
            #expect(try await store.standing(action: Self.action, user: "eve", conversation: "eve", now: now) == .unauthorized)
            #expect(try await store.authorizeURL(ofLink: "link-1", now: now) == nil)
            #expect(try await store.liveLinkCount(now: now) == 0)

            try await store.savePending(Self.pending("state-3", bot: store.bot, at: now, lifetime: 60), link: nil)
            let late = now.addingTimeInterval(61)
            #expect(try await store.liveLinkCount(now: now) == 1)
            #expect(try await store.liveLinkCount(now: late) == 0)
            await #expect(throws: AuthorizationStateError.expired) { try await store.consumePending(state: "state-3", now: late) }
        }
    }

    /// A token kept aside for its code is found while it lives and taken out once, code and tokens whole.
    @Test(.needsPostgres, arguments: Kind.allCases) func codeConfirmations(_ kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let confirmation = CodeConfirmation(
                user: "eve", conversation: "eve", code: "042917", credentials: Self.credentials, username: "eve@example.com",
                expiresAt: now.addingTimeInterval(600))
            #expect(try await !store.hasCodeConfirmation(action: Self.action, user: "eve", now: now))
            try await store.saveCodeConfirmation(confirmation, action: Self.action)
            #expect(try await store.hasCodeConfirmation(action: Self.action, user: "eve", now: now))
            #expect(try await store.standing(action: Self.action, user: "eve", conversation: "eve", now: now) == .awaitingCode)
            #expect(try await !store.hasCodeConfirmation(action: Self.action, user: "eve", now: now.addingTimeInterval(601)))
            #expect(try await !store.hasCodeConfirmation(action: Self.action, user: "adam", now: now))
            #expect(try await store.takeCodeConfirmation(action: Self.action, user: "eve") == confirmation)
            #expect(try await store.takeCodeConfirmation(action: Self.action, user: "eve") == nil)
        }
    }

    /// Settings that grant the same tokens keep them; a server started with settings that grant others (another org here)
    /// removes the tokens, links and codes kept under the old ones, and says so once.
    @Test(.needsPostgres) func otherSettingsDropTheSharedTokens() async throws {
        try await PostgresTestDatabase.withFreshStores { database in
            let store = try await PostgresAuthorizationStore.open(database: database, bot: "lead-bot", vault: TokenVault(key: .ephemeral()))
            let now = Date()
            let sandbox = ActionConfiguration(action: Self.action, authorization: .user, app: .system)
            #expect(try await !store.adopt(sandbox), "nothing was recorded before")
            try await store.saveAuthorization(
                StoredAuthorization(user: "eve", credentials: Self.credentials, username: nil, authorizedAt: now), action: Self.action)
            try await store.savePending(Self.pending("state-1", bot: "lead-bot", at: now), link: (id: "link-1", authorizeURL: "http://x"))
            try await store.saveCodeConfirmation(
                CodeConfirmation(
                    user: "adam", conversation: "adam", code: "123456", credentials: Self.credentials, username: nil,
                    expiresAt: now.addingTimeInterval(600)),
                action: Self.action)

            var newerVersion = sandbox
            newerVersion.apiVersion = "60.0"
            newerVersion.enabledAt = now.addingTimeInterval(60)
            #expect(try await !store.adopt(newerVersion))
            #expect(try await store.authorization(action: Self.action, user: "eve") != nil)

            let realOrg = ActionConfiguration(
                action: Self.action, authorization: .user, app: .system, loginURL: "https://login.salesforce.com")
            #expect(try await store.adopt(realOrg))
            #expect(try await store.authorization(action: Self.action, user: "eve") == nil)
            #expect(try await store.liveLinkCount(now: now) == 0)
            #expect(try await !store.hasCodeConfirmation(action: Self.action, user: "adam", now: now))
            #expect(try await !store.adopt(realOrg))
        }
    }

    /// Two processes with the same key share tokens and links: a link is completed by one of them only, however many try
    /// at once. Nothing secret is in the database in the clear, and a process with another key is refused at once.
    @Test(.needsPostgres) func sharedBetweenProcessesSealedAndKeyChecked() async throws {
        try await PostgresStoreTests.withTwoProcesses { one, two, logger in
            let vault = TokenVault(key: .ephemeral())
            let first = try await PostgresAuthorizationStore.open(database: one, bot: "lead-bot", vault: vault)
            let second = try await PostgresAuthorizationStore.open(database: two, bot: "lead-bot", vault: vault)
            let now = Date()
            let pending = Self.pending("shared-state", bot: "lead-bot", at: now)
            try await first.savePending(pending, link: (id: "shared-link", authorizeURL: "http://127.0.0.1:8975/authorize"))
            #expect(try await second.authorizeURL(ofLink: "shared-link", now: now) == "http://127.0.0.1:8975/authorize")
            let winners = try await withThrowingTaskGroup(of: Bool.self, returning: Int.self) { group in
                for store in [first, second, first, second] {
                    group.addTask {
                        do {
                            _ = try await store.consumePending(state: "shared-state", now: now)
                            return true
                        } catch AuthorizationStateError.alreadyUsed {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)

            try await second.saveAuthorization(
                StoredAuthorization(user: "eve", credentials: Self.credentials, username: nil, authorizedAt: now), action: Self.action)
            #expect(try await first.authorization(action: Self.action, user: "eve")?.credentials == Self.credentials)
            try await first.saveCodeConfirmation(
                CodeConfirmation(
                    user: "adam", conversation: "adam", code: "731864", credentials: Self.credentials, username: nil,
                    expiresAt: now.addingTimeInterval(600)),
                action: Self.action)
            #expect(try await second.takeCodeConfirmation(action: Self.action, user: "adam")?.code == "731864")
            try await first.saveCodeConfirmation(
                CodeConfirmation(
                    user: "adam", conversation: "adam", code: "731864", credentials: Self.credentials, username: nil,
                    expiresAt: now.addingTimeInterval(600)),
                action: Self.action)

            // Every table's rows as text, bytes included: no token, verifier or code shows.
            var dump = ""
            for table in ["parley_token", "parley_pending_authorization", "parley_code_confirmation", "parley_vault_check"] {
                let rows = try await one.queries.query(
                    PostgresQuery(unsafeSQL: "SELECT t::text, encode(convert_to(t::text, 'UTF8'), 'escape') FROM \(table) t"),
                    logger: logger)
                for try await (text, escaped) in rows.decode((String, String).self) { dump += text + escaped + "\n" }
            }
            #expect(dump.contains("shared-state"), "the dump has the rows")
            for secret in [Self.credentials.accessToken, Self.credentials.refreshToken!, pending.verifier, "731864"] {
                #expect(!dump.contains(secret))
                #expect(!dump.contains(Data(secret.utf8).map { String(format: "%02x", $0) }.joined()))
            }

            let error = await #expect(throws: PostgresStoreError.self) {
                try await PostgresAuthorizationStore.open(database: two, bot: "lead-bot", vault: TokenVault(key: .ephemeral()))
            }
            #expect(error?.description.contains("sealed with another vault key") == true, "\(String(describing: error))")
            #expect(error?.description.contains("PARLEY_VAULT_KEY") == true)
            // Another bot in the same database has a key of its own.
            _ = try await PostgresAuthorizationStore.open(database: two, bot: "other-bot", vault: TokenVault(key: .ephemeral()))
        }
    }
}
