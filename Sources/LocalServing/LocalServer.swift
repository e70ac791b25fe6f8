public import Hummingbird

/// Serving a Hummingbird application on this machine for as long as some work runs: the in-process Salesforce
/// sandbox and the OAuth callback server both live this way.
public enum LocalServer {
    /// Which port to listen on.
    public enum Port: Sendable, Equatable {
        /// Exactly this port; 0 lets the system pick a free one.
        case exactly(Int)
        /// This port when it is free, otherwise any free one. Trying is the only race-free way to know: a port
        /// seen free a moment ago may be taken by the time a server binds it.
        case preferably(Int)

        var first: Int {
            switch self {
            case .exactly(let port), .preferably(let port): port
            }
        }
    }

    /// Serves the application `makeApplication` builds while `body` runs, then stops it, whether `body` returns or
    /// throws. `body` gets the port the server listens on.
    ///
    /// - Parameters:
    ///   - what: what the server serves, for the error when it cannot listen ("OAuth callbacks").
    ///   - makeApplication: builds the application for a port; it must call `onRunning` with the bound
    ///   port once listening (Hummingbird's `onServerRunning`).
    /// - Throws: ``LocalServerError`` when the server cannot listen; otherwise what `body` throws.
    public static func serving<Application: ApplicationProtocol, T>(
        what: String, host: String, port: Port,
        makeApplication: (_ port: Int, _ onRunning: @escaping @Sendable (Int) async -> Void) -> Application,
        whileServing body: (_ port: Int) async throws -> T
    ) async throws -> T {
        switch try await serve(what: what, host: host, port: port.first, makeApplication: makeApplication, body) {
        case .served(let result):
            return result
        case .notListening(let error):
            guard case .preferably(let preferred) = port, preferred != 0 else { throw error }
            switch try await serve(what: what, host: host, port: 0, makeApplication: makeApplication, body) {
            case .served(let result): return result
            case .notListening(let error): throw error
            }
        }
    }

    /// How serving ended: `body`'s result, or the server never listened (and `body` never ran). Errors `body`
    /// throws are thrown, so a nested server's failure is never mistaken for this one's.
    private enum Served<T> {
        case served(T)
        case notListening(LocalServerError)
    }

    private static func serve<Application: ApplicationProtocol, T>(
        what: String, host: String, port: Int,
        makeApplication: (Int, @escaping @Sendable (Int) async -> Void) -> Application,
        _ body: (Int) async throws -> T
    ) async throws -> Served<T> {
        let (started, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication(port) { bound in
            continuation.yield(bound)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self, returning: Served<T>.self) { group in
            group.addTask {
                // Finishing the stream also when the server fails to start (a port in use) unblocks the wait below.
                defer { continuation.finish() }
                try await application.run()
            }
            var iterator = started.makeAsyncIterator()
            guard let bound = await iterator.next() else {
                let detail: String
                do {
                    try await group.next()
                    detail = "the server stopped before it was listening"
                } catch {
                    detail = "\(error)"
                }
                return .notListening(LocalServerError(what: what, host: host, port: port, detail: detail))
            }
            do {
                let result = try await body(bound)
                group.cancelAll()
                try? await group.waitForAll()
                return .served(result)
            } catch {
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

/// A local server could not listen.
public struct LocalServerError: Error, Sendable, CustomStringConvertible {
    /// What the server serves ("OAuth callbacks", "the Salesforce sandbox").
    public var what: String
    public var host: String
    public var port: Int
    /// What went wrong, as the system said it (an address in use, a permission denied).
    public var detail: String

    public init(what: String, host: String, port: Int, detail: String) {
        self.what = what
        self.host = host
        self.port = port
        self.detail = detail
    }

    public var description: String {
        "cannot listen for \(what) on \(host):\(port) (\(detail)); is another program using the port? Choose another one"
    }
}
