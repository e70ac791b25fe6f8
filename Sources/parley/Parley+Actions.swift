import ArgumentParser
import BotHost
import Foundation
import Integrations
import SalesforceAPI

extension Parley {
    /// `parley actions`: the actions a bot can use, and how each is authorized.
    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "actions",
            abstract: "List, enable, disable and authorize actions (Salesforce CRM).",
            subcommands: [List.self, Show.self, Enable.self, Disable.self, Authorize.self, SignOut.self])
    }
}

extension GlobalOptions {
    /// The bot's integration store in the state folder.
    func integrationStore() throws -> IntegrationStore {
        try host.integrationStore()
    }

    /// The bot and state folders as the host takes them.
    var host: HostOptions { HostOptions(botFolder: bot, stateFolder: state) }
}

/// The action named on the command line, or a usage error listing the known ones.
private func catalogAction(_ name: String) throws -> ActionDescriptor {
    do {
        return try ActionCatalog.action(named: name)
    } catch let error as IntegrationInputError {
        throw ValidationError(error.description)
    }
}

extension Parley.Actions {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each action and its state (Available or Configured).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let store = try options.integrationStore()
            for action in ActionCatalog.all {
                let state = try store.state(of: action.name)
                print(
                    "\(action.name.padding(toLength: 12, withPad: " ", startingAt: 0))"
                        + "\(action.displayName.padding(toLength: 16, withPad: " ", startingAt: 0))\(state)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how an action is configured and who authorized it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The action's name (salesforce).") var action: String

        func run() async throws {
            let descriptor = try catalogAction(action)
            let store = try options.integrationStore()
            guard let configuration = try store.configuration(of: descriptor.name) else {
                print("\(descriptor.displayName) (\(descriptor.name)): Available")
                print("Enable it with: parley actions enable \(descriptor.name) --authorization preauthorized|user --app system|custom")
                return
            }
            var lines = [
                "\(descriptor.displayName) (\(descriptor.name)): Configured",
                "  Authorization:  \(configuration.authorization)",
                "  App:            "
                    + (configuration.app == .system
                        ? "system (\(SalesforceApp.systemClientID))" : "custom (profile \(configuration.profile ?? "?"))"),
                "  Login URL:      \(configuration.loginURL ?? "the local sandbox (started in-process)")",
                "  API version:    \(configuration.apiVersion)",
                "  Enabled:        \(Self.format(configuration.enabledAt))",
            ]
            if let bots = try store.authorization(action: descriptor.name, user: "") {
                lines.append(
                    "  Authorized by:  \(bots.username ?? "unknown user") on \(Self.format(bots.authorizedAt))"
                        + " (\(bots.credentials.instanceURL))")
            } else if configuration.authorization == .preauthorized {
                lines.append("  Authorized by:  nobody yet; run `parley actions authorize \(descriptor.name)`")
            }
            if configuration.authorization == .preauthorized, let problem = try store.problem(of: descriptor.name) {
                lines.append(
                    "  Problem:        since \(Self.format(problem.occurredAt)), \(problem.reason); "
                        + "users are told the connection needs attention until you run `parley actions authorize \(descriptor.name)`")
            }
            if configuration.authorization == .user {
                lines.append("  Users connected: \(try store.authorizedUserCount(action: descriptor.name))")
            }
            print(lines.joined(separator: "\n"))
        }

        static func format(_ date: Date) -> String {
            date.formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable an action and choose how it is authorized.",
            discussion: """
                Pre-authorized: the bot uses its own token, which you authorize once with `parley actions authorize`.
                User: each end user authorizes through a link the bot sends the first time a task needs the action.
                The system app works against the local sandbox with no setup; for a real org set
                PARLEY_SALESFORCE_CLIENT_ID and PARLEY_SALESFORCE_CLIENT_SECRET, or use --app custom with a profile.
                """)

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The action's name (salesforce).") var action: String
        @Option(help: "preauthorized (the bot's own token) or user (each end user's).") var authorization: String
        @Option(help: "system (Parley's app) or custom (an authorization profile).") var app: String
        @Option(help: "The authorization profile to use with --app custom.") var profile: String?
        @Option(help: "Salesforce's login URL, e.g. https://login.salesforce.com or a My Domain (default: the local sandbox).")
        var loginURL: String?
        @Option(help: "The REST API version.") var apiVersion = ActionConfiguration.defaultAPIVersion

        func run() async throws {
            let descriptor = try catalogAction(action)
            guard let mode = AuthorizationMode(rawValue: authorization.lowercased()) else {
                throw ValidationError("--authorization must be preauthorized or user, not '\(authorization)'")
            }
            guard let choice = AppChoice(rawValue: app.lowercased()) else {
                throw ValidationError("--app must be system or custom, not '\(app)'")
            }
            let configuration = ActionConfiguration(
                action: descriptor.name, authorization: mode, app: choice, profile: profile, loginURL: loginURL,
                apiVersion: apiVersion)
            let store = try options.integrationStore()
            do {
                try store.enable(configuration)
            } catch let error as IntegrationInputError {
                throw ValidationError(error.description)
            }
            print("\(descriptor.displayName) is Configured: \(mode), \(choice) app.")
            switch mode {
            case .preauthorized:
                print("Next: parley actions authorize \(descriptor.name)")
            case .user:
                print("End users get an authorization link the first time a task needs \(descriptor.displayName).")
            }
            if descriptor == ActionCatalog.salesforce {
                // The platform's "Integration Successful → Explore Templates".
                let missing = SalesforceTemplates.all.filter { TemplateInstaller.presence(of: $0, in: options.bot) == .absent }
                if missing.isEmpty {
                    print("The bot in \(options.bot) has every \(descriptor.displayName) template.")
                } else {
                    print("Templates you can install into \(options.bot): \(missing.map(\.name).joined(separator: ", ")).")
                    print("Install them with: parley templates install \(descriptor.name) [NAME...] --bot \(options.bot)")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an action; its tokens are removed, so enabling it again requires authorizing again.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The action's name (salesforce).") var action: String

        func run() async throws {
            let descriptor = try catalogAction(action)
            let store = try options.integrationStore()
            if try store.disable(descriptor.name) {
                print("\(descriptor.displayName) is Available again; its tokens were removed.")
            } else {
                print("\(descriptor.displayName) was not enabled.")
            }
        }
    }

    struct Authorize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Authorize the bot's own token (pre-authorized mode) through a browser.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The action's name (salesforce).") var action: String
        @Option(help: "The loopback port the OAuth callback server listens on.") var port = OAuthCallbackServer.defaultPort
        @Option(help: "Seconds to wait for the browser to come back.") var timeout = 300
        @Flag(help: "Only print the URL; do not try to open a browser.") var noBrowser = false

        func validate() throws {
            guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
            guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
        }

        func run() async throws {
            let descriptor = try catalogAction(action)
            let store = try options.integrationStore()
            guard let configuration = try store.configuration(of: descriptor.name) else {
                throw ValidationError(
                    "\(descriptor.displayName) is not enabled; run `parley actions enable \(descriptor.name) --authorization preauthorized --app system` first"
                )
            }
            guard configuration.authorization == .preauthorized else {
                throw ValidationError(
                    "\(descriptor.displayName) is set up for end users to authorize themselves; to use the bot's own token, "
                        + "enable it with --authorization preauthorized")
            }
            do {
                let completed = try await BotHost.authorizeBot(
                    options: options.host, store: store, configuration: configuration, port: port, timeout: .seconds(timeout),
                    openBrowser: !noBrowser
                ) { prompt in
                    print("Open this URL in a browser to authorize \(descriptor.displayName):")
                    print("  \(prompt.url.absoluteString)")
                    print("Waiting for the browser to come back to \(prompt.callbackURL) (up to \(timeout) s)...")
                }
                print("Connected to Salesforce as \(completed.username ?? "an unknown user") (\(completed.instanceURL))")
            } catch let error as IntegrationInputError {
                throw ValidationError(error.description)
            }
        }
    }

    struct SignOut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-out", abstract: "Revoke the bot's own token and remove it from the vault.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The action's name (salesforce).") var action: String

        func run() async throws {
            let descriptor = try catalogAction(action)
            let store = try options.integrationStore()
            guard let configuration = try store.configuration(of: descriptor.name) else {
                throw ValidationError("\(descriptor.displayName) is not enabled")
            }
            let signedOut = try await BotHost.signOutBot(options: options.host, store: store, configuration: configuration)
            print(signedOut ? "Signed out: the bot's Salesforce token was revoked and removed." : "The bot was not signed in.")
        }
    }
}
