public import AsyncHTTPClient
import Foundation
public import Logging
import SalesforceWire
import WebEncoding

/// An async client for Salesforce's REST API.
///
/// Every authenticated request carries the store's current access token. When Salesforce answers 401
/// `INVALID_SESSION_ID`, the client refreshes once (concurrent requests share that one refresh), tells the
/// store, and sends the request again; when there is no token or the refresh fails it throws
/// `SalesforceError.authorizationRequired`. Idempotent requests are retried on 5xx and connection errors
/// (see `RetryPolicy`); creates are never sent twice. Each attempt has its own timeout.
///
/// The org is the credentials' `instanceURL`; the `instanceURL` given here is used only when there are no
/// credentials (for `versions()`).
public struct SalesforceClient: Sendable {
    /// The API version used unless another is given: Spring '26.
    public static let defaultAPIVersion = "66.0"

    /// `"66.0"`: no leading `v`.
    public let apiVersion: String
    /// The fallback instance URL, without a trailing slash.
    public let instanceURL: String?
    let executor: RequestExecutor
    let session: SessionCoordinator

    /// A client over any transport.
    ///
    /// - Parameters:
    ///   - instanceURL: where to go before anyone authorized; the credentials' instance URL wins afterwards.
    ///   - apiVersion: `"66.0"` or `"v66.0"`.
    ///   - credentials: asked for the token before each request and told after each refresh.
    ///   - refresher: the connected app to refresh with; without it an expired session needs a new authorization.
    ///   - timeout: per attempt; default 5 s, at most 20 s.
    /// - Throws: `SalesforceError.invalidArgument` for a malformed instance URL or API version.
    public init(
        instanceURL: String? = nil, apiVersion: String = SalesforceClient.defaultAPIVersion, transport: any HTTPTransport,
        credentials: any CredentialStore, refresher: TokenRefresher? = nil, timeout: Duration = .seconds(5),
        retry: RetryPolicy = .standard, logger: Logger = Logger(label: "parley.salesforce")
    ) throws {
        self.instanceURL = try instanceURL.map { try OAuthEndpoints.validatedBase($0, what: "instance URL") }
        self.apiVersion = try Self.validatedVersion(apiVersion)
        self.executor = RequestExecutor(transport: transport, timeout: timeout, retry: retry, logger: logger)
        self.session = SessionCoordinator(store: credentials, refresher: refresher)
    }

    /// A client whose credentials and refreshes go through `session`, which other clients on the same token
    /// share, so that requests through all of them that meet one expired token cause one refresh.
    ///
    /// - Parameters:
    ///   - apiVersion: `"66.0"` or `"v66.0"`.
    ///   - timeout: per attempt; default 5 s, at most 20 s.
    /// - Throws: `SalesforceError.invalidArgument` for a malformed API version.
    public init(
        apiVersion: String = SalesforceClient.defaultAPIVersion, transport: any HTTPTransport, session: SessionCoordinator,
        timeout: Duration = .seconds(5), retry: RetryPolicy = .standard, logger: Logger = Logger(label: "parley.salesforce")
    ) throws {
        self.instanceURL = nil
        self.apiVersion = try Self.validatedVersion(apiVersion)
        self.executor = RequestExecutor(transport: transport, timeout: timeout, retry: retry, logger: logger)
        self.session = session
    }

    /// A client over AsyncHTTPClient; the caller owns `httpClient` and shuts it down after the last request.
    public init(
        instanceURL: String? = nil, apiVersion: String = SalesforceClient.defaultAPIVersion, httpClient: HTTPClient,
        credentials: any CredentialStore, refresher: TokenRefresher? = nil, timeout: Duration = .seconds(5),
        retry: RetryPolicy = .standard, logger: Logger = Logger(label: "parley.salesforce")
    ) throws {
        try self.init(
            instanceURL: instanceURL, apiVersion: apiVersion, transport: AsyncHTTPClientTransport(httpClient),
            credentials: credentials, refresher: refresher, timeout: timeout, retry: retry, logger: logger)
    }

