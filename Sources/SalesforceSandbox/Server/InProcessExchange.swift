public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

/// A request handed to the sandbox in-process, as a client would send it over HTTP.
public struct InProcessRequest: Sendable {
    public var method: String
    /// Absolute, starting with the sandbox's ``Sandbox/baseURL``.
    public var url: String
    /// Header fields in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The sandbox's answer to a ``InProcessRequest``: what a client would read off the wire.
public struct InProcessResponse: Sendable {
    public var status: Int
    /// Header fields in order; `Set-Cookie` may repeat.
    public var headers: [(name: String, value: String)]
    public var body: Data

    /// The first value of a header, looked up without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Why an in-process request did not reach the sandbox.
public enum InProcessExchangeError: Error, Equatable, CustomStringConvertible {
    /// The URL is not under the sandbox's base URL, so no in-process handler can answer it.
    case notSandboxURL(String)
    /// The method is not an HTTP token, so no server would read the request.
    case invalidMethod(String)

    public var description: String {
        switch self {
        case .notSandboxURL(let url): "\(url) is not on the in-process sandbox"
        case .invalidMethod(let method): "'\(method)' is not an HTTP method"
        }
    }
}

extension Sandbox {
    /// Answers a request in-process through the same routes and middleware the server uses, without a socket.
    ///
    /// Paths, status codes, headers and bodies are those of the served sandbox; only the HTTP/1.1 framing
    /// (and headers the server adds, such as `Date` and `Content-Length`) is left out. Transcript replays
    /// use it so that hundreds of short-lived sandboxes need no ports and no server start-up.
    ///
    /// - Throws: ``InProcessExchangeError/notSandboxURL(_:)`` when the URL is not under ``baseURL``,
    ///   ``InProcessExchangeError/invalidMethod(_:)`` when the method is not an HTTP token.
    public func respond(to request: InProcessRequest) async throws -> InProcessResponse {
        let base = baseURL
        guard request.url == base || request.url.hasPrefix(base + "/") || request.url.hasPrefix(base + "?") else {
            throw InProcessExchangeError.notSandboxURL(request.url)
        }
        var path = String(request.url.dropFirst(base.count))
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var fields = HTTPFields()
        for header in request.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method.uppercased()) {
            fields[.contentLength] = String(request.body.count)
        }
        let authority = URLComponents(string: base).map { components in
            (components.host ?? "localhost") + (components.port.map { ":\($0)" } ?? "")
        }
        guard let method = HTTPRequest.Method(request.method.uppercased()) else {
            throw InProcessExchangeError.invalidMethod(request.method)
        }
        let head = HTTPRequest(
            method: method, scheme: base.hasPrefix("https") ? "https" : "http",
            authority: authority, path: path, headerFields: fields)
        let incoming = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: request.body)))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: Self.detachedChannel, logger: logger))

        let response: Response
        do {
            response = try await inProcessResponder.respond(to: incoming, context: context)
        } catch {
            // The error middleware renders every error the routes throw; this is what the server does with the rest.
            response = Response(status: .internalServerError)
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers: [(name: String, value: String)] = []
        for field in response.headers { headers.append((field.name.rawName, field.value)) }
        return InProcessResponse(status: response.status.code, headers: headers, body: collector.data)
    }

    /// The channel in-process requests claim to arrive on. The routes never touch it; Hummingbird's context needs one.
    private static let detachedChannel: any Channel = EmbeddedChannel()

    /// The router's responder, built on first use and kept for the sandbox's lifetime.
    private var inProcessResponder: RouterResponder<BasicRequestContext> {
        responderCache.withLock { cached in
            if let cached { return cached }
            let responder = makeRouter().buildResponder()
            cached = responder
            return responder
        }
    }
}

/// Gathers a response body written by a route.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    // Written by one route's response, then read once it has finished.
    private(set) var data = Data()

    func write(_ buffer: ByteBuffer) async throws {
        data.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
