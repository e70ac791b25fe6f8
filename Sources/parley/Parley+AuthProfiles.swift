import ArgumentParser
import Foundation
import Integrations

extension Parley {
    /// `parley auth-profiles`: OAuth v2 authorization profiles for actions that use a custom app.
    struct AuthProfiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auth-profiles",
            abstract: "Create, list, show and delete OAuth v2 authorization profiles (custom apps).",
            subcommands: [Create.self, List.self, Show.self, Delete.self])
    }
}

extension Parley.AuthProfiles {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an OAuth v2 authorization profile.",
            discussion: """
                The client secret is read from the environment variable named by --client-secret-env, so it never
                appears on the command line or in shell history; it is stored encrypted and never printed.
                Register the callback URL shown afterwards with your identity provider.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "The profile's name.") var name: String
        @Option(help: "The identity provider's name (e.g. Salesforce).") var idp: String
        @Option(help: "The OAuth client id (consumer key).") var clientID: String
        @Option(help: "The environment variable holding the client secret.") var clientSecretEnv: String
        @Option(help: "The authorization URL (https).") var authorizationURL: String
        @Option(help: "The token request URL (https).") var tokenURL: String
        @Option(help: "Space-separated scopes.") var scope = "api refresh_token"
        @Option(help: "The refresh token URL (default: the token URL).") var refreshURL: String?

        func run() async throws {
            guard let secret = ProcessInfo.processInfo.environment[clientSecretEnv], !secret.isEmpty else {
                throw ValidationError(
                    "--client-secret-env: the environment variable \(clientSecretEnv) is not set or empty; "
                        + "export it with the client secret first")
            }
            let profile = AuthProfile(
                name: name, identityProvider: idp, clientID: clientID, clientSecret: secret,
                authorizationURL: authorizationURL, tokenURL: tokenURL, scope: scope, refreshURL: refreshURL)
            do {
                try options.integrationStore().createProfile(profile)
            } catch let error as IntegrationInputError {
                throw ValidationError(error.description)
            }
            print("Created authorization profile '\(name)'.")
            print("Callback URL (register it with \(idp)): \(profile.callbackURL)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the authorization profiles.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let profiles = try options.integrationStore().profiles()
            if profiles.isEmpty {
                print("No authorization profiles. Create one with `parley auth-profiles create`.")
                return
            }
            for profile in profiles {
                print("\(profile.name)  (\(profile.identityProvider), client id \(profile.clientID))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a profile; the client secret is masked.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The profile's name.") var name: String

        func run() async throws {
            guard let profile = try options.integrationStore().profile(named: name) else {
                throw ValidationError("no authorization profile named '\(name)'")
            }
            print(
                """
                Name:                 \(profile.name)
                Identity provider:    \(profile.identityProvider)
                Callback URL:         \(profile.callbackURL) (read-only)
                Client ID:            \(profile.clientID)
                Client secret:        \(AuthProfile.maskedSecret)
                Authorization URL:    \(profile.authorizationURL)
                Token request URL:    \(profile.tokenURL)
                Refresh token URL:    \(profile.refreshURL ?? profile.tokenURL)
                Scope:                \(profile.scope)
                """)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a profile; refused while an action uses it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The profile's name.") var name: String

        func run() async throws {
            do {
                try options.integrationStore().deleteProfile(named: name)
            } catch let error as IntegrationInputError {
                throw ValidationError(error.description)
            }
            print("Deleted authorization profile '\(name)'.")
        }
    }
}
