public import Foundation

/// Sends one HTTP request and returns the whole response; the seam between the clients and the network.
///
/// The clients add authentication, timeouts, retries and logging on top, so an implementation only moves bytes.
/// It reports failures to connect as `SalesforceError.connection` and may honour `timeout` itself
/// (the clients also enforce it). Tests pass a `ClosureTransport`.
public protocol HTTPTransport: Sendable {
    func execute(_ request: TransportRequest, timeout: Duration) async throws -> RawResponse
}

/// An HTTP method. A struct so that uncommon methods stay expressible.
public struct RequestMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public var description: String { rawValue }

    public static let get = RequestMethod(rawValue: "GET")
    public static let post = RequestMethod(rawValue: "POST")
    public static let patch = RequestMethod(rawValue: "PATCH")
    public static let put = RequestMethod(rawValue: "PUT")
    public static let delete = RequestMethod(rawValue: "DELETE")
    public static let head = RequestMethod(rawValue: "HEAD")

    /// Whether sending the same request twice has the effect of sending it once, so it may be retried.
    /// PATCH counts: Parley always resends the same body, and a PATCH of fixed field values is idempotent.
    public var isIdempotent: Bool {
        self == .get || self == .head || self == .delete || self == .put || self == .patch
    }
}

/// A request as the transport sees it: absolute URL, headers, optional body.
public struct TransportRequest: Sendable, Hashable {
    public var method: RequestMethod
    public var url: URL
    /// Header names as given; the transport sends them unchanged.
    public var headers: [String: String]
    public var body: Data?

    public init(method: RequestMethod, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of a header, looked up without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A transport made of a closure, for tests and for wiring in other HTTP stacks.
public struct ClosureTransport: HTTPTransport {
    public var send: @Sendable (TransportRequest, Duration) async throws -> RawResponse

    public init(_ send: @escaping @Sendable (TransportRequest, Duration) async throws -> RawResponse) {
        self.send = send
    }

    public func execute(_ request: TransportRequest, timeout: Duration) async throws -> RawResponse {
        try await send(request, timeout)
    }
}