    /// The timeout each attempt gets, after clamping.
    public var timeout: Duration { executor.timeout }

    /// `/services/data/v66.0`.
    var dataPath: String { "/services/data/v\(apiVersion)" }

    // MARK: Sending

    /// Sends one request with authentication, refresh-once-on-401, timeouts and safe retries.
    ///
    /// - Parameter path: a path on the instance (`/services/data/...`) or an absolute URL on the instance's origin.
    /// - Returns: the final response, whatever its status.
    func perform(
        _ method: RequestMethod, _ path: String, query: [URLQueryItem] = [], headers: [String: String] = [:],
        body: Data? = nil, authenticated: Bool = true
    ) async throws -> RawResponse {
        var credentials = authenticated ? try await session.current() : nil
        var refreshed = false
        while true {
            let base: String
            if let credentials {
                base = try OAuthEndpoints.validatedBase(credentials.instanceURL, what: "instance URL of the credentials")
            } else if let instanceURL {
                base = instanceURL
            } else {
                base = try OAuthEndpoints.validatedBase(
                    try await session.current().instanceURL, what: "instance URL of the credentials")
            }
            var request = TransportRequest(
                method: method, url: try Self.resolve(path, query: query, on: base), headers: [:], body: body)
            for (name, value) in headers where name.lowercased() != "authorization" { request.headers[name] = value }
            if request.header("Accept") == nil { request.headers["Accept"] = "application/json" }
            if body != nil, request.header("Content-Type") == nil { request.headers["Content-Type"] = "application/json" }
            if let credentials { request.headers["Authorization"] = "Bearer \(credentials.accessToken)" }

            let response = try await executor.execute(request)
            guard let used = credentials, ResponseDecoding.isExpiredSession(response) else { return response }
            if refreshed {
                try await session.reject(used)
                throw SalesforceError.authorizationRequired(reason: "Salesforce refused the refreshed session too")
            }
            refreshed = true
            credentials = try await session.refresh(replacing: used.accessToken)
        }
    }

    /// The absolute URL for a path or URL, refusing other hosts so the token never leaves the org.
    static func resolve(_ path: String, query: [URLQueryItem], on base: String) throws -> URL {
        var text: String
        if path.hasPrefix("/") {
            text = base + path
        } else if let url = URL(string: path), url.scheme != nil {
            guard let baseURL = URL(string: base), OAuthEndpoints.origin(of: url) == OAuthEndpoints.origin(of: baseURL)
            else {
                throw SalesforceError.invalidArgument(
                    "'\(OAuthEndpoints.origin(of: url))' is not the Salesforce instance \(base); the token is only sent there")
            }
            text = path
        } else {
            throw SalesforceError.invalidArgument(
                "'\(path)' is neither a path starting with '/' nor an absolute URL on \(base)")
        }
        if !query.isEmpty {
            text += (text.contains("?") ? "&" : "?") + PercentEncoding.query(query.map { ($0.name, $0.value ?? "") })
        }
        guard let url = URL(string: text) else {
            throw SalesforceError.invalidArgument("'\(path)' does not make a valid URL on \(base)")
        }
        return url
    }

    /// `66.0` from `66.0` or `v66.0`.
    static func validatedVersion(_ text: String) throws -> String {
        let version = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw SalesforceError.invalidArgument("'\(text)' is not an API version like \"66.0\"")
        }
        return version
    }

    /// An sObject API name: a letter, then letters, digits and underscores (`Lead`, `Invoice__c`).
    static func validatedObjectName(_ name: String) throws -> String {
        guard let first = name.first, first.isASCII, first.isLetter,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw SalesforceError.invalidArgument("'\(name)' is not an sObject name like \"Lead\" or \"Invoice__c\"")
        }
        return name
    }

    /// A record id segment: letters and digits only (Salesforce itself judges the rest).
    static func validatedRecordID(_ id: String) throws -> String {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw SalesforceError.invalidArgument("'\(id)' is not a record id (15 or 18 letters and digits)")
        }
        return id
    }
}
