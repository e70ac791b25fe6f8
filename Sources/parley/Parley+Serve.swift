import ArgumentParser
import BotHost
import DialogModel
import Foundation
import HTTPChannel

extension Parley {
    /// `parley serve`: the bot behind an HTTP JSON API, with a web chat page.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the bot over HTTP: a JSON API, events, a web chat page and metrics.",
            discussion: """
                Callers are read from \(ChannelCallers.environmentVariable) as name=secret[,name=secret...]; each \
                request carries Authorization: Bearer <secret> or an HMAC-SHA256 signature of its body. The API is \
                described in docs/openapi.yaml. SIGTERM or SIGINT stops the server gracefully.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The port to listen on; 0 picks a free one.")
        var port = 8080

        @Option(help: "The interface to listen on.")
        var host = "127.0.0.1"

        @Option(help: ArgumentHelp("Where browsers reach this server, for authorization links.", valueName: "url"))
        var publicURL: String?

        @Option(help: "Where the in-process Salesforce sandbox listens, when the bot uses it and the port is free.")
        var sandboxPort = BotHost.defaultSandboxPort

        @Option(help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "bytes"))
        var maxBody = 64 * 1024

        @Option(help: ArgumentHelp("Turns a conversation may take a second, after a burst.", valueName: "turns"))
        var rate = 5.0

        @Option(help: ArgumentHelp("Turns a conversation may take at once.", valueName: "turns"))
        var burst = 10

        @Option(
            help: ArgumentHelp(
                "Where conversations, idempotency keys, the outbox and tokens are kept: the state folder (the default), "
                    + "or a PostgreSQL database that several servers share.",
                valueName: "postgres://user[:password]@host[:port]/database"))
        var store: String?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
            guard (0...65535).contains(sandboxPort) else {
                throw ValidationError("--sandbox-port must be from 0 to 65535, not \(sandboxPort)")
            }
            guard maxBody >= 256 else { throw ValidationError("--max-body must be at least 256 bytes, not \(maxBody)") }
            guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be more than 0, not \(rate)") }
            guard burst >= 1 else { throw ValidationError("--burst must be at least 1, not \(burst)") }
            _ = try storeLocation()
            if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) || publicURL.hasSuffix("/") {
                throw ValidationError("--public-url must start with http:// or https:// and not end with '/', not '\(publicURL)'")
            }
        }

        /// `--store` read; the error never repeats the URL, which may hold a password.
        func storeLocation() throws -> HTTPChannel.Store {
            guard let store else { return .stateFolder }
            guard store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else {
                throw ValidationError("--store must be a postgres:// URL (without it, the state folder keeps everything)")
            }
            do {
                return .postgres(try PostgresURL(parsing: store))
            } catch {
                throw ValidationError("--store: \(error)")
            }
        }

        func run() async throws {
            let callers: ChannelCallers
            do {
                callers = try ChannelCallers(parsing: ProcessInfo.processInfo.environment[ChannelCallers.environmentVariable] ?? "")
            } catch {
                throw ValidationError(error.description)
            }
            let location = try storeLocation()
            let loaded = try loadBot(options.bot)
            var hostOptions = HostOptions(botFolder: options.bot, stateFolder: options.state)
            hostOptions.sandboxPort = sandboxPort
            try await HTTPChannel.serve(
                loaded.bot, host: hostOptions,
                options: HTTPChannel.Options(
                    host: host, port: port, callers: callers, maxBodyBytes: maxBody, turnsPerSecond: rate, burst: burst,
                    publicURL: publicURL, store: location),
                announce: { started in
                    if case .postgres(let url) = location {
                        print("Keeping conversations, idempotency keys, the outbox and tokens in \(url)")
                    }
                    let names = callers.names.joined(separator: ", ")
                    print("Serving \(started.botName) on \(started.baseURL) (web chat: \(started.baseURL)/chat) for callers: \(names)")
                },
                notice: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
            print("Stopped.")
        }
    }
}
