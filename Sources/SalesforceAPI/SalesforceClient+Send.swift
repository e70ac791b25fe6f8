public import Foundation
public import ParleyJSON

extension SalesforceClient {
    /// Sends a request that the caller built, for dialog service nodes, and returns the response whatever its status.
    ///
    /// It gets the same care as the typed calls: the bearer token (any `Authorization` given is replaced),
    /// one refresh on an expired session, the timeout, and retries for idempotent methods.
    /// - Parameters:
    ///   - path: `/services/data/v66.0/...`, or an absolute URL on the instance's origin (other hosts are refused,
    ///     so the token never leaves the org).
    ///   - body: sent as is; `Content-Type` defaults to `application/json`.
    /// - Throws: `SalesforceError` `.authorizationRequired`, `.timeout`, `.connection`, or `.invalidArgument` for
    ///   a URL on another host; HTTP error statuses are returned, not thrown.
    public func send(
        method: RequestMethod, path: String, query: [URLQueryItem] = [], headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> RawResponse {
        try await perform(method, path, query: query, headers: headers, body: body)
    }

    /// `send` with a JSON body.
    public func send(
        method: RequestMethod, path: String, query: [URLQueryItem] = [], headers: [String: String] = [:],
        json: JSONValue
    ) async throws -> RawResponse {
        try await perform(method, path, query: query, headers: headers, body: json.jsonData)
    }
}
