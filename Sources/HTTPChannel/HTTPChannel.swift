public import BotHost
public import DialogModel
import Foundation
import Hummingbird
import Integrations
import LocalServing
public import Logging
import ServiceLifecycle
import UnixSignals

/// `parley serve`: the bot, run by the host, behind an HTTP JSON API for many users at once, with the OAuth callback,
/// the authorization links, a web chat page, health checks and metrics on the same port.
///
/// The API is documented in `docs/openapi.yaml`. SIGTERM or SIGINT stops it gracefully: it stops accepting
/// connections, ends event streams and long-polls, lets turns in flight finish, and returns.
public enum HTTPChannel {
    /// What the operator chose on the command line.
    public struct Options: Sendable {
        /// The interface to listen on; the loopback one unless told otherwise.
        public var host: String
        /// The port; 0 picks a free one (the announcement says which).
        public var port: Int
        /// Who may use the API.
        public var callers: ChannelCallers
        /// The largest request body accepted; a larger one gets 413.
        public var maxBodyBytes: Int
        /// Turns a conversation may take a second, after a burst of `burst`; more get 429 with `Retry-After`.
        public var turnsPerSecond: Double
        public var burst: Int
        /// Where browsers reach this server (authorization links and the callback); `http://host:port` by default.
        public var publicURL: String?
        /// Where conversations, idempotency keys and the outbox are kept.
        public var store: Store

        public init(
            host: String = "127.0.0.1", port: Int = 8080, callers: ChannelCallers, maxBodyBytes: Int = 64 * 1024,
            turnsPerSecond: Double = 5, burst: Int = 10, publicURL: String? = nil, store: Store = .stateFolder
        ) {
            self.store = store
            self.host = host
            self.port = port
            self.callers = callers
            self.maxBodyBytes = maxBodyBytes
            self.turnsPerSecond = turnsPerSecond
            self.burst = burst
            self.publicURL = publicURL
        }
    }

    /// Where a server keeps conversations, idempotency keys and the outbox.
    public enum Store: Sendable, Hashable {
        /// The state folder's SQLite database: one process.
        case stateFolder
        /// A PostgreSQL database, which several processes serving the bot may share, tokens and authorization links
        /// included; the action's configuration is read from each process's state folder.
        case postgres(PostgresURL)
    }

    /// Where a started server listens, for the announcement.
    public struct Started: Sendable {
        /// `http://host:port`.
        public var baseURL: String
        public var botName: String
    }

    /// Serves the bot until SIGTERM or SIGINT, then stops gracefully and returns.
    ///
    /// - Parameters:
    ///   - announce: called once the server listens and the bot runs (ready), with where.
    ///   - notice: lines for the operator from outside any conversation (setup notes, a stray callback).
    /// - Throws: `LocalServerError` when the port cannot be listened on; what the host throws when the bot cannot run.
    public static func serve(
        _ bot: Bot, host: HostOptions, options: Options,
        logger: Logger = Logger(label: "parley.serve"),
        announce: @escaping @Sendable (Started) -> Void, notice: @escaping @Sendable (String) -> Void
    ) async throws {
        let botID = IntegrationStore.botID(forBotDirectory: host.botFolder)
        switch options.store {
        case .stateFolder:
            // Conversations, keys and the outbox go through one connection, the integration store's when the bot
            // has one, so the process's writes of the state database queue in the process rather than at the file lock.
            var host = host
            let conversations: SQLiteConversationStore
            if bot.usesIntegration(SalesforceAuthorizer.action) {
                let integrations = try host.integrationStore()
                host.openIntegrationStore = integrations
                conversations = try SQLiteConversationStore(sharing: integrations)
            } else {
                conversations = try SQLiteConversationStore(stateDirectory: host.stateFolder, bot: botID)
            }
            host.conversationStore = conversations
            let store = try SQLiteChannelStore(sharing: conversations)
            // Turns' commits then never wait for the log to be copied into the database file.
            try await conversations.withCheckpointsApart {
                try await serve(
                    bot, host: host, options: options, store: store, lock: LocalConversationLock(), logger: logger,
                    announce: announce, notice: notice)
            }
        case .postgres(let url):
            try await PostgresStoreDatabase.with(url, logger: logger) { database in
                let lock = PostgresConversationLock(database: database, bot: botID)
                var host = host
                host.conversationStore = PostgresConversationStore(database: database, bot: botID, lock: lock)
                // Only a bot with tokens to share needs the servers' vault keys to agree.
                if bot.usesIntegration(SalesforceAuthorizer.action) {
                    host.authorizationStore = try await PostgresAuthorizationStore.open(
                        database: database, bot: botID, vault: TokenVault(key: VaultKey.load(stateDirectory: host.stateFolder)))
                }
                try await serve(
                    bot, host: host, options: options, store: PostgresChannelStore(database: database, bot: botID), lock: lock,
                    logger: logger, announce: announce, notice: notice)
            }
        }
    }

    private static func serve(
        _ bot: Bot, host: HostOptions, options: Options, store: any ChannelStore, lock: any ConversationLock, logger: Logger,
        announce: @escaping @Sendable (Started) -> Void, notice: @escaping @Sendable (String) -> Void
    ) async throws {
        let server = ChannelServer(options: options, store: store, lock: lock, logger: logger)
        let handlers = OAuthCallbackServer.PendingHandlers()
        let (started, listening) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: server.router(callbacks: handlers.forwarding),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                listening.yield(channel.localAddress?.port ?? options.port)
                listening.finish()
            },
            logger: logger)
        // Services stop in the reverse order: first the watcher ends event streams and long-polls, then the server
        // stops accepting and waits for the requests in flight.
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: ShutdownWatcher(signal: server.signal), successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: OutboxWatcher(store: store, signal: server.signal), successTerminationBehavior: .ignore),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { listening.finish() }
                try await services.run()
            }
            var iterator = started.makeAsyncIterator()
            guard let port = await iterator.next() else {
                var detail = "the server stopped before it was listening"
                do { try await group.next() } catch { detail = "\(error)" }
                throw LocalServerError(what: "the HTTP channel", host: options.host, port: options.port, detail: detail)
            }
            let baseURL = options.publicURL ?? "http://\(options.host):\(port)"
            var hostOptions = host
            hostOptions.callbacks = .mounted(baseURL: baseURL, handlers: handlers)
            let metrics = server.metrics
            hostOptions.serviceCallObserver = { integration, outcome in metrics.serviceCall(integration, outcome) }
            do {
                try await BotHost.withRunningBot(bot, options: hostOptions) { running in
                    running.notices.attach { notice($0.text) }
                    await server.attach(running)
                    announce(Started(baseURL: "http://\(options.host):\(port)", botName: bot.settings.name))
                    // Until the server stops (a signal), or fails.
                    try await group.next()
                    await server.detach()
                }
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// Ends event streams and long-polls when graceful shutdown begins, so the server can finish.
private struct ShutdownWatcher: Service {
    let signal: OutboxSignal

    func run() async throws {
        // Cancelled instead of shut down gracefully: the streams end all the same.
        try? await gracefulShutdown()
        signal.shutDown()
    }
}

/// Wakes this server's long-polls and event streams when another process adds to their outbox.
private struct OutboxWatcher: Service {
    let store: any ChannelStore
    let signal: OutboxSignal

    func run() async throws {
        // Problems are the store's to log; it keeps listening until shutdown.
        try? await cancelWhenGracefulShutdown {
            try await store.watchOutboxes { conversation in
                if let conversation { signal.notify(conversation) } else { signal.notifyEveryone() }
            }
        }
    }
}
