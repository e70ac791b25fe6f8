public import Foundation
import Hummingbird
public import Logging
import NIOCore

/// The loopback HTTP server of end-user authorization: short links (`GET /a/<id>`) that redirect to the identity
/// provider, and the callback the browser returns to (`GET /oauth/callback?code&state`).
///
/// What a callback does is the authorizer's (``SalesforceAuthorizer/answer(_:)``); the server only turns HTTP
/// into a ``CallbackQuery`` and the result into a page, and reports the outcome.
public enum OAuthCallbackServer {
    /// The port Parley listens on unless told otherwise; the sandbox's system app is registered for it.
    public static let defaultPort = 8974
    public static let path = "/oauth/callback"
    /// Where short links live: `/a/<id>`.
    public static let linkPath = "/a/"

    /// What the server does with a short link and a callback.
    public struct Handlers: Sendable {
        /// Answers a callback: what happened, and the page to show.
        public var answer: @Sendable (CallbackQuery) async -> CallbackResult
        /// Where a short link leads now, or `nil` when it is unknown, used or expired.
        public var destination: @Sendable (_ link: String) async -> URL?
        /// Called after each callback with its outcome.
        public var onOutcome: @Sendable (CallbackOutcome) async -> Void

        public init(
            answer: @escaping @Sendable (CallbackQuery) async -> CallbackResult,
            destination: @escaping @Sendable (String) async -> URL? = { _ in nil },
            onOutcome: @escaping @Sendable (CallbackOutcome) async -> Void = { _ in }
        ) {
            self.answer = answer
            self.destination = destination
            self.onOutcome = onOutcome
        }

        /// Handlers that answer through a Salesforce authorizer.
        public static func salesforce(
            _ authorizer: SalesforceAuthorizer, onOutcome: @escaping @Sendable (CallbackOutcome) async -> Void = { _ in }
        ) -> Handlers {
            Handlers(
                answer: { query in await authorizer.answer(query) },
                destination: { link in try? authorizer.destination(ofLink: link) },
                onOutcome: onOutcome)
        }
    }

    /// A running callback server.
    public struct Running: Sendable {
        public var host: String
        public var port: Int
        /// `http://<host>:<port>/oauth/callback`, the redirect URI to register.
        public var callbackURL: String { "http://\(host):\(port)\(OAuthCallbackServer.path)" }
    }

    /// Serves callbacks on the loopback interface while `body` runs, and stops on success and on error.
    ///
    /// - Parameter port: 0 picks a free port (see `Running.port`).
    /// - Throws: `CallbackServerError` when the port cannot be bound.
    public static func withCallbackServer<T>(
        host: String = "127.0.0.1", port: Int = defaultPort, handlers: Handlers,
        logger: Logger = Logger(label: "parley.oauth-callback", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (Running) async throws -> T
    ) async throws -> T {
        let (started, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: makeRouter(handlers: handlers, logger: logger),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await application.run()
            }
            var iterator = started.makeAsyncIterator()
            guard let bound = await iterator.next() else {
                let failure: String
                do {
                    try await group.next()
                    failure = "the server stopped before it started"
                } catch {
                    failure = "\(error)"
                }
                throw CallbackServerError(host: host, port: port, detail: failure)
            }
            do {
                let result = try await body(Running(host: host, port: bound))
                group.cancelAll()
                try? await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    static func makeRouter(handlers: Handlers, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get(RouterPath(path)) { request, _ -> Response in
            let query = request.uri.queryParameters
            let result = await handlers.answer(
                CallbackQuery(
                    state: query["state"].map(String.init), code: query["code"].map(String.init),
                    error: query["error"].map(String.init), errorDescription: query["error_description"].map(String.init)))
            await handlers.onOutcome(result.outcome)
            return html(result.page, status: HTTPResponse.Status(code: result.status))
        }
        router.get(RouterPath(linkPath + ":link")) { _, context -> Response in
            guard let link = context.parameters.get("link"), let destination = await handlers.destination(link) else {
                return html(
                    CallbackPage.failed(
                        "This authorization link is not known, was already used or has expired. Ask the bot for a new one."),
                    status: .notFound)
            }
            return Response(
                status: .found, headers: [.location: destination.absoluteString, .cacheControl: "no-store"],
                body: ResponseBody())
        }
        return router
    }

    private static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The callback server could not listen.
public struct CallbackServerError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var detail: String

    public var description: String {
        "cannot listen for OAuth callbacks on \(host):\(port) (\(detail)); is another Parley running? Choose another port"
    }
}
