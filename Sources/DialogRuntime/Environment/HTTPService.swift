public import Foundation

/// An HTTP request a service node makes, after its placeholders are filled.
public struct ServiceRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: Data?
    /// The node's timeout, already clamped to what the runtime allows.
    public var timeout: Duration

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String, url: String, headers: [Header] = [], body: Data? = nil, timeout: Duration = .seconds(5)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first header with this name, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What a service answered.
public struct ServiceResponse: Sendable, Hashable {
    public var statusCode: Int
    public var headers: [ServiceRequest.Header]
    public var body: Data

    public init(statusCode: Int, headers: [ServiceRequest.Header] = [], body: Data = Data()) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// Why a service call produced no response.
public enum ServiceCallError: Error, Sendable, Hashable {
    /// No answer within the node's timeout.
    case timeout
    /// The request could not be sent or the connection broke; the text says why.
    case connection(String)
    /// The integration has no usable credentials for this user; they must authorize first.
    case authorizationRequired(AuthorizationRequest)
    /// The integration's own credentials (the bot's, pre-authorized) are unusable: no user can fix it, its operator
    /// must. The text says why, for the operator.
    case needsAttention(String)
}

/// How service nodes reach the network: a struct of closures, so tests pass plain functions.
public struct HTTPService: Sendable {
    public var send: @Sendable (ServiceRequest) async throws(ServiceCallError) -> ServiceResponse

    public init(send: @escaping @Sendable (ServiceRequest) async throws(ServiceCallError) -> ServiceResponse) {
        self.send = send
    }

    /// A service that refuses every request; for bots without service nodes.
    public static let unavailable = HTTPService { _ throws(ServiceCallError) in
        throw .connection("no HTTP service is configured")
    }
}
