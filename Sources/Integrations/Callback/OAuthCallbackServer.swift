public import Foundation
public import Hummingbird
import LocalServing
public import Logging
import NIOCore
import Synchronization

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
                destination: { link in try? await authorizer.destination(ofLink: link) },
                onOutcome: onOutcome)
        }
    }

    /// Handlers given after the server is listening: what answers callbacks (an authorizer) needs the callback URL,
    /// which is known only once the server has its port. Until they are given, callbacks and links are refused.
    public final class PendingHandlers: Sendable {
        private let current = Mutex<Handlers?>(nil)

        public init() {}

        public func set(_ handlers: Handlers) {
            current.withLock { $0 = handlers }
        }

        /// Handlers that pass everything on to the ones set.
        public var forwarding: Handlers {
            Handlers(
                answer: { [self] query in
                    guard let handlers = value else {
                        return CallbackResult(
                            outcome: .rejected("Parley was still starting"), status: 503,
                            page: CallbackPage.failed("Parley is still starting; open the link again in a moment."))
                    }
                    return await handlers.answer(query)
                },
                destination: { [self] link in await value?.destination(link) },
                onOutcome: { [self] outcome in await value?.onOutcome(outcome) })
        }

        private var value: Handlers? { current.withLock { $0 } }
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
    /// - Parameters:
    ///   - port: 0 picks a free port (see `Running.port`).
    ///   - anyPortIfTaken: listens on any free port when `port` is taken, instead of failing.
    /// - Throws: `LocalServerError` when the server cannot listen.
    public static func withCallbackServer<T>(
        host: String = "127.0.0.1", port: Int = defaultPort, anyPortIfTaken: Bool = false, handlers: Handlers,
        logger: Logger = Logger(label: "parley.oauth-callback", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (Running) async throws -> T
    ) async throws -> T {
        try await LocalServer.serving(
            what: "OAuth callbacks", host: host, port: anyPortIfTaken ? .preferably(port) : .exactly(port),
            makeApplication: { port, onRunning in
                Application(
                    router: makeRouter(handlers: handlers, logger: logger),
                    configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
            },
            whileServing: { bound in try await body(Running(host: host, port: bound)) })
    }

    static func makeRouter(handlers: Handlers, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        addRoutes(to: router, handlers: handlers)
        return router
    }

    /// Adds the callback (`GET /oauth/callback`) and the short links (`GET /a/<id>`) to another server's router, for
    /// a channel that serves them on its own port.
    public static func addRoutes<Context: RequestContext>(to router: Router<Context>, handlers: Handlers) {
        router.get(RouterPath(path)) { request, _ -> Response in
            let query = request.uri.queryParameters
            let result = await handlers.answer(
                CallbackQuery(
                    state: query["state"].map(String.init), code: query["code"].map(String.init),
                    error: query["error"].map(String.init), errorDescription: query["error_description"].map(String.init)))
            // The outcome is reported once the page is written: `parley actions authorize` ends on it, and a
            // server stopped before the page went out leaves the browser with "connection refused".
            let page = ByteBuffer(string: result.page)
            let body = ResponseBody(contentLength: page.readableBytes) { writer in
                do {
                    try await writer.write(page)
                    try await writer.finish(nil)
                } catch {
                    // The browser went away; what happened is reported all the same.
                    await handlers.onOutcome(result.outcome)
                    throw error
                }
                await handlers.onOutcome(result.outcome)
            }
            return Response(
                status: HTTPResponse.Status(code: result.status),
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: body)
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
    }

    private static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
