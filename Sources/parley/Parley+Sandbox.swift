import ArgumentParser
import BotHost
import Foundation
import Integrations
import Logging
import SalesforceSandbox

extension Parley {
    /// `parley sandbox`: runs the local Salesforce on its own, and manages its connected apps.
    struct Sandbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sandbox",
            abstract: "Run the local Salesforce sandbox (OAuth 2.0 server and REST API) until Ctrl-C.",
            subcommands: [Apps.self])

        @OptionGroup var storage: SandboxStorageOptions

        // `parley chat` prefers the same port for its in-process sandbox.
        @Option(help: "The port to listen on (0 picks a free one).")
        var port: Int = BotHost.defaultSandboxPort

        @Flag(help: "Erase the sandbox's records, apps and tokens, then seed the demo data again.")
        var reset = false

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        }

        func run() async throws {
            var configuration = SandboxConfiguration(port: port, dataPath: try storage.preparedDataPath(), reset: reset)
            configuration.host = "127.0.0.1"
            var logger = Logger(label: "parley.sandbox")
            logger.logLevel = .notice
            let sandbox = try SalesforceSandbox.Sandbox(configuration: configuration, logger: logger)
            let dataPath = storage.dataPath
            try await sandbox.run { baseURL in
                // Written straight to the file descriptor: print() holds text back when output is a file or pipe.
                FileHandle.standardOutput.write(
                    Data(
                        """
                        Parley sandbox (a local Salesforce) listening on \(baseURL)
                        Login URL and instance URL: \(baseURL)
                        Data: \(dataPath)
                        Logins: demo@parley.dev / parley-demo (sales rep), admin@parley.dev / parley-admin (administrator)
                        System app client id: parley-system (its secret: parley sandbox apps list)
                        Press Ctrl-C to stop.

                        """.utf8))
            }
        }
    }
}

/// Where the sandbox keeps its data: `--data FILE`, or `sandbox.sqlite` in the `--state` folder.
struct SandboxStorageOptions: ParsableArguments {
    @Option(help: "The bot's state folder.")
    var state: String = ".parley"

    @Option(name: .customLong("data"), help: "The sandbox's SQLite file (default: <state>/sandbox.sqlite).")
    var data: String?

    var dataPath: String {
        data ?? URL(fileURLWithPath: state).appendingPathComponent("sandbox.sqlite").path
    }

    func validate() throws {
        guard !state.isEmpty else { throw ValidationError("--state needs a folder; it is empty") }
        if let data {
            guard !data.isEmpty else { throw ValidationError("--data needs a file name; it is empty") }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("--data: '\(data)' is a folder; name the sandbox's SQLite file")
            }
        }
    }

    /// The data file, made private (0600, in a 0700 folder when Parley creates it) before the sandbox opens it.
    func preparedDataPath() throws -> String {
        try StateFolder.makePrivate(file: dataPath)
        return dataPath
    }
}

extension Parley.Sandbox {
    /// `parley sandbox apps`: the sandbox's connected apps.
    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apps", abstract: "List or add the sandbox's connected apps.", subcommands: [List.self, Add.self])
    }
}

extension Parley.Sandbox.Apps {
    /// `parley sandbox apps list`: client ids, names, callbacks, and the system app's secret.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List connected apps: client id, name and callback URLs, and the system app's secret.")

        @OptionGroup var storage: SandboxStorageOptions

        func run() async throws {
            let sandbox = try SalesforceSandbox.Sandbox(configuration: SandboxConfiguration(dataPath: try storage.preparedDataPath()))
            for app in try sandbox.apps() {
                print("client_id: \(app.clientID)")
                print("name: \(app.name)\(app.isSystem ? " (system app)" : "")")
                // The system app's secret is a demo secret of this local sandbox, shown only by this explicit command.
                if app.isSystem { print("client_secret: \(app.clientSecret)") }
                for url in app.callbackURLs { print("callback: \(url)") }
                print("scopes: \(app.scopes.joined(separator: " "))")
                print("")
            }
        }
    }

    /// `parley sandbox apps add`: registers an app and prints its client id and secret once.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a connected app and print its client id and secret.")

        @OptionGroup var storage: SandboxStorageOptions

        @Option(help: "The app's name, shown on the consent page.")
        var name: String

        @Option(name: .customLong("callback"), help: "A callback URL, matched exactly; repeat for more.")
        var callbacks: [String] = []

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name must not be empty") }
            guard !callbacks.isEmpty else { throw ValidationError("give at least one --callback URL") }
        }

        func run() async throws {
            let sandbox = try SalesforceSandbox.Sandbox(configuration: SandboxConfiguration(dataPath: try storage.preparedDataPath()))
            do {
                let app = try sandbox.registerApp(name: name, callbackURLs: callbacks)
                print("client_id: \(app.clientID)")
                print("client_secret: \(app.clientSecret)")
            } catch let error as SandboxError {
                throw ValidationError(error.description)
            }
        }
    }
}
