import Foundation
import Hummingbird
public import Logging
import NIOCore

/// The loopback HTTP server the browser returns to after authorizing: `GET /oauth/callback?code&state`.
///
/// It checks the `state` (unknown, used or expired links get a page saying so), exchanges the code with the
/// PKCE verifier, stores the token, answers "You're connected as <username>. You can close this window.",
/// and reports the completion so the runtime can resume the paused task.
public enum OAuthCallbackServer {
    /// The port Parley listens on unless told otherwise; the sandbox's system app is registered for it.
    public static let defaultPort = 8974
    public static let path = "/oauth/callback"

    /// What the server does with a callback.
    public struct Handlers: Sendable {
        /// Completes an authorization from `state` and `code`.
        public var complete: @Sendable (_ state: String, _ code: String) async throws -> CompletedAuthorization
        /// Marks a `state` used after the person refused access, so the link cannot be replayed.
        ///
        /// An unknown, used or expired state (`AuthorizationStateError`) needs nothing more; other errors are
        /// reported through `onFailure`.
        public var refuse: @Sendable (_ state: String) async throws -> Void
        /// Called after a token was stored.
        public var onCompletion: @Sendable (CompletedAuthorization) async -> Void
        /// Called when a callback did not end in a stored token; the text says why.
        public var onFailure: @Sendable (String) async -> Void

        public init(
            complete: @escaping @Sendable (String, String) async throws -> CompletedAuthorization,
            refuse: @escaping @Sendable (String) async throws -> Void = { _ in },
            onCompletion: @escaping @Sendable (CompletedAuthorization) async -> Void = { _ in },
            onFailure: @escaping @Sendable (String) async -> Void = { _ in }
        ) {
            self.complete = complete
            self.refuse = refuse
            self.onCompletion = onCompletion
            self.onFailure = onFailure
        }

        /// Handlers that complete through a Salesforce authorizer.
        public static func salesforce(
            _ authorizer: SalesforceAuthorizer,
            onCompletion: @escaping @Sendable (CompletedAuthorization) async -> Void = { _ in },
            onFailure: @escaping @Sendable (String) async -> Void = { _ in }
        ) -> Handlers {
            Handlers(
                complete: { state, code in try await authorizer.complete(state: state, code: code) },
                refuse: { state in _ = try authorizer.store.consumePending(state: state) },
                onCompletion: onCompletion, onFailure: onFailure)
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
            let state = query["state"].map(String.init)
            if let error = query["error"].map(String.init) {
                let description = query["error_description"].map(String.init)
                var reason =
                    error == "access_denied" || error == "access-denied"
                    ? "Access was not allowed, so Parley is not connected. Ask the bot for a new link to try again."
                    : "The authorization server answered \(error)" + (description.map { ": \($0)" } ?? "") + "."
                if let state {
                    do {
                        try await handlers.refuse(state)
                    } catch is AuthorizationStateError {
                        // Nothing to mark: the link was unknown, already used or expired.
                    } catch {
                        logger.notice("OAuth callback could not mark a refused link used", metadata: ["error": "\(error)"])
                        reason += " Parley could not record that this link was refused (\(error))."
                    }
                }
                await handlers.onFailure(reason)
                return html(CallbackPage.failed(reason), status: .ok)
            }
            guard let state, !state.isEmpty, let code = query["code"].map(String.init), !code.isEmpty else {
                let reason = "The callback is missing its code or state. Open the authorization link again."
                await handlers.onFailure(reason)
                return html(CallbackPage.failed(reason), status: .badRequest)
            }
            do {
                let completed = try await handlers.complete(state, code)
                await handlers.onCompletion(completed)
                return html(CallbackPage.connected(as: completed.username, action: completed.action), status: .ok)
            } catch let error as AuthorizationStateError {
                await handlers.onFailure(error.description)
                return html(CallbackPage.failed(error.description), status: .badRequest)
            } catch {
                let reason = "Parley could not complete the authorization: \(error)"
                logger.notice("OAuth callback failed", metadata: ["error": "\(error)"])
                await handlers.onFailure(reason)
                return html(CallbackPage.failed(reason), status: .badGateway)
            }
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
