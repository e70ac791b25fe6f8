import Foundation
import Testing

@Suite struct CommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `parley lint` reports every problem as file:line:col with suggestions, and exits 1 on errors.
    @Test func lintReportsEveryProblem() async throws {
        let result = try await runParley(["lint", "BadBot"], in: Self.fixtures)
        #expect(result.status == 1)
        #expect(try matchesSnapshot(result.output, named: "lint-badbot.txt"), "output was:\n\(result.output)")
    }

    /// A clean bot lints without problems and exits 0.
    @Test func lintPassesTheShippedBots() async throws {
        for bot in ["Dialogs", "Examples/orders"] {
            let result = try await runParley(["lint", bot], in: Build.packageRoot)
            #expect(result.status == 0, "\(bot): \(result.output)")
            #expect(result.output == "\(bot): no problems found\n")
        }
    }

    /// A bot with errors does not start a chat, and says why.
    @Test func chatRefusesABrokenBot() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try await runParley(["chat", "--bot", "BadBot", "--state", state.path], in: Self.fixtures)
        #expect(result.status == 1)
        #expect(result.output.contains("BadBot/lead.yaml:7:47: error: unknown entity 'lastNme'; did you mean 'lastName'?"))
        #expect(
            result.output.hasSuffix(
                "The bot in BadBot has 8 errors and cannot start; fix them and try again (parley lint BadBot checks without starting).\n"))
    }

    /// The actions and auth-profiles commands configure the Salesforce action, never printing a secret.
    @Test func actionsAndProfiles() async throws {
        let state = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let secret = "s3cr3t-\(UUID().uuidString)"
        let common = ["--state", state.path, "--bot", Build.packageRoot.appendingPathComponent("Dialogs").path]
        let environment = ["PARLEY_TEST_SECRET": secret]

        let before = try await runParley(["actions", "list"] + common)
        #expect(before.status == 0)
        #expect(before.output.contains("Available"))

        let created = try await runParley(
            [
                "auth-profiles", "create", "--name", "my-org", "--idp", "Salesforce", "--client-id", "3MVG9-client",
                "--client-secret-env", "PARLEY_TEST_SECRET",
                "--authorization-url", "https://login.salesforce.com/services/oauth2/authorize",
                "--token-url", "https://login.salesforce.com/services/oauth2/token", "--scope", "api refresh_token",
            ] + common,
            environment: environment)
        #expect(created.status == 0, "\(created.output)")
        let shown = try await runParley(["auth-profiles", "show", "my-org"] + common)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("3MVG9-client"))
        #expect(shown.output.contains("http://127.0.0.1:8974/oauth/callback"))

        let badURL = try await runParley(
            [
                "auth-profiles", "create", "--name", "bad", "--idp", "X", "--client-id", "id", "--client-secret-env", "PARLEY_TEST_SECRET",
                "--authorization-url", "ftp://example.com", "--token-url", "https://example.com/token", "--scope", "api",
            ] + common,
            environment: environment)
        #expect(badURL.status != 0)
        #expect(badURL.output.contains("authorization-url"))

        let enabled = try await runParley(
            ["actions", "enable", "salesforce", "--authorization", "user", "--app", "custom", "--profile", "my-org"] + common)
        #expect(enabled.status == 0, "\(enabled.output)")
        let show = try await runParley(["actions", "show", "salesforce"] + common)
        #expect(show.output.contains("Configured"))
        #expect(show.output.contains("my-org"))
        let refused = try await runParley(["auth-profiles", "delete", "my-org"] + common)
        #expect(refused.status != 0)

        let everything = [before, created, shown, badURL, enabled, show, refused].map(\.output).joined()
        #expect(!everything.contains(secret))
        let database = try Data(contentsOf: state.appendingPathComponent("parley.sqlite"))
        #expect(database.range(of: Data(secret.utf8)) == nil)
    }
}
