import Foundation
import Integrations
import SalesforceAPI
import Testing

@Suite("Authorization profiles and action configuration")
struct ProfileAndActionTests {
    static func profile(name: String = "my-org", secret: String = "profile-secret-3f9a") -> AuthProfile {
        AuthProfile(
            name: name, identityProvider: "Salesforce", clientID: "3MVG9-client", clientSecret: secret,
            authorizationURL: "https://login.salesforce.com/services/oauth2/authorize",
            tokenURL: "https://login.salesforce.com/services/oauth2/token", scope: "api refresh_token")
    }

    static func rejection(_ profile: AuthProfile) -> String? {
        do {
            try profile.validate()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Each invalid field is reported with the option that sets it.
    @Test func validationNamesTheField() {
        var missingIDP = Self.profile()
        missingIDP.identityProvider = " "
        #expect(Self.rejection(missingIDP) == "--idp: a value is required")

        var plainHTTP = Self.profile()
        plainHTTP.tokenURL = "http://login.salesforce.com/services/oauth2/token"
        #expect(
            Self.rejection(plainHTTP)?.hasPrefix("--token-url: 'http://login.salesforce.com/services/oauth2/token' must use https") == true)

        var loopback = Self.profile()
        loopback.authorizationURL = "http://127.0.0.1:8080/services/oauth2/authorize"
        #expect(Self.rejection(loopback) == nil)

        var relative = Self.profile()
        relative.refreshURL = "/token"
        #expect(Self.rejection(relative)?.hasPrefix("--refresh-url: '/token' is not an absolute URL") == true)

        var noScope = Self.profile()
        noScope.scope = ""
        #expect(Self.rejection(noScope)?.hasPrefix("--scope:") == true)

        var longSecret = Self.profile()
        longSecret.clientSecret = String(repeating: "x", count: 256)
        #expect(Self.rejection(longSecret) == "--client-secret-env: the client secret is longer than 255 characters")
    }

    /// Profiles are stored with the secret sealed, shown masked, unique by name, and kept while an action uses them.
    @Test func profileLifecycle() async throws {
        try await withStateDirectory { state in
            let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            try store.createProfile(Self.profile())
            #expect(throws: IntegrationInputError.self) { try store.createProfile(Self.profile(name: "MY-ORG")) }

            let loaded = try #require(try store.profile(named: "my-org"))
            #expect(loaded.clientSecret == "profile-secret-3f9a")
            #expect(!loaded.description.contains("profile-secret-3f9a"))
            #expect(loaded.callbackURL == "http://127.0.0.1:8974/oauth/callback")

            try store.enable(ActionConfiguration(action: "salesforce", authorization: .user, app: .custom, profile: "my-org"))
            #expect {
                try store.deleteProfile(named: "my-org")
            } throws: { error in
                "\(error)".contains("used by the salesforce action")
            }
            try store.disable("salesforce")
            try store.deleteProfile(named: "my-org")
            #expect(try store.profiles().isEmpty)

            let database = try Data(contentsOf: URL(fileURLWithPath: state + "/parley.sqlite"))
            #expect(database.range(of: Data("profile-secret-3f9a".utf8)) == nil)
        }
    }

    /// Enabling checks the combination of choices and that the profile exists.
    @Test func enableValidatesItsChoices() async throws {
        try await withStateDirectory { state in
            let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            #expect(try store.state(of: "salesforce") == .available)
            #expect(
                throws: IntegrationInputError(
                    field: "--profile", "no authorization profile named 'nope'; create it with `parley auth-profiles create`")
            ) {
                try store.enable(ActionConfiguration(action: "salesforce", authorization: .user, app: .custom, profile: "nope"))
            }
            #expect(throws: IntegrationInputError.self) {
                try store.enable(ActionConfiguration(action: "salesforce", authorization: .user, app: .custom))
            }
            #expect(throws: IntegrationInputError.self) {
                try store.enable(
                    ActionConfiguration(action: "salesforce", authorization: .user, app: .system, apiVersion: "sixty"))
            }
            #expect(throws: IntegrationInputError.self) {
                try store.enable(
                    ActionConfiguration(
                        action: "salesforce", authorization: .user, app: .system, loginURL: "http://login.salesforce.com"))
            }
            try store.enable(
                ActionConfiguration(
                    action: "salesforce", authorization: .preauthorized, app: .system,
                    loginURL: "https://login.salesforce.com", apiVersion: "62.0"))
            let configuration = try #require(try store.configuration(of: "salesforce"))
            #expect(configuration.loginURL == "https://login.salesforce.com")
            #expect(configuration.apiVersion == "62.0")
            #expect(try store.state(of: "salesforce") == .configured)
        }
    }

    /// The system app against a real org needs its client id and secret from the environment, and says so.
    @Test func systemAppForARealOrgNeedsEnvironmentVariables() async throws {
        try await withStateDirectory { state in
            let store = try IntegrationStore(stateDirectory: state, bot: "Dialogs", environment: testEnvironment)
            let configuration = ActionConfiguration(
                action: "salesforce", authorization: .preauthorized, app: .system, loginURL: "https://login.salesforce.com")
            #expect {
                _ = try SalesforceApp.resolve(configuration, store: store, environment: SalesforceEnvironment(variables: [:]))
            } throws: { error in
                "\(error)".contains("PARLEY_SALESFORCE_CLIENT_ID")
            }
            let app = try SalesforceApp.resolve(
                configuration, store: store,
                environment: SalesforceEnvironment(variables: [
                    "PARLEY_SALESFORCE_CLIENT_ID": "3MVG9", "PARLEY_SALESFORCE_CLIENT_SECRET": "s3cr3t",
                ]))
            #expect(app.endpoints.authorizationURL.absoluteString == "https://login.salesforce.com/services/oauth2/authorize")
            #expect(!app.description.contains("s3cr3t"))
        }
    }
}
